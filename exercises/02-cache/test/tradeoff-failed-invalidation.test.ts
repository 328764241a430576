/**
 * A failed invalidation: the deposit commits in Postgres, then the delete of the cached copy
 * fails — the writer's Redis connection died right then, or Redis refused the command. The
 * write must not be reported as failed (it happened), and from then on the cache serves the
 * balance from before it, to every service that still reaches Redis, for as long as the copy lives.
 */
import { describe, expect, proves, test, tradeoff } from "#kit/testing";
import { depositThenInvalidate, readThrough, readThroughWithoutTtl } from "./cache-aside-by-hand.ts";
import { TTL_MS, cachedCopy, givenWallet, ownRedisClient, redisThatIsDown, storedBalances, timeToLive, walletService } from "./helpers.ts";

describe(tradeoff("cache-aside: a failed invalidation leaves the cache stale until its TTL"), () => {
  test(
    "GIVEN alice's 100 is cached WHEN the writer's Redis connection dies between her deposit's commit and its delete THEN she is told 150, and the services that still reach Redis keep reading 100",
    proves("survives-crash", "cache-aside", "broken"),
    async ({ db, redis, onTestFinished, annotate }) => {
      await givenWallet(db.pool, { alice: 100 });
      const reader = walletService(db, redis);
      const writerRedis = await ownRedisClient(onTestFinished);
      const writer = walletService(db, redis, { pool: db.newPool(), client: writerRedis });
      // The crash, at the exact point: the deposit has committed, the delete is about to be sent.
      writer.points.on("cache-delete", () => writerRedis.destroy());
      expect(await readThrough(reader, "alice")).toBe(100);

      const told = await depositThenInvalidate(writer, "alice", 50);

      // The write: committed, reported as done, and the lost invalidation only logged.
      expect(told).toBe(150);
      expect(await storedBalances(db.pool)).toEqual({ alice: 150 });
      expect(writer.logger.lines).toHaveLength(1);
      // The reads: the copy from before the deposit, and only its TTL will remove it.
      expect([await readThrough(reader, "alice"), await readThrough(reader, "alice")]).toEqual([100, 100]);
      const left = await timeToLive(redis, "alice");
      await annotate(`told ${told}, Postgres holds ${(await storedBalances(db.pool)).alice}, the cache serves ${await cachedCopy(redis, "alice")} for ${left} ms more`);
      expect(left).toBeGreaterThan(0);
      expect(left).toBeLessThanOrEqual(TTL_MS);
    },
  );

  test("GIVEN alice's 100 is cached WHEN Redis fails the delete after her deposit commits THEN she is told 150, and the cache still says 100", async ({ db, redis, annotate }) => {
    await givenWallet(db.pool, { alice: 100 });
    const service = walletService(db, redis);
    expect(await readThrough(service, "alice")).toBe(100);
    service.points.failOnceAt("cache-delete");

    const told = await depositThenInvalidate(service, "alice", 50);
    const read = await readThrough(service, "alice");
    await annotate(`Redis refused the delete: told ${told}, next read ${read}`);
    expect(told).toBe(150);

    expect(await storedBalances(db.pool)).toEqual({ alice: 150 });
    expect(read).toBe(100);
  });

  test(
    "GIVEN balances are cached without a TTL WHEN an invalidation fails THEN the stale 100 never expires: a hundred reads later it is still served",
    proves("bounded-staleness", "cache-aside without TTL", "broken"),
    async ({ db, redis, annotate }) => {
      await givenWallet(db.pool, { alice: 100 });
      const reader = walletService(db, redis);
      const writer = walletService(db, redis, { client: await redisThatIsDown() });
      expect(await readThroughWithoutTtl(reader, redis, "alice")).toBe(100);

      await depositThenInvalidate(writer, "alice", 50);

      expect(await timeToLive(redis, "alice")).toBe(-1); // -1: the key has no expiry
      const reads = [];
      for (let i = 0; i < 100; i++) reads.push(await readThroughWithoutTtl(reader, redis, "alice"));
      await annotate(`no TTL: ${reads.filter((balance) => balance === 100).length} of ${reads.length} reads after the deposit said 100, Postgres says ${(await storedBalances(db.pool)).alice}`);
      expect(new Set(reads)).toEqual(new Set([100]));
      expect(await storedBalances(db.pool)).toEqual({ alice: 150 });
    },
  );
});
