/**
 * Step 01 — the wallet everyone starts with: one Postgres row per account, holding the
 * balance as it is now.
 *
 * This file is the adapter: the only one of the step that talks to Postgres. It parses
 * what callers send (input.ts), runs SQL with parameters, and turns the database's
 * answers — no row, a unique violation — into the wallet's own errors (errors.ts).
 */
import pg from "pg";
import { noFailpoints, type FailpointHook } from "#kit/failpoints";
import { todo } from "#kit/todo";
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
 * Task 2 — open an account.
 * Checks the id (parseAccountId), inserts the account with a balance of 0, and turns the
 * database's "this id is taken" (UNIQUE_VIOLATION, see postgresErrorCode below) into an
 * AccountAlreadyExists. Values go to Postgres as parameters ($1), never pasted into the SQL.
 */
export async function openAccount(db: Database, accountId: string): Promise<void> {
  return todo("Task 2 — open an account: a new account starts with a balance of 0; an id already taken is refused with AccountAlreadyExists, never a raw database error");
}

/**
 * Task 3 — deposit without losing updates.
 * Checks the id and the amount (parseAccountId, parseAmount), adds `amount` cents to the
 * account and returns the new balance; an account that does not exist is AccountNotFound.
 * Many deposits at once must all count: compare with naiveDeposit below.
 */
export async function deposit(db: Database, accountId: string, amount: number): Promise<number> {
  return todo("Task 3 — deposit without losing updates: two deposits at the same moment must both count, so no read-then-write in this code; return the new balance; an unknown account is AccountNotFound");
}

/**
 * Task 4 — withdraw without overdraft.
 * Checks the id and the amount, takes `amount` cents from the account and returns the new
 * balance. Refuses with InsufficientFunds if the account holds less, with AccountNotFound if
 * there is no such account, and changes nothing then. Withdrawals at once must never pay out
 * more than the account holds: compare with naiveWithdraw below.
 */
export async function withdraw(db: Database, accountId: string, amount: number): Promise<number> {
  return todo("Task 4 — withdraw without overdraft: two withdrawals at the same moment must never take the balance below 0; return the new balance; refuse with InsufficientFunds or AccountNotFound, telling the two apart");
}

// ---------------------------------------------------------------------------
// Given, and wrong on purpose: the read-modify-write most CRUD code starts with. It reads
// the balance into the application, computes, and writes the result back. Alone, it is
// correct. Side by side with itself, it is not: the trade-off tests pause it at "after-read"
// (`points`) and let a second call run in the gap. Input checks are left out to keep the
// race in view; this code exists to be compared with Tasks 3 and 4.

/** Given: a deposit as read, add, write back. Two of them at once lose one. */
export async function naiveDeposit(
  db: Database,
  accountId: string,
  amount: number,
  points: FailpointHook = noFailpoints,
): Promise<number> {
  const balance = await getBalance(db, accountId);
  await points.reach("after-read");
  const newBalance = balance + amount;
  await db.query("UPDATE accounts SET balance = $2 WHERE id = $1", [accountId, newBalance]);
  return newBalance;
}

/** Given: a withdrawal as read, check, write back. Two of them at once can both pass the check. */
export async function naiveWithdraw(
  db: Database,
  accountId: string,
  amount: number,
  points: FailpointHook = noFailpoints,
): Promise<number> {
  const balance = await getBalance(db, accountId);
  if (balance < amount) throw new InsufficientFunds(accountId, balance, amount);
  await points.reach("after-read");
  const newBalance = balance - amount;
  await db.query("UPDATE accounts SET balance = $2 WHERE id = $1", [accountId, newBalance]);
  return newBalance;
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
