import { cachedBalance } from "../src/cached-wallet.ts";
import { describe, expect, task, test } from "#kit/testing";
import { cachedCopy, givenWallet, redisThatIsDown, walletService } from "./helpers.ts";

describe(task(4, "keep reading when Redis is down"), () => {
  test("GIVEN Redis is down (nothing listens on its port) WHEN alice's balance is read THEN 100 comes from Postgres, and a warning names alice and Postgres", async ({ db, redis }) => {
    await givenWallet(db.pool, { alice: 100 });
    const wallet = walletService(db, redis, { client: await redisThatIsDown() });

    expect(await cachedBalance(wallet, "alice")).toBe(100);

    // One line for the failed lookup; the put that follows may fail too, and may say so.
    expect(wallet.logger.lines.length).toBeGreaterThanOrEqual(1);
    expect(wallet.logger.lines[0]).toMatch(/alice/);
    expect(wallet.logger.lines[0]).toMatch(/postgres/i);
  });

  test("GIVEN Redis is down WHEN 3 reads come in THEN all 3 are answered: a cache that is down costs speed, not availability", async ({ db, redis }) => {
    await givenWallet(db.pool, { alice: 100, bob: 250 });
    const wallet = walletService(db, redis, { client: await redisThatIsDown() });

    const balances = [await cachedBalance(wallet, "alice"), await cachedBalance(wallet, "bob"), await cachedBalance(wallet, "alice")];

    expect(balances).toEqual([100, 250, 100]);
    expect(wallet.logger.lines.filter((line) => /postgres/i.test(line)).length).toBeGreaterThanOrEqual(3);
  });

  test("GIVEN Redis answers the lookup but fails the put WHEN alice's balance is read THEN she still gets 100, with a warning, and nothing is cached", async ({ db, redis }) => {
    await givenWallet(db.pool, { alice: 100 });
    const wallet = walletService(db, redis);
    wallet.points.failAt("cache-put");

    expect(await cachedBalance(wallet, "alice")).toBe(100);

    expect(wallet.logger.lines).toHaveLength(1);
    expect(wallet.logger.lines[0]).toMatch(/alice/);
    expect(await cachedCopy(redis, "alice")).toBeNull();
  });
});
