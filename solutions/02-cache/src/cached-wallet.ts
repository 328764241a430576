/**
 * Step 02 — the wallet of step 01 with a cache in front: cache-aside.
 *
 * Postgres stays the truth; Redis holds copies of balances that reads may use instead of
 * asking Postgres. Reads look in the cache first and fill it on a miss; writes commit in
 * Postgres first and then delete the copy, so the next read fetches the new balance.
 * A cache that fails makes the wallet slower, never wrong in what it reports about a write,
 * and never unavailable: Postgres can answer every read by itself.
 */
import { CacheUnavailable, type BalanceCache } from "./balance-cache.ts";
import { parseAccountId } from "./input.ts";
import type { Logger } from "./logger.ts";
import { deposit, getBalance, withdraw, type Database } from "./wallet.ts";

/** Everything a cached wallet works with. */
export interface CachedWallet {
  /** The truth: every balance, every write. */
  db: Database;
  /** The copies. */
  cache: BalanceCache;
  /** How long a cached balance may be served before a read has to ask Postgres again. */
  ttlMs: number;
  /** Where the wallet says that the cache failed it, since it will not fail the caller for that. */
  logger: Logger;
}

/**
 * Task 1 — read through the cache, and Task 4 — keep reading when Redis is down.
 * The cached balance if there is one (a hit). Otherwise (a miss) the balance from Postgres,
 * cached for `ttlMs` on the way back so the next read is a hit. When Redis fails, the read is
 * answered from Postgres anyway, with a warning saying so.
 */
export async function cachedBalance(wallet: CachedWallet, accountId: string): Promise<number> {
  const id = parseAccountId(accountId);
  const cached = await unlessTheCacheFails(wallet, () => wallet.cache.get(id), `reading ${id}'s balance from Postgres`);
  if (cached !== undefined) return cached;
  const balance = await getBalance(wallet.db, id);
  await unlessTheCacheFails(wallet, () => wallet.cache.put(id, balance, wallet.ttlMs), `${id}'s balance was read from Postgres and not cached`);
  return balance;
}

/**
 * Task 2 — forget a balance without failing the write.
 * Deletes the cached balance, so the next read fetches the new one from Postgres. Called after
 * a commit: if Redis fails, the write still happened, so this says so in a warning (the copy
 * may be stale until its TTL runs out) instead of throwing.
 */
export async function forgetBalance(wallet: CachedWallet, accountId: string): Promise<void> {
  const id = parseAccountId(accountId);
  await unlessTheCacheFails(
    wallet,
    () => wallet.cache.delete(id),
    `the write to ${id} is committed, but its cached balance may be stale for up to ${wallet.ttlMs} ms`,
  );
}

/**
 * Task 3 — invalidate after every write.
 * A deposit as step 01 does it (atomic, in Postgres), then the cached copy is forgotten.
 */
export async function cachedDeposit(wallet: CachedWallet, accountId: string, amount: number): Promise<number> {
  const balance = await deposit(wallet.db, accountId, amount);
  // Only after the commit: deleting first would let a read in between re-cache the old balance.
  await forgetBalance(wallet, accountId);
  return balance;
}

/** Task 3 — invalidate after every write: a withdrawal, decided by Postgres, then the copy forgotten. */
export async function cachedWithdraw(wallet: CachedWallet, accountId: string, amount: number): Promise<number> {
  // Postgres decides whether the money is there: a cached balance may be stale, never a reason to pay out.
  const balance = await withdraw(wallet.db, accountId, amount);
  await forgetBalance(wallet, accountId);
  return balance;
}

/**
 * Runs a cache operation; if Redis fails, warns (`then` says what the wallet does instead)
 * and answers undefined, as if the cache were empty. Any other error is a bug: it is thrown.
 */
async function unlessTheCacheFails<T>(wallet: CachedWallet, operation: () => Promise<T>, then: string): Promise<T | undefined> {
  try {
    return await operation();
  } catch (error) {
    if (!(error instanceof CacheUnavailable)) throw error;
    wallet.logger.warn(`cache unavailable: ${error.message} — ${then}`);
    return undefined;
  }
}
