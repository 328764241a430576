/**
 * What the cache buys: the same fixed workload (src/workload.ts) against the wallet of step 01
 * alone and against the cached wallet, every read timed. Latency is printed, never asserted;
 * the hit ratio is a property of the workload, so it is checked against the number on paper.
 */
import { benchSize, measure, report, summarize, summaryRows } from "#kit/bench";
import { expect, test } from "#kit/testing";
import { BalanceCache } from "../src/balance-cache.ts";
import { cachedBalance, cachedDeposit, type CachedWallet } from "../src/cached-wallet.ts";
import { createWalletTable, deposit, getBalance, type Database } from "../src/wallet.ts";
import { apply, expectedReads, readMostlyWorkload, type WalletOperations, type Workload } from "../src/workload.ts";

/** Runs the workload one operation at a time and returns how long each read took, in ms. */
async function timedReads(wallet: WalletOperations, { operations }: Workload): Promise<number[]> {
  const samples: number[] = [];
  for (const operation of operations) {
    if (operation.kind === "read") samples.push((await measure(() => apply(wallet, operation))).ms);
    else await apply(wallet, operation);
  }
  return samples;
}

async function givenAccounts(db: Database, accountIds: string[]): Promise<void> {
  await createWalletTable(db);
  for (const id of accountIds) await db.query("INSERT INTO accounts (id, balance) VALUES ($1, 100)", [id]);
}

test("balance reads with and without the cache, over the same read-mostly workload", async ({ db, redis }) => {
  const shape = { accounts: 20, rounds: benchSize(200) };
  const workload = readMostlyWorkload(shape);
  await givenAccounts(db.pool, workload.accountIds);
  // Warm both connections up first: the first query pays for connecting, which is not a read.
  await getBalance(db.pool, workload.accountIds[0]!);
  await redis.client.ping();

  const postgresOnly: WalletOperations = {
    balance: (id) => getBalance(db.pool, id),
    deposit: (id, amount) => deposit(db.pool, id, amount),
  };
  const withoutCache = summarize(await timedReads(postgresOnly, workload));

  const wallet: CachedWallet = {
    db: db.pool,
    cache: new BalanceCache(redis.client, { prefix: redis.prefix }),
    ttlMs: 60_000,
    logger: { warn: (message) => console.warn(message) },
  };
  const cached: WalletOperations = {
    balance: (id) => cachedBalance(wallet, id),
    deposit: (id, amount) => cachedDeposit(wallet, id, amount),
  };
  const withCache = summarize(await timedReads(cached, workload));

  const expected = expectedReads(shape);
  expect([withoutCache.count, withCache.count]).toEqual([expected.reads, expected.reads]);
  expect(wallet.cache.stats()).toEqual({ hits: expected.hits, misses: expected.misses });
  report({
    step: "02-cache",
    title: "balance reads with and without the cache",
    rows: [
      ...summaryRows("Postgres only", withoutCache, ["median", "p95", "mean"]),
      ...summaryRows("cache-aside", withCache, ["median", "p95", "mean"]),
      { label: "hit ratio", value: (100 * expected.hits) / expected.reads, unit: "%" },
    ],
    notes: [
      `${expected.reads} reads of ${shape.accounts} accounts in ${shape.rounds} rounds, a deposit after each round, one operation at a time`,
      `${expected.hits} hits and ${expected.misses} misses: each deposit costs the next round one miss`,
    ],
  });
});
