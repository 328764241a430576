/**
 * What a short TTL changes, and what it does not. A stale copy that nobody deletes goes away
 * by itself when its TTL runs out: a TTL bounds how long an entry lives. It does not bound how
 * old the balance in it is: the TTL starts when the copy is put, not when the balance was read,
 * so a reader held between its read and its put caches an old balance for a whole new TTL.
 */
import { describe, eventually, expect, proves, test, tradeoff, until } from "#kit/testing";
import { depositThenInvalidate, readThrough } from "./cache-aside-by-hand.ts";
import { cachedCopy, givenWallet, holdBefore, redisThatIsDown, storedBalances, timeToLive, walletService } from "./helpers.ts";

describe(tradeoff("a short TTL bounds how long a stale copy lives, not how stale it is"), () => {
  test("GIVEN a TTL of 300 ms and a failed invalidation WHEN reads keep coming THEN the stale copy expires by itself and a read says 150", async ({ db, redis, annotate }) => {
    await givenWallet(db.pool, { alice: 100 });
    const reader = walletService(db, redis, { ttlMs: 300 });
    const writer = walletService(db, redis, { client: await redisThatIsDown(), ttlMs: 300 });
    expect(await readThrough(reader, "alice")).toBe(100);

    await depositThenInvalidate(writer, "alice", 50); // the delete fails: the copy of 100 stays…
    expect(writer.logger.lines).toHaveLength(1);

    // …until Redis expires it. Nobody deletes it: only the TTL can make this read say 150.
    let staleReads = 0;
    await eventually(
      async () => {
        const read = await readThrough(reader, "alice");
        if (read === 100) staleReads++;
        expect(read).toBe(150);
      },
      { timeoutMs: 10_000, what: "the stale copy to expire" },
    );
    await annotate(`TTL 300 ms: ${staleReads} reads said 100 before the stale copy expired and a read said 150`);
    expect(await storedBalances(db.pool)).toEqual({ alice: 150 });
  });

  test(
    "GIVEN a TTL of 1 s WHEN a reader that read 100 is held until a full TTL has passed since alice's deposit of 50 THEN it caches 100 anyway, with a fresh TTL ahead",
    proves("bounded-staleness", "cache-aside with TTL", "broken"),
    async ({ db, redis, annotate }) => {
      const ttlMs = 1_000;
      await givenWallet(db.pool, { alice: 100 });
      const reader = walletService(db, redis, { ttlMs });
      const writer = walletService(db, redis, { pool: db.newPool(), ttlMs });
      const { reached: hasRead, release } = holdBefore(reader, "cache-put");
      // A key that lives one TTL from the moment the deposit commits, on Redis's own clock: the
      // moment by which a TTL of 1 s would have to have made every read see the deposit.
      const deadline = redis.key("one-ttl-after-the-deposit");

      const read = readThrough(reader, "alice"); // reads 100 from Postgres, then is held
      await hasRead.received();
      await depositThenInvalidate(writer, "alice", 50);
      await redis.client.set(deadline, "", { expiration: { type: "PX", value: ttlMs } });
      await until(async () => (await redis.client.exists(deadline)) === 0, { timeoutMs: 10_000, what: "one TTL to pass since the deposit" });
      release.open();
      await read;

      // One TTL after the deposit, the cache holds the balance from before it, with a whole TTL to go.
      const cached = await cachedCopy(redis, "alice");
      const left = await timeToLive(redis, "alice");
      await annotate(`TTL ${ttlMs} ms, reader held ${ttlMs} ms past the deposit: cache holds ${cached} with ${left} ms still to live`);
      expect(cached).toBe("100");
      expect(left).toBeGreaterThan(0);
      expect(await storedBalances(db.pool)).toEqual({ alice: 150 });
    },
  );
});
