/**
 * Given, and wrong on purpose: the quickest way for a second service to learn about the
 * wallet — read the wallet's table directly. It works on the first day. From then on, the
 * wallet's table is a public API that nobody declared: every column the reader touches is
 * one the wallet's team can no longer change alone.
 */
import type { Database } from "./wallet.ts";

/** Given: the statements service, version 0 — every balance, read straight from the wallet's `accounts` table. */
export async function balancesFromWalletTable(db: Database): Promise<Record<string, number>> {
  const { rows } = await db.query<{ id: string; balance: string }>("SELECT id, balance FROM accounts ORDER BY id");
  return Object.fromEntries(rows.map((row) => [row.id, Number(row.balance)]));
}

/**
 * Given: a migration the wallet's team makes for its own reasons — the column says what
 * unit it holds. The wallet's code changes with it, in the same deploy; the wallet is fine.
 */
export async function renameBalanceToBalanceCents(db: Database): Promise<void> {
  await db.query("ALTER TABLE accounts RENAME COLUMN balance TO balance_cents");
}

/**
 * Given: another of the wallet's migrations — accounts in other currencies. The balance
 * column stays, so nothing fails; but it now holds cents of different currencies, and
 * only the new `currency` column says which.
 */
export async function addCurrencies(db: Database): Promise<void> {
  await db.query("ALTER TABLE accounts ADD COLUMN currency TEXT NOT NULL DEFAULT 'EUR'");
}
