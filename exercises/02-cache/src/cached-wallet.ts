/**
 * Step 02 — the wallet of step 01 with a cache in front: cache-aside.
 *
 * Postgres stays the truth; Redis holds copies of balances that reads may use instead of
 * asking Postgres. Reads look in the cache first and fill it on a miss; writes commit in
 * Postgres first and then delete the copy, so the next read fetches the new balance.
 * A cache that fails makes the wallet slower, never wrong in what it reports about a write,
 * and never unavailable: Postgres can answer every read by itself.
 */
import { todo } from "#kit/todo";
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
  return todo("Task 1 — read through the cache: a bad id is refused before Redis is asked; a hit is served from the cache without touching Postgres; a miss reads Postgres and leaves a copy that expires after wallet.ttlMs; an unknown account is AccountNotFound and leaves no copy");
}

/**
 * Task 2 — forget a balance without failing the write.
 * Deletes the cached balance, so the next read fetches the new one from Postgres. Called after
 * a commit: if Redis fails, the write still happened, so this says so in a warning (the copy
 * may be stale until its TTL runs out) instead of throwing.
 */
export async function forgetBalance(wallet: CachedWallet, accountId: string): Promise<void> {
  return todo("Task 2 — forget a balance without failing the write: the cached copy is removed; when Redis cannot be reached (CacheUnavailable) the caller still succeeds, and wallet.logger.warn names the account and says 'stale'");
}

/**
 * Task 3 — invalidate after every write.
 * A deposit as step 01 does it (atomic, in Postgres), then the cached copy is forgotten.
 */
export async function cachedDeposit(wallet: CachedWallet, accountId: string, amount: number): Promise<number> {
  return todo("Task 3 — invalidate after every write: the deposit commits in Postgres first, its cached copy is forgotten only after that, and the new balance is returned");
}

/** Task 3 — invalidate after every write: a withdrawal, decided by Postgres, then the copy forgotten. */
export async function cachedWithdraw(wallet: CachedWallet, accountId: string, amount: number): Promise<number> {
  return todo("Task 3 — invalidate after every write: the withdrawal commits in Postgres first, its cached copy is forgotten only after that, and the new balance is returned");
}
