/**
 * Step 01 — the wallet everyone starts with: one Postgres row per account, holding the
 * balance as it is now.
 *
 * Copied from solutions/01-crud/src, and extended in step 08 only by the feature that step
 * adds to both wallets — freezing an account — so that the difference between the two copies
 * is what the feature cost. Besides this comment, the copies differ only where step 01's task
 * headings say "(step 01, Task N)", so that they are not taken for this step's tasks.
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

/**
 * Task 4 — freeze an account in the CRUD wallet (1/3): the migration.
 * Adds the `frozen` column to the accounts table that is already there, rows and all: every
 * account starts unfrozen. Running it twice changes nothing.
 */
export async function addFrozenColumn(db: Database): Promise<void> {
  return todo("Task 4 — freeze an account in the CRUD wallet: ALTER TABLE accounts ADD COLUMN IF NOT EXISTS frozen …, then freezeAccount, unfreezeAccount, and make deposit and withdraw refuse a frozen account");
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
 * Open an account (step 01, Task 2).
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
 * Deposit without losing updates (step 01, Task 3).
 * Checks the id and the amount (parseAccountId, parseAmount), adds `amount` cents to the
 * account and returns the new balance; an account that does not exist is AccountNotFound.
 * Many deposits at once must all count: compare with naiveDeposit below.
 */
export async function deposit(db: Database, accountId: string, amount: number): Promise<number> {
  const id = parseAccountId(accountId);
  const cents = parseAmount(amount);
  // Reading and writing in one statement: Postgres locks the row while it updates it, so a
  // concurrent deposit waits and then adds to the new balance instead of overwriting it.
  // Task 4: refuse a frozen account here, in this UPDATE (AccountFrozen), and say why when no row comes back.
  const { rows } = await db.query<{ balance: string }>(
    "UPDATE accounts SET balance = balance + $2 WHERE id = $1 RETURNING balance",
    [id, cents],
  );
  const row = rows[0];
  if (!row) throw new AccountNotFound(id);
  return toCents(row.balance);
}

/**
 * Withdraw without overdraft (step 01, Task 4).
 * Checks the id and the amount, takes `amount` cents from the account and returns the new
 * balance. Refuses with InsufficientFunds if the account holds less, with AccountNotFound if
 * there is no such account, and changes nothing then. Withdrawals at once must never pay out
 * more than the account holds: compare with naiveWithdraw below.
 */
export async function withdraw(db: Database, accountId: string, amount: number): Promise<number> {
  const id = parseAccountId(accountId);
  const cents = parseAmount(amount);
  // The check and the change are one statement: no other withdrawal can slip in between.
  // Task 4: refuse a frozen account here, in this UPDATE (AccountFrozen), and say why when no row comes back.
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

/**
 * Task 4 — freeze an account in the CRUD wallet (2/3).
 * Sets `frozen` on the account: from then on deposit and withdraw refuse it with
 * AccountFrozen. An account that does not exist is AccountNotFound; one already frozen,
 * AccountAlreadyFrozen.
 */
export async function freezeAccount(db: Database, accountId: string): Promise<void> {
  return todo("Task 4 — freeze an account in the CRUD wallet: UPDATE accounts SET frozen = true …; tell AccountNotFound from AccountAlreadyFrozen");
}

/**
 * Task 4 — freeze an account in the CRUD wallet (3/3).
 * Clears `frozen`: money moves again. AccountNotFound, or AccountNotFrozen for an account
 * that is not frozen.
 */
export async function unfreezeAccount(db: Database, accountId: string): Promise<void> {
  return todo("Task 4 — freeze an account in the CRUD wallet: UPDATE accounts SET frozen = false …; tell AccountNotFound from AccountNotFrozen");
}

// ---------------------------------------------------------------------------
// Given, and wrong on purpose: the read-modify-write most CRUD code starts with. It reads
// the balance into the application, computes, and writes the result back. Alone, it is
// correct. Side by side with itself, it is not: the trade-off tests pause it at "after-read"
// (`points`) and let a second call run in the gap. Input checks are left out to keep the
// race in view; this code exists to be compared with step 01's Tasks 3 and 4.

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
