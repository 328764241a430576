/**
 * Test helpers of step 01. Accounts are set up with plain SQL, not with the code under
 * test, so each task's tests depend on that task alone, and trade-off tests pass from
 * the start.
 */
import type pg from "pg";
import { createWalletTable } from "../src/wallet.ts";

/** The accounts table, with these accounts and balances (in cents) already in it. */
export async function givenWallet(db: pg.Pool, accounts: Record<string, number> = {}): Promise<void> {
  await createWalletTable(db);
  for (const [id, balance] of Object.entries(accounts)) {
    await db.query("INSERT INTO accounts (id, balance) VALUES ($1, $2)", [id, balance]);
  }
}

/** What the table holds, read with plain SQL: `{ alice: 100 }`. */
export async function storedBalances(db: pg.Pool): Promise<Record<string, number>> {
  const { rows } = await db.query<{ id: string; balance: string }>("SELECT id, balance FROM accounts ORDER BY id");
  return Object.fromEntries(rows.map((row) => [row.id, Number(row.balance)]));
}
