import { forgetBalance } from "../src/cached-wallet.ts";
import { describe, expect, task, test } from "#kit/testing";
import { cachedCopy, givenCachedCopy, redisThatIsDown, walletService } from "./helpers.ts";

describe(task(2, "forget a balance without failing the write"), () => {
  test("GIVEN alice's balance is cached WHEN it is forgotten THEN the key is gone, and nothing is logged", async ({ db, redis }) => {
    await givenCachedCopy(redis, "alice", 100);
    const wallet = walletService(db, redis);

    await forgetBalance(wallet, "alice");

    expect(await cachedCopy(redis, "alice")).toBeNull();
    expect(wallet.logger.lines).toEqual([]);
  });

  test("GIVEN nothing is cached for alice WHEN it is forgotten THEN that is fine: deleting nothing is not an error", async ({ db, redis }) => {
    const wallet = walletService(db, redis);

    await forgetBalance(wallet, "alice");

    expect(await cachedCopy(redis, "alice")).toBeNull();
    expect(wallet.logger.lines).toEqual([]);
  });

  test("GIVEN Redis fails the delete WHEN alice's balance is forgotten THEN it resolves, and one warning names alice and says the copy may be stale", async ({ db, redis }) => {
    await givenCachedCopy(redis, "alice", 100);
    const wallet = walletService(db, redis);
    wallet.points.failAt("cache-delete");

    await forgetBalance(wallet, "alice");

    expect(wallet.logger.lines).toHaveLength(1);
    expect(wallet.logger.lines[0]).toMatch(/alice/);
    expect(wallet.logger.lines[0]).toMatch(/stale/i);
    expect(await cachedCopy(redis, "alice")).toBe("100"); // the failure was real: the copy is still there
  });

  test("GIVEN the service's Redis is down (its connection refused) WHEN alice's balance is forgotten THEN it resolves with a warning", async ({ db, redis }) => {
    const wallet = walletService(db, redis, { client: await redisThatIsDown() });

    await forgetBalance(wallet, "alice");

    expect(wallet.logger.lines).toHaveLength(1);
    expect(wallet.logger.lines[0]).toMatch(/alice/);
    expect(wallet.logger.lines[0]).toMatch(/stale/i);
  });
});
