import { cachedBalance } from "../src/cached-wallet.ts";
import { AccountNotFound, InvalidAccountId } from "../src/errors.ts";
import { describe, expect, failureOf, task, test } from "#kit/testing";
import { TTL_MS, cachedCopy, givenWallet, setBalanceBehindTheCache, timeToLive, walletService } from "./helpers.ts";

describe(task(1, "read through the cache"), () => {
  test("GIVEN alice holds 100 and nothing is cached WHEN her balance is read THEN 100 comes from Postgres and is now cached", async ({ db, redis }) => {
    await givenWallet(db.pool, { alice: 100 });
    const wallet = walletService(db, redis);

    expect(await cachedBalance(wallet, "alice")).toBe(100);

    expect(wallet.cache.stats()).toEqual({ hits: 0, misses: 1 });
    expect(await cachedCopy(redis, "alice")).toBe("100");
  });

  test("GIVEN a first read cached alice's 100 WHEN she reads again THEN the cache answers, not Postgres", async ({ db, redis }) => {
    await givenWallet(db.pool, { alice: 100 });
    const wallet = walletService(db, redis);
    await cachedBalance(wallet, "alice");
    // Change the truth behind the cache's back: only a read that skipped Postgres can still say 100.
    await setBalanceBehindTheCache(db.pool, "alice", 999);

    expect(await cachedBalance(wallet, "alice")).toBe(100);
    expect(await cachedBalance(wallet, "alice")).toBe(100);

    expect(wallet.cache.stats()).toEqual({ hits: 2, misses: 1 });
  });

  test("GIVEN a wallet whose TTL is 60 s WHEN a balance is cached THEN it expires: Redis gives it at most 60 s to live", async ({ db, redis }) => {
    await givenWallet(db.pool, { alice: 100 });
    const wallet = walletService(db, redis, { ttlMs: TTL_MS });

    await cachedBalance(wallet, "alice");

    // PTTL: -1 would mean "never expires", -2 "no such key".
    const left = await timeToLive(redis, "alice");
    expect(left).toBeGreaterThan(0);
    expect(left).toBeLessThanOrEqual(TTL_MS);
  });

  test("GIVEN two accounts WHEN both are read THEN each has its own cached copy", async ({ db, redis }) => {
    await givenWallet(db.pool, { alice: 100, bob: 250 });
    const wallet = walletService(db, redis);

    expect([await cachedBalance(wallet, "alice"), await cachedBalance(wallet, "bob")]).toEqual([100, 250]);

    expect([await cachedCopy(redis, "alice"), await cachedCopy(redis, "bob")]).toEqual(["100", "250"]);
  });

  test("GIVEN no account bob WHEN his balance is read THEN AccountNotFound, and nothing is cached for him", async ({ db, redis }) => {
    await givenWallet(db.pool, { alice: 100 });
    const wallet = walletService(db, redis);

    const error = await failureOf(() => cachedBalance(wallet, "bob"), AccountNotFound);

    expect(error.accountId).toBe("bob");
    expect(await cachedCopy(redis, "bob")).toBeNull();
  });

  test("GIVEN an id with a new line WHEN it is read THEN InvalidAccountId, before Redis is asked anything", async ({ db, redis }) => {
    await givenWallet(db.pool, { alice: 100 });
    const wallet = walletService(db, redis);

    await failureOf(() => cachedBalance(wallet, "alice\n"), InvalidAccountId);

    expect(wallet.points.timesReached("cache-get")).toBe(0);
  });
});
