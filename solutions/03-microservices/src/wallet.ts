// Copy of exercises/02-cache/src/wallet.ts: keep the two equal (the kit checks it).
/**
 * The wallet of step 01, finished, given as it is: one Postgres row per account, holding the
 * balance as it is now. Postgres stays the truth: in step 02 the cache (balance-cache.ts,
 * cached-wallet.ts) only keeps copies of what this file reads; in step 03, which carries this
 * file over unchanged, the question is how a second service learns about every change.
 *
 * This file is the adapter: the only one of the step that talks to Postgres. It parses
 * what callers send (input.ts), runs SQL with parameters, and turns the database's
 * answers — no row, a unique violation — into the wallet's own errors (errors.ts).
 * The functions take a `Database`, so they run on a pool (one statement, committed at once)
 * or on one client inside a transaction, where step 03's outbox joins them.
 * (Step 01's naiveDeposit and naiveWithdraw are left out: their lesson is learnt.)
 */
import pg from "pg";
import { AccountAlreadyExists, AccountNotFound, InsufficientFunds } from "./errors.ts";
import { parseAccountId, parseAmount } from "./input.ts";

/** Anything that runs SQL: a pool, or one client inside a transaction. */
export type Database = Pick<pg.Pool, "query">;

/** Given: the whole schema of this step. One table; each row is an account as it is now. */
export async function createWalletTable(db: Database): Promise<void> {
  await db.query(`
    CREATE TABLE IF NOT EXISTS accounts (
      id      TEXT   PRIMARY KEY,
      balance BIGINT NOT NULL DEFAULT 0 CHECK (balance >= 0)
    )`);
}

/** Given: the balance of an account, in cents. */
export async function getBalance(db: Database, accountId: string): Promise<number> {
  const id = parseAccountId(accountId);
  const { rows } = await db.query<{ balance: string }>("SELECT balance FROM accounts WHERE id = $1", [id]);
  const row = rows[0];
  if (!row) throw new AccountNotFound(id);
  return toCents(row.balance);
}

/**
 * Given (step 01, Task 2) — open an account.
 * Checks the id (parseAccountId), inserts the account with a balance of 0, and turns the
 * database's "this id is taken" (UNIQUE_VIOLATION, see postgresErrorCode below) into an
 * AccountAlreadyExists. Values go to Postgres as parameters ($1), never pasted into the SQL.
 */
export async function openAccount(db: Database, accountId: string): Promise<void> {
  const id = parseAccountId(accountId);
  try {
    await db.query("INSERT INTO accounts (id, balance) VALUES ($1, 0)", [id]);
  } catch (error) {
    // Ask the database, not a SELECT beforehand: two concurrent opens would both find no
    // row. The primary key decides, and we translate its answer into the wallet's terms.
    if (postgresErrorCode(error) === UNIQUE_VIOLATION) throw new AccountAlreadyExists(id);
    throw error;
  }
}

/**
 * Given (step 01, Task 3) — deposit without losing updates.
 * Checks the id and the amount (parseAccountId, parseAmount), adds `amount` cents to the
 * account and returns the new balance; an account that does not exist is AccountNotFound.
 * Many deposits at once must all count: compare with naiveDeposit below.
 */
export async function deposit(db: Database, accountId: string, amount: number): Promise<number> {
  const id = parseAccountId(accountId);
  const cents = parseAmount(amount);
  // Reading and writing in one statement: Postgres locks the row while it updates it, so a
  // concurrent deposit waits and then adds to the new balance instead of overwriting it.
  const { rows } = await db.query<{ balance: string }>(
    "UPDATE accounts SET balance = balance + $2 WHERE id = $1 RETURNING balance",
    [id, cents],
  );
  const row = rows[0];
  if (!row) throw new AccountNotFound(id);
  return toCents(row.balance);
}

/**
 * Given (step 01, Task 4) — withdraw without overdraft.
 * Checks the id and the amount, takes `amount` cents from the account and returns the new
 * balance. Refuses with InsufficientFunds if the account holds less, with AccountNotFound if
 * there is no such account, and changes nothing then. Withdrawals at once must never pay out
 * more than the account holds: compare with naiveWithdraw below.
 */
export async function withdraw(db: Database, accountId: string, amount: number): Promise<number> {
  const id = parseAccountId(accountId);
  const cents = parseAmount(amount);
  // The check and the change are one statement: no other withdrawal can slip in between.
  const { rows } = await db.query<{ balance: string }>(
    "UPDATE accounts SET balance = balance - $2 WHERE id = $1 AND balance >= $2 RETURNING balance",
    [id, cents],
  );
  const row = rows[0];
  if (row) return toCents(row.balance);
  // Nothing changed: no such account, or not enough money. This read only chooses which
  // error to report; the decision was already taken, atomically, by the UPDATE.
  const current = await db.query<{ balance: string }>("SELECT balance FROM accounts WHERE id = $1", [id]);
  const found = current.rows[0];
  if (!found) throw new AccountNotFound(id);
  throw new InsufficientFunds(id, toCents(found.balance), cents);
}

// ---------------------------------------------------------------------------
// Given: small helpers of the adapter.

/** Postgres's SQLSTATE for "duplicate key value violates unique constraint". */
export const UNIQUE_VIOLATION = "23505";

/** The SQLSTATE of an error Postgres sent back (e.g. "23505"), or undefined for any other error. */
export function postgresErrorCode(error: unknown): string | undefined {
  return error instanceof pg.DatabaseError ? error.code : undefined;
}

/**
 * pg hands BIGINT back as a string, because JavaScript numbers are exact only up to 2^53.
 * With MAX_AMOUNT_CENTS per command, a balance would need some 90 million deposits to get there.
 */
function toCents(balance: string): number {
  return Number(balance);
}
