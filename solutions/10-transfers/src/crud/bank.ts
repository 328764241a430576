/**
 * Given: the CRUD bank — step 01's wallet table, and a transfer between two of its accounts.
 *
 * A transfer here is ONE SQL transaction: record the transfer, take the amount from the
 * source, give it to the target, commit. Either all of it is applied or none of it; a reader
 * in another connection never sees the money out of one account and not yet in the other,
 * because it sees only committed rows. That is what a single database gives for free, and
 * what the event-sourced wallet must rebuild as a saga.
 *
 * The price is locks: the transaction holds both rows until it commits. Two transfers in
 * opposite directions that lock "the source first" can each hold the row the other needs —
 * a deadlock, which Postgres breaks by aborting one of them. Locking both rows in one fixed
 * order (by account id) before changing either makes that impossible.
 */
import type pg from "pg";
import { z } from "zod";
import { noFailpoints, type FailpointHook } from "#kit/failpoints";
import { accountIdSchema, amountSchema, firstReason, idSchema, MAX_AMOUNT_CENTS } from "../input.ts";
import { AccountAlreadyOpen, AccountFrozen, AccountNotFound, InsufficientFunds, InvalidAccount, InvalidTransfer, SameAccount, TransferDeadlocked, TransferIdReused } from "./errors.ts";
import { inTransaction } from "./transactions.ts";

export async function createBankTables(pool: pg.Pool): Promise<void> {
  await pool.query(`
    CREATE TABLE IF NOT EXISTS accounts (
      id      TEXT PRIMARY KEY,
      balance BIGINT NOT NULL DEFAULT 0 CHECK (balance >= 0),
      frozen  BOOLEAN NOT NULL DEFAULT false
    );
    CREATE TABLE IF NOT EXISTS transfers (
      transfer_id  TEXT PRIMARY KEY,
      from_account TEXT NOT NULL REFERENCES accounts (id),
      to_account   TEXT NOT NULL REFERENCES accounts (id),
      amount       BIGINT NOT NULL CHECK (amount > 0)
    )`);
}

const openingSchema = z.object({
  accountId: accountIdSchema,
  balance: z
    .number({ error: "the opening balance must be a number of cents" })
    .int({ error: "the opening balance must be a whole number of cents" })
    .min(0, { error: "the opening balance must not be negative" })
    .max(MAX_AMOUNT_CENTS, { error: `the opening balance must be at most ${MAX_AMOUNT_CENTS} cents` }),
});

const UNIQUE_VIOLATION = "23505";

/** Opens an account with its first balance (0 unless said). Bad input and a second opening are typed errors. */
export async function openAccount(pool: pg.Pool, accountId: string, balance = 0): Promise<void> {
  const parsed = openingSchema.safeParse({ accountId, balance });
  if (!parsed.success) throw new InvalidAccount(firstReason(parsed.error));
  try {
    await pool.query("INSERT INTO accounts (id, balance) VALUES ($1, $2)", [parsed.data.accountId, parsed.data.balance]);
  } catch (error) {
    if ((error as { code?: unknown }).code === UNIQUE_VIOLATION) throw new AccountAlreadyOpen(parsed.data.accountId);
    throw error;
  }
}

export async function freezeAccount(pool: pg.Pool, accountId: string): Promise<void> {
  const frozen = await pool.query("UPDATE accounts SET frozen = true WHERE id = $1", [accountId]);
  if (frozen.rowCount === 0) throw new AccountNotFound(accountId);
}

/** Every balance, by account id: one statement, so one consistent snapshot. */
export async function balances(db: Pick<pg.Pool, "query">): Promise<Record<string, number>> {
  const { rows } = await db.query<{ id: string; balance: string }>("SELECT id, balance FROM accounts ORDER BY id");
  return Object.fromEntries(rows.map((row) => [row.id, Number(row.balance)]));
}

/** All the money in the bank, as a report would sum it. */
export async function totalBalance(db: Pick<pg.Pool, "query">): Promise<number> {
  const { rows } = await db.query<{ total: string | null }>("SELECT sum(balance) AS total FROM accounts");
  return Number(rows[0]?.total ?? 0);
}

/** How many transfers were recorded. */
export async function transferCount(db: Pick<pg.Pool, "query">): Promise<number> {
  const { rows } = await db.query<{ count: string }>("SELECT count(*) AS count FROM transfers");
  return Number(rows[0]?.count ?? 0);
}

export interface TransferRequest {
  transferId: string;
  from: string;
  to: string;
  amount: number;
}

export interface TransferReceipt extends TransferRequest {
  /** "repeated": the same request had already been applied; nothing more was. */
  outcome: "completed" | "repeated";
}

export interface TransferOptions {
  /** "before-lock", "before-debit", "after-debit": hooks for a test to hold or crash a transfer there. */
  points?: FailpointHook;
  /** "by account id" (the default) cannot deadlock; "source first" can, and is here to show it. */
  lockOrder?: "by account id" | "source first";
}

