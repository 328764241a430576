/**
 * A command is accepted when its events are in the log; the read model shows them when the
 * projection has applied them — later. Here "later" is forced: the projection is held at
 * "before-apply", with the event in hand, while the client reads.
 */
import { applyEveryDelivery } from "../src/apply.ts";
import { balanceOf } from "../src/queries.ts";
import { describe, expect, proves, tradeoff } from "#kit/testing";
import { committedOffset, deposit, givenWallet, open, positionOf, startProjection, test } from "./helpers.ts";

describe(tradeoff("read-after-write is stale until the projection catches up"), () => {
  test(
    "GIVEN alice holds 100 and the projection is held before applying WHEN her deposit of 50 is accepted with its position THEN a read right after shows 100; once the projection is released it shows 150",
    proves("read-your-writes", "read the read model right after the command", "broken"),
    async ({ db, kafka, stopWhenDone, hold, annotate }) => {
      const wallet = await givenWallet({ db, kafka, stopWhenDone });
      const projection = await startProjection({ db, kafka, stopWhenDone }, { topic: wallet.topics.events, apply: applyEveryDelivery, points: hold.points });
      await wallet.send(open("alice"));
      await projection.orFailure(hold.held());
      hold.release();
      await wallet.send(deposit("alice", 100));
      await projection.orFailure(hold.held());
      hold.release();
      await projection.until(async () => expect(await balanceOf(db.pool, "alice")).toBe(100), "alice's 100 to be visible");

      const accepted = await wallet.send(deposit("alice", 50));
      await projection.orFailure(hold.held());

      // The write side has answered: accepted, and where the event is.
      expect(accepted).toMatchObject({ outcome: "accepted", events: [{ type: "MoneyDeposited", data: { amount: 50 } }] });
      expect(positionOf(accepted)).toEqual({ partition: 0, offset: 2 });
      // The read side has not applied it: the client reads its balance from before its own deposit.
      const right = await balanceOf(db.pool, "alice");
      expect(right).toBe(100);

      hold.release();
      await projection.until(async () => {
        expect(await balanceOf(db.pool, "alice")).toBe(150);
        expect(projection.projection.appliedCount).toBe(3);
      }, "the deposit of 50 to be visible");
      await annotate(`deposit of 50 accepted at offset ${positionOf(accepted).offset}: a read right after said ${right}, after the projection caught up ${await balanceOf(db.pool, "alice")}`);
    },
  );

  test(
    "GIVEN alice holds 100 and the projection is down WHEN three deposits of 10 are accepted THEN the read model still says 100 while the log is three events ahead; when the projection is back it says 130",
    proves("bounded-staleness", "asynchronous projection", "broken"),
    async ({ db, kafka, stopWhenDone, annotate }) => {
      const wallet = await givenWallet({ db, kafka, stopWhenDone });
      const first = await startProjection({ db, kafka, stopWhenDone }, { topic: wallet.topics.events, apply: applyEveryDelivery });
      await wallet.send(open("alice"));
      await wallet.send(deposit("alice", 100));
      await first.until(async () => expect(await committedOffset(kafka, first.groupId, wallet.topics.events)).toBe(2), "alice's 100 to be applied and committed");
      expect(await balanceOf(db.pool, "alice")).toBe(100);
      await first.projection.stop();

      const positions = [];
      for (let i = 0; i < 3; i++) positions.push(positionOf(await wallet.send(deposit("alice", 10))));

      // Every command was accepted, and the log has them all; the read model has none of them.
      // Nothing bounds this gap but the projection's return: each new command widens it.
      expect(positions.map((position) => position.offset)).toEqual([2, 3, 4]);
      expect((await kafka.admin.fetchTopicOffsets(wallet.topics.events))[0]?.high).toBe("5");
      const whileDown = await balanceOf(db.pool, "alice");
      expect(whileDown).toBe(100);

      const back = await startProjection({ db, kafka, stopWhenDone }, { topic: wallet.topics.events, apply: applyEveryDelivery, groupId: first.groupId });
      await back.until(async () => {
        expect(await balanceOf(db.pool, "alice")).toBe(130);
        expect(back.projection.appliedCount).toBe(3);
      }, "the three deposits to be visible");
      await annotate(`projection down, 3 deposits of 10 accepted: read model said ${whileDown} with the log ${positions.length} events ahead; back up, ${await balanceOf(db.pool, "alice")}`);
    },
  );
});
