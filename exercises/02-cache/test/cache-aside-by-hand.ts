/**
 * Cache-aside, and write-through, written out with the given pieces — the wallet of step 01
 * and the BalanceCache — for the trade-off tests.
 *
 * They take the same steps, in the same order, as the code Tasks 1 to 3 ask for, so the
 * trade-off tests can pass before your tasks are done. Once they are, import your functions
 * instead of these in a trade-off test (cachedBalance for readThrough, cachedDeposit for
 * depositThenInvalidate): the same interleavings break your code the same way. The gaps are
 * in the pattern, not in anybody's code.
 *
 * The tests hold these calls between two steps with the cache's failpoints ("cache-put",
 * "cache-delete"), which fire just before the Redis command.
 */
import type { FreshRedis } from "#kit/testing";
import { CacheUnavailable } from "../src/balance-cache.ts";
import type { CachedWallet } from "../src/cached-wallet.ts";
import { deposit, getBalance } from "../src/wallet.ts";

/** The read of Task 1: the cache if it has the balance, else Postgres, cached on the way back. */
export async function readThrough(wallet: CachedWallet, accountId: string): Promise<number> {
  const cached = await wallet.cache.get(accountId);
  if (cached !== undefined) return cached;
  const balance = await getBalance(wallet.db, accountId);
  await wallet.cache.put(accountId, balance, wallet.ttlMs);
  return balance;
}

/** The same read with the textbook's first mistake: the copy is cached with no expiry at all. */
export async function readThroughWithoutTtl(wallet: CachedWallet, redis: FreshRedis, accountId: string): Promise<number> {
  const cached = await wallet.cache.get(accountId);
  if (cached !== undefined) return cached;
  const balance = await getBalance(wallet.db, accountId);
  await redis.client.set(wallet.cache.keyOf(accountId), String(balance)); // no PX: it stays until deleted
  return balance;
}

/** The write of Tasks 2 and 3: commit in Postgres, then delete the copy; a failed delete is a warning. */
export async function depositThenInvalidate(wallet: CachedWallet, accountId: string, amount: number): Promise<number> {
  const balance = await deposit(wallet.db, accountId, amount);
  await unlessTheCacheFails(wallet, () => wallet.cache.delete(accountId));
  return balance;
}

/** Write-through, the other textbook answer: commit in Postgres, then put the new balance in the cache. */
export async function depositWriteThrough(wallet: CachedWallet, accountId: string, amount: number): Promise<number> {
  const balance = await deposit(wallet.db, accountId, amount);
  await unlessTheCacheFails(wallet, () => wallet.cache.put(accountId, balance, wallet.ttlMs));
  return balance;
}

async function unlessTheCacheFails(wallet: CachedWallet, operation: () => Promise<void>): Promise<void> {
  try {
    await operation();
  } catch (error) {
    if (!(error instanceof CacheUnavailable)) throw error;
    wallet.logger.warn(`cache unavailable: ${error.message} — the write is committed, the cached copy may be stale`);
  }
}
