/**
 * The scoreboard's view of step 02 (kit/scoreboard/ loads this file by path): the wallet of
 * step 01 with a Redis cache-aside in front of its reads, invalidated after every write.
 */
import type { ScoreboardAdapter } from "#kit/scoreboard";
import { BalanceCache } from "../src/balance-cache.ts";
import { cachedBalance, cachedDeposit, cachedWithdraw, type CachedWallet } from "../src/cached-wallet.ts";
import { AccountNotFound } from "../src/errors.ts";
import { createWalletTable, openAccount } from "../src/wallet.ts";

const adapter: ScoreboardAdapter = {
  step: "02-cache",
  architecture: "cache-aside (Redis)",
  path: "write: UPDATE, then the cached copy deleted · read: Redis GET, Postgres on a miss",
  crashDesign: "cache-aside",
  async start({ db, redis }) {
    await createWalletTable(db.pool);
    const wallet: CachedWallet = {
      db: db.pool,
      cache: new BalanceCache(redis.client, { prefix: redis.prefix }),
      ttlMs: 60_000,
      logger: { warn: (message) => console.warn(message) },
    };
    return {
      open: (id) => openAccount(db.pool, id),
      deposit: async (id, amount) => void (await cachedDeposit(wallet, id, amount)),
      withdraw: async (id, amount) => void (await cachedWithdraw(wallet, id, amount)),
      balance: (id) => cachedBalance(wallet, id).catch((error: unknown) => (error instanceof AccountNotFound ? undefined : Promise.reject(error))),
    };
  },
};

export default adapter;
