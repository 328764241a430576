/**
 * Task 2: the command returned the position of its last event; waiting until the read model
 * has applied that position gives the caller its own write — or, at the deadline, a typed
 * answer that says how far the read model had got.
 */
import { applyOnce } from "../src/apply.ts";
import { balanceOf, NotVisibleYet, transactionsOf, waitForPosition } from "../src/queries.ts";
import { createReadModels, recordAppliedThrough } from "../src/read-models.ts";
import { describe, expect, failureOf, proves, task } from "#kit/testing";
import { committedOffset, deposit, givenWallet, open, positionOf, startProjection, test, withdraw } from "./helpers.ts";

describe(task(2, "wait for a position"), () => {
  test(
    "GIVEN a projection held before every batch WHEN alice opens, deposits 100, withdraws 30 and deposits 5, each time waiting for the command's position THEN every read shows her own write: 0, 100, 70, 75",
    proves("read-your-writes", "wait for the command's position", "holds"),
    async ({ db, kafka, stopWhenDone, hold }) => {
      const wallet = await givenWallet({ db, kafka, stopWhenDone });
      const projection = await startProjection({ db, kafka, stopWhenDone }, { topic: wallet.topics.events, apply: applyOnce, points: hold.points });
      const story = [
        { command: open("alice"), before: undefined, after: 0 },
        { command: deposit("alice", 100), before: 0, after: 100 },
        { command: withdraw("alice", 30), before: 100, after: 70 },
        { command: deposit("alice", 5), before: 70, after: 75 },
      ];

      for (const { command, before, after } of story) {
        const position = positionOf(await wallet.send(command));
        await projection.orFailure(hold.held());
        const waiting = waitForPosition(db.pool, position, { timeoutMs: 10_000 });
        waiting.catch(() => {}); // awaited below, once the projection is released
        // The projection has the event in hand and has not applied it: a plain read is stale here.
        expect(await balanceOf(db.pool, "alice")).toBe(before);
        hold.release();
        await projection.orFailure(waiting);
        expect(await balanceOf(db.pool, "alice")).toBe(after);
      }
      expect((await transactionsOf(db.pool, "alice")).map((line) => line.balanceAfter)).toEqual([100, 70, 75]);
    },
  );

  test(
    "GIVEN the projection is down WHEN alice's deposit of 50 is accepted and she waits 300 ms for its position THEN NotVisibleYet names the position waited for and the one reached; when the projection is back the wait succeeds and the 50 counts once",
    async ({ db, kafka, stopWhenDone }) => {
      const wallet = await givenWallet({ db, kafka, stopWhenDone });
      const first = await startProjection({ db, kafka, stopWhenDone }, { topic: wallet.topics.events, apply: applyOnce });
      await wallet.send(open("alice"));
      await first.orFailure(waitForPosition(db.pool, positionOf(await wallet.send(deposit("alice", 100)))));
      await first.until(async () => expect(await committedOffset(kafka, first.groupId, wallet.topics.events)).toBe(2), "the offset after alice's 100 to be committed");
      await first.projection.stop();

      const position = positionOf(await wallet.send(deposit("alice", 50)));
      const notYet = await failureOf(() => waitForPosition(db.pool, position, { timeoutMs: 300 }), NotVisibleYet);

      expect(notYet.waitedFor).toEqual({ partition: 0, offset: 2 });
      expect(notYet.reached).toEqual({ partition: 0, offset: 1 });
      expect(notYet.message).toMatch(/offset 2 is not visible .* applied up to offset 1/);
      expect(await balanceOf(db.pool, "alice")).toBe(100);

      // Nothing was lost: the deposit waited in the log.
      const back = await startProjection({ db, kafka, stopWhenDone }, { topic: wallet.topics.events, apply: applyOnce, groupId: first.groupId });
      await back.orFailure(waitForPosition(db.pool, position, { timeoutMs: 10_000 }));
      expect(await balanceOf(db.pool, "alice")).toBe(150);
      expect((await transactionsOf(db.pool, "alice")).map((line) => line.amount)).toEqual([100, 50]);
    },
  );

  test("GIVEN a read model that has applied nothing from partition 1 WHEN waiting 50 ms for offset 0 there THEN NotVisibleYet says nothing was reached", async ({ db }) => {
    await createReadModels(db.pool);
    await recordAppliedThrough(db.pool, 0, 9);

    const notYet = await failureOf(() => waitForPosition(db.pool, { partition: 1, offset: 0 }, { timeoutMs: 50 }), NotVisibleYet);

    expect(notYet).toMatchObject({ waitedFor: { partition: 1, offset: 0 }, reached: null, timeoutMs: 50 });
    expect(notYet.message).toMatch(/applied nothing from partition 1/);
  });

  test("GIVEN the read model is already past the position WHEN waiting for it THEN the wait returns at once, even with no time to wait", async ({ db }) => {
    await createReadModels(db.pool);
    await recordAppliedThrough(db.pool, 0, 9);

    await waitForPosition(db.pool, { partition: 0, offset: 9 }, { timeoutMs: 0 });
    await waitForPosition(db.pool, { partition: 0, offset: 3 }, { timeoutMs: 0 });

    const notYet = await failureOf(() => waitForPosition(db.pool, { partition: 0, offset: 10 }, { timeoutMs: 0 }), NotVisibleYet);
    expect(notYet.reached).toEqual({ partition: 0, offset: 9 });
  });
});
