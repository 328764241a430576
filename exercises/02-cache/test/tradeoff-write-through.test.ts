/**
 * Write-through: after the commit, put the new balance in the cache instead of deleting it.
 * It changes something real — the writer's next read is a hit with the new balance — and it
 * leaves the invalidation race in place. It even adds one: two deletes commute, two puts do not.
 */
import { describe, expect, proves, test, tradeoff } from "#kit/testing";
import { depositThenInvalidate, depositWriteThrough, readThrough } from "./cache-aside-by-hand.ts";
import { cachedCopy, givenWallet, holdBefore, storedBalances, walletService } from "./helpers.ts";

describe(tradeoff("write-through: the writer reads its deposit from the cache, and puts still race"), () => {
  test("GIVEN alice's 100 is cached WHEN she deposits 50 with write-through THEN her next read is a hit that says 150, where cache-aside would miss", async ({ db, redis, annotate }) => {
    await givenWallet(db.pool, { alice: 100, bob: 100 });
    const service = walletService(db, redis);
    await readThrough(service, "alice");
    await readThrough(service, "bob");

    await depositWriteThrough(service, "alice", 50);
    await depositThenInvalidate(service, "bob", 50);

    expect(await readThrough(service, "alice")).toBe(150);
    expect(service.cache.stats()).toEqual({ hits: 1, misses: 2 }); // alice's read hit
    expect(await readThrough(service, "bob")).toBe(150);
    expect(service.cache.stats()).toEqual({ hits: 1, misses: 3 }); // bob's read went back to Postgres
    await annotate(`after a deposit: write-through read is a hit, cache-aside a miss (${service.cache.stats().hits} hit, ${service.cache.stats().misses} misses in all)`);
  });

  test(
    "GIVEN a reader read 100 from Postgres WHEN alice's write-through deposit puts 150 before the reader puts THEN the reader's 100 overwrites it",
    proves("read-your-writes", "write-through", "broken"),
    async ({ db, redis, annotate }) => {
      await givenWallet(db.pool, { alice: 100 });
      const reader = walletService(db, redis);
      const alice = walletService(db, redis, { pool: db.newPool() });
      const { reached: hasRead, release } = holdBefore(reader, "cache-put");

      const read = readThrough(reader, "alice");
      await hasRead.received();
      expect(await depositWriteThrough(alice, "alice", 50)).toBe(150);
      expect(await cachedCopy(redis, "alice")).toBe("150"); // for a moment, the cache is right
      release.open();
      await read;

      const cached = await cachedCopy(redis, "alice");
      await annotate(`write-through put 150, the held reader then put ${cached}; Postgres holds ${(await storedBalances(db.pool)).alice}`);
      expect(cached).toBe("100");
      expect(await readThrough(alice, "alice")).toBe(100);
      expect(await storedBalances(db.pool)).toEqual({ alice: 150 });
    },
  );

  test(
    "GIVEN two write-through deposits of 50 WHEN the first commits (150) but puts after the second has committed and put (200) THEN the cache says 150, and the second writer reads 150",
    proves("read-your-writes", "write-through", "broken"),
    async ({ db, redis, annotate }) => {
      await givenWallet(db.pool, { alice: 100 });
      const first = walletService(db, redis);
      const second = walletService(db, redis, { pool: db.newPool() });
      const { reached: firstCommitted, release } = holdBefore(first, "cache-put");

      const firstDeposit = depositWriteThrough(first, "alice", 50);
      await firstCommitted.received();
      expect(await depositWriteThrough(second, "alice", 50)).toBe(200);
      release.open();
      expect(await firstDeposit).toBe(150);

      const cached = await cachedCopy(redis, "alice");
      await annotate(`two write-through deposits: Postgres holds ${(await storedBalances(db.pool)).alice}, the cache ${cached} — the late put won`);
      expect(await storedBalances(db.pool)).toEqual({ alice: 200 });
      expect(cached).toBe("150");
      expect(await readThrough(second, "alice")).toBe(150); // the second writer does not read its own deposit
    },
  );

  test("GIVEN the same two deposits with cache-aside WHEN the first deletes after the second has committed and deleted THEN the next read says 200: deletes commute, puts do not", async ({ db, redis, annotate }) => {
    await givenWallet(db.pool, { alice: 100 });
    const first = walletService(db, redis);
    const second = walletService(db, redis, { pool: db.newPool() });
    await readThrough(first, "alice");
    const { reached: firstCommitted, release } = holdBefore(first, "cache-delete");

    const firstDeposit = depositThenInvalidate(first, "alice", 50);
    await firstCommitted.received();
    await depositThenInvalidate(second, "alice", 50);
    release.open();
    await firstDeposit;

    expect(await cachedCopy(redis, "alice")).toBeNull();
    const read = await readThrough(second, "alice");
    await annotate(`the same two deposits with cache-aside: the next read says ${read}`);
    expect(read).toBe(200);
  });
});
