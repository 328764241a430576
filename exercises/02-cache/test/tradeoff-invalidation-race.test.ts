/**
 * The invalidation race of cache-aside. A reader misses, reads the balance from Postgres,
 * and — before it puts that balance into the cache — a deposit commits and deletes the key.
 * The reader then caches the balance it read before the deposit. Nothing is wrong with
 * either call alone; the interleaving is forced at the reader's "cache-put" failpoint, so it
 * happens on every run.
 */
import { describe, expect, proves, test, tradeoff } from "#kit/testing";
import { depositThenInvalidate, readThrough } from "./cache-aside-by-hand.ts";
import { cachedCopy, givenWallet, holdBefore, storedBalances, walletService } from "./helpers.ts";

describe(tradeoff("cache-aside: a reader re-caches a stale balance after a concurrent deposit"), () => {
  test("GIVEN no read in flight WHEN alice deposits 50 THEN the next read misses and says 150: alone, cache-aside is right", async ({ db, redis, annotate }) => {
    await givenWallet(db.pool, { alice: 100 });
    const service = walletService(db, redis);
    expect(await readThrough(service, "alice")).toBe(100);

    await depositThenInvalidate(service, "alice", 50);

    const read = await readThrough(service, "alice");
    await annotate(`no read in flight: the read after the deposit says ${read} (${service.cache.stats().misses} misses, ${service.cache.stats().hits} hits)`);
    expect(read).toBe(150);
    expect(service.cache.stats()).toEqual({ hits: 0, misses: 2 });
  });

  test(
    "GIVEN a reader read 100 from Postgres WHEN alice's deposit of 50 commits and invalidates before the reader's put THEN the cache holds 100, and alice's own next read says 100",
    proves("read-your-writes", "cache-aside", "broken"),
    async ({ db, redis, annotate }) => {
      await givenWallet(db.pool, { alice: 100 });
      const reader = walletService(db, redis);
      const alice = walletService(db, redis, { pool: db.newPool() }); // another instance of the service
      const { reached: hasRead, release } = holdBefore(reader, "cache-put");

      const read = readThrough(reader, "alice"); // 1. misses; 2. reads 100 from Postgres; held
      await hasRead.received();
      const told = await depositThenInvalidate(alice, "alice", 50); // 3. commits 150; 4. deletes the key (there is none yet)
      release.open();
      expect(await read).toBe(100); // 5. the reader puts the 100 it read before the deposit

      const cached = await cachedCopy(redis, "alice");
      await annotate(`reader re-cached ${cached} after the deposit made it ${told}; Postgres holds ${(await storedBalances(db.pool)).alice}`);
      expect(told).toBe(150);
      expect(await storedBalances(db.pool)).toEqual({ alice: 150 });
      expect(cached).toBe("100");
      // Alice was told 150 and reads her balance: the cache answers with the balance before her deposit.
      expect(await readThrough(alice, "alice")).toBe(100);
      expect(alice.cache.stats().hits).toBe(1);
      // The invalidation did run, before the stale put: deleting sooner or harder does not help.
      expect(alice.points.timesReached("cache-delete")).toBe(1);
    },
  );
});