const requestSchema = z.object({ transferId: idSchema, from: accountIdSchema, to: accountIdSchema, amount: amountSchema });

/** Checks a request's shape and rules before any SQL: typed errors, nothing written. */
export function parseTransferRequest(input: unknown): TransferRequest {
  const parsed = requestSchema.safeParse(input);
  if (!parsed.success) throw new InvalidTransfer(firstReason(parsed.error));
  if (parsed.data.from === parsed.data.to) throw new SameAccount(parsed.data.from);
  return parsed.data;
}

const DEADLOCK_DETECTED = "40P01";

/**
 * Moves `amount` cents from one account to another in one transaction. Refused — with nothing
 * applied — when the request is malformed, an account does not exist or is frozen, the source
 * holds too little, or the transfer id was used for a different transfer. The same request
 * sent again is applied once (the transfers table's primary key).
 */
export async function transfer(pool: pg.Pool, input: unknown, { points = noFailpoints, lockOrder = "by account id" }: TransferOptions = {}): Promise<TransferReceipt> {
  const request = parseTransferRequest(input);
  const { transferId, from, to, amount } = request;
  try {
    return await inTransaction(pool, async (tx) => {
      // A concurrent insert of the same id waits here until the first commits or rolls back.
      const recorded = await tx.query(
        "INSERT INTO transfers (transfer_id, from_account, to_account, amount) SELECT $1, $2, $3, $4 WHERE EXISTS (SELECT 1 FROM accounts WHERE id = $2) AND EXISTS (SELECT 1 FROM accounts WHERE id = $3) ON CONFLICT (transfer_id) DO NOTHING",
        [transferId, from, to, amount],
      );
      if (recorded.rowCount === 0) return await repeatedOrRefused(tx, request);
      await points.reach("before-lock");
      if (lockOrder === "by account id") {
        // Both rows, in one order for every transfer: whoever locks first, the other waits — never a
        // cycle. NO KEY UPDATE is the lock an UPDATE of the balance takes anyway; plain FOR UPDATE
        // would also wait for the KEY SHARE locks that the transfers row's foreign keys hold on
        // both accounts — and two transfers would deadlock on those instead.
        await tx.query("SELECT id FROM accounts WHERE id = ANY($1) ORDER BY id FOR NO KEY UPDATE", [[from, to]]);
      }
      await points.reach("before-debit");
      const debited = await tx.query("UPDATE accounts SET balance = balance - $2 WHERE id = $1 AND balance >= $2 AND NOT frozen", [from, amount]);
      if (debited.rowCount === 0) throw await whyNot(tx, from, amount);
      await points.reach("after-debit");
      const credited = await tx.query("UPDATE accounts SET balance = balance + $2 WHERE id = $1 AND NOT frozen", [to, amount]);
      // The debit above is rolled back with everything else: a refused credit leaves nothing behind.
      if (credited.rowCount === 0) throw await whyNot(tx, to, 0);
      return { ...request, outcome: "completed" as const };
    });
  } catch (error) {
    if ((error as { code?: unknown }).code === DEADLOCK_DETECTED) throw new TransferDeadlocked(transferId);
    throw error;
  }
}

async function repeatedOrRefused(tx: pg.PoolClient, request: TransferRequest): Promise<TransferReceipt> {
  const { rows } = await tx.query<{ from_account: string; to_account: string; amount: string }>(
    "SELECT from_account, to_account, amount FROM transfers WHERE transfer_id = $1",
    [request.transferId],
  );
  const earlier = rows[0];
  if (earlier === undefined) {
    // Not a duplicate: the insert found an account missing.
    const known = await tx.query<{ id: string }>("SELECT id FROM accounts WHERE id = ANY($1)", [[request.from, request.to]]);
    const missing = [request.from, request.to].find((id) => !known.rows.some((row) => row.id === id)) ?? request.from;
    throw new AccountNotFound(missing);
  }
  const before = { from: earlier.from_account, to: earlier.to_account, amount: Number(earlier.amount) };
  if (before.from === request.from && before.to === request.to && before.amount === request.amount) return { ...request, outcome: "repeated" };
  throw new TransferIdReused(request.transferId, before);
}

/** Why an UPDATE guarded by `balance >= amount AND NOT frozen` changed no row. */
async function whyNot(tx: pg.PoolClient, accountId: string, amount: number): Promise<Error> {
  const { rows } = await tx.query<{ balance: string; frozen: boolean }>("SELECT balance, frozen FROM accounts WHERE id = $1", [accountId]);
  const row = rows[0];
  if (row === undefined) return new AccountNotFound(accountId);
  if (row.frozen) return new AccountFrozen(accountId);
  return new InsufficientFunds(accountId, Number(row.balance), amount);
}
