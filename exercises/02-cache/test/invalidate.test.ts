import { cachedBalance, cachedDeposit, cachedWithdraw } from "../src/cached-wallet.ts";
import { AccountNotFound, InsufficientFunds, InvalidAmount } from "../src/errors.ts";
import { apply, expectedReads, readMostlyWorkload } from "../src/workload.ts";
import { describe, expect, failureOf, proves, task, test } from "#kit/testing";
import { cachedCopy, givenCachedCopy, givenWallet, redisThatIsDown, storedBalances, walletService } from "./helpers.ts";

describe(task(3, "invalidate after every write"), () => {
  test("GIVEN alice's 100 is cached WHEN she deposits 50 THEN she is told 150, Postgres holds 150 and the stale copy is gone", async ({ db, redis }) => {
    await givenWallet(db.pool, { alice: 100 });
    await givenCachedCopy(redis, "alice", 100);
    const wallet = walletService(db, redis);

    expect(await cachedDeposit(wallet, "alice", 50)).toBe(150);

    expect(await storedBalances(db.pool)).toEqual({ alice: 150 });
    expect(await cachedCopy(redis, "alice")).toBeNull();
  });

  test("GIVEN alice's 100 is cached WHEN she withdraws 30 THEN she is told 70, Postgres holds 70 and the stale copy is gone", async ({ db, redis }) => {
    await givenWallet(db.pool, { alice: 100 });
    await givenCachedCopy(redis, "alice", 100);
    const wallet = walletService(db, redis);

    expect(await cachedWithdraw(wallet, "alice", 30)).toBe(70);

    expect(await storedBalances(db.pool)).toEqual({ alice: 70 });
    expect(await cachedCopy(redis, "alice")).toBeNull();
  });

  test("GIVEN bob's 100 is cached WHEN alice deposits THEN bob's copy stays: a write forgets only its own account", async ({ db, redis }) => {
    await givenWallet(db.pool, { alice: 100, bob: 100 });
    await givenCachedCopy(redis, "bob", 100);
    const wallet = walletService(db, redis);

    await cachedDeposit(wallet, "alice", 50);

    expect(await cachedCopy(redis, "bob")).toBe("100");
  });

  test(
    "GIVEN alice holds 100 but the cache says 1000 WHEN she withdraws 500 THEN InsufficientFunds: Postgres decides, never the cached copy",
    proves("invariants-under-concurrency", "cache for reads, Postgres for decisions", "holds"),
    async ({ db, redis }) => {
      await givenWallet(db.pool, { alice: 100 });
      await givenCachedCopy(redis, "alice", 1000); // stale, and far too generous
      const wallet = walletService(db, redis);

      const refused = await failureOf(() => cachedWithdraw(wallet, "alice", 500), InsufficientFunds);

      expect(refused).toMatchObject({ balance: 100, requested: 500 });
      expect(await storedBalances(db.pool)).toEqual({ alice: 100 });
    },
  );

  test("GIVEN no account bob WHEN bob deposits THEN AccountNotFound, and no account appears", async ({ db, redis }) => {
    await givenWallet(db.pool, { alice: 100 });
    const wallet = walletService(db, redis);

    await failureOf(() => cachedDeposit(wallet, "bob", 50), AccountNotFound);

    expect(await storedBalances(db.pool)).toEqual({ alice: 100 });
  });

  test("GIVEN alice holds 100 WHEN she deposits half a cent THEN InvalidAmount, and the balance stays 100", async ({ db, redis }) => {
    await givenWallet(db.pool, { alice: 100 });
    const wallet = walletService(db, redis);

    await failureOf(() => cachedDeposit(wallet, "alice", 0.5), InvalidAmount);

    expect(await storedBalances(db.pool)).toEqual({ alice: 100 });
  });

  test(
    "GIVEN alice holds 100 WHEN 20 deposits of 10 run at once on two services THEN every one counts: 300, and no copy is left to serve an older balance",
    proves("no-lost-updates", "cache-aside over atomic updates", "holds"),
    async ({ db, redis }) => {
      await givenWallet(db.pool, { alice: 100 });
      await givenCachedCopy(redis, "alice", 100);
      const services = [walletService(db, redis), walletService(db, redis, { pool: db.newPool() })];

      await Promise.all(Array.from({ length: 20 }, (_, i) => cachedDeposit(services[i % 2]!, "alice", 10)));

      expect(await storedBalances(db.pool)).toEqual({ alice: 300 });
      expect(await cachedCopy(redis, "alice")).toBeNull();
    },
  );

  test("GIVEN the writer's Redis is down WHEN alice deposits 50 THEN she is told 150 — the deposit is committed — and a warning says her copy may be stale", async ({ db, redis }) => {
    await givenWallet(db.pool, { alice: 100 });
    const writer = walletService(db, redis, { client: await redisThatIsDown() });

    // A committed deposit reported as failed would be retried by the caller: 50 paid in twice.
    expect(await cachedDeposit(writer, "alice", 50)).toBe(150);

    expect(await storedBalances(db.pool)).toEqual({ alice: 150 });
    expect(writer.logger.lines).toHaveLength(1);
    expect(writer.logger.lines[0]).toMatch(/alice/);
  });

  test("GIVEN the fixed workload (10 accounts, 10 rounds of reads, a deposit after each) WHEN it runs THEN 81 of 100 reads hit: each deposit costs one miss", async ({ db, redis }) => {
    const shape = { accounts: 10, rounds: 10 };
    const { accountIds, operations } = readMostlyWorkload(shape);
    await givenWallet(db.pool, Object.fromEntries(accountIds.map((id) => [id, 100])));
    const wallet = walletService(db, redis);
    const cached = {
      balance: (id: string) => cachedBalance(wallet, id),
      deposit: (id: string, amount: number) => cachedDeposit(wallet, id, amount),
    };

    for (const operation of operations) await apply(cached, operation);

    const { hits, misses } = expectedReads(shape);
    expect({ hits, misses }).toEqual({ hits: 81, misses: 19 });
    expect(wallet.cache.stats()).toEqual({ hits, misses });
  });
});
