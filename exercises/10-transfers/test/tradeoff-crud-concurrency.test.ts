/**
 * Concurrent CRUD transfers: row locks keep the invariants, and the order they are taken in
 * decides whether two transfers can deadlock. Every interleaving is forced with a barrier.
 */
import { balances, totalBalance, transfer, transferCount } from "../src/crud/bank.ts";
import { InsufficientFunds, TransferDeadlocked } from "../src/crud/errors.ts";
import { Barrier, describe, expect, Failpoints, proves, test, tradeoff } from "#kit/testing";
import { givenCrudBank } from "./helpers.ts";

describe(tradeoff("concurrent CRUD transfers: row locks, and the order they are taken in"), () => {
  test(
    "GIVEN alice 100 WHEN 10 transfers of 30 to bob all start before any takes its locks THEN 3 complete, 7 are refused, alice keeps 10, and a reader sees 100 while the first is held after its debit, as in every total it read meanwhile",
    proves("invariants-under-concurrency", "one SQL transaction", "holds"),
    async ({ db, annotate }) => {
      await givenCrudBank(db.pool, { alice: 100, bob: 0 });
      const barrier = new Barrier(10);
      const reader = db.newPool({ max: 1 });
      // The first transfer to debit waits there, locks held, until the reader has looked.
      let whileHeld: number | undefined;
      const points = new Failpoints()
        .on("before-lock", () => barrier.arrive())
        .on("after-debit", async () => {
          if (whileHeld === undefined) whileHeld = await totalBalance(reader);
        });
      const pool = db.newPool({ max: 10 });

      const seen: number[] = [];
      let done = false;
      const looking = (async () => {
        while (!done) seen.push(await totalBalance(reader));
      })();
      const results = await Promise.allSettled(
        Array.from({ length: 10 }, (_, i) => transfer(pool, { transferId: `t-${i}`, from: "alice", to: "bob", amount: 30 }, { points })),
      );
      done = true;
      await looking;

      expect(points.timesReached("before-lock")).toBe(10);
      expect(results.filter((result) => result.status === "fulfilled")).toHaveLength(3);
      const refused = results.flatMap((result) => (result.status === "rejected" ? [result.reason] : []));
      expect(refused).toHaveLength(7);
      for (const reason of refused) expect(reason).toBeInstanceOf(InsufficientFunds);
      expect(await balances(db.pool)).toEqual({ alice: 10, bob: 90 });
      expect(await transferCount(db.pool)).toBe(3);
      expect(points.timesReached("after-debit")).toBe(3);
      expect(whileHeld).toBe(100);
      expect(seen.filter((total) => total !== 100)).toEqual([]);
      const after = await balances(db.pool);
      await annotate(`${results.length} transfers of 30 from 100: ${results.length - refused.length} completed · ${refused.length} refused · alice ${after.alice} · read while one was held after its debit: ${whileHeld} · ${seen.length} more totals read meanwhile, ${seen.filter((total) => total !== 100).length} of them not 100`);
    },
  );

  test(
    "GIVEN alice 100 and bob 100 WHEN alice sends bob 30 and bob sends alice 50 at the same moment, each locking both rows by account id THEN both complete: 120 and 80",
    proves("no-lost-updates", "one SQL transaction", "holds"),
    async ({ db, annotate }) => {
      await givenCrudBank(db.pool, { alice: 100, bob: 100 });
      const barrier = new Barrier(2);
      const points = new Failpoints().on("before-lock", () => barrier.arrive());

      const receipts = await Promise.all([
        transfer(db.pool, { transferId: "a-to-b", from: "alice", to: "bob", amount: 30 }, { points }),
        transfer(db.newPool(), { transferId: "b-to-a", from: "bob", to: "alice", amount: 50 }, { points }),
      ]);

      const after = await balances(db.pool);
      await annotate(`30 one way and 50 the other at once, rows locked by id: ${receipts.filter((receipt) => receipt.outcome === "completed").length} of 2 completed · alice ${after.alice} · bob ${after.bob}`);
      expect(receipts.map((receipt) => receipt.outcome)).toEqual(["completed", "completed"]);
      expect(after).toEqual({ alice: 120, bob: 80 });
    },
  );

  test("GIVEN alice 100 and bob 100 WHEN the same two transfers each lock their source first and both have debited THEN each waits for the other's row: Postgres aborts one (a deadlock), and only the other is applied", async ({ db, annotate }) => {
    await givenCrudBank(db.pool, { alice: 100, bob: 100 });
    const barrier = new Barrier(2);
    const points = new Failpoints().on("after-debit", () => barrier.arrive());

    const results = await Promise.allSettled([
      transfer(db.pool, { transferId: "a-to-b", from: "alice", to: "bob", amount: 30 }, { points, lockOrder: "source first" }),
      transfer(db.newPool(), { transferId: "b-to-a", from: "bob", to: "alice", amount: 50 }, { points, lockOrder: "source first" }),
    ]);

    const completed = results.flatMap((result) => (result.status === "fulfilled" ? [result.value.transferId] : []));
    const aborted = results.flatMap((result) => (result.status === "rejected" ? [result.reason] : []));
    expect(completed).toHaveLength(1);
    expect(aborted).toHaveLength(1);
    expect(aborted[0]).toBeInstanceOf(TransferDeadlocked);
    // Whichever survived, it alone is applied: the total is still 200.
    const expected = completed[0] === "a-to-b" ? { alice: 70, bob: 130 } : { alice: 150, bob: 50 };
    expect(await balances(db.pool)).toEqual(expected);
    expect(await transferCount(db.pool)).toBe(1);
    await annotate(`locking the source first: ${results.length} transfers in opposite directions · ${aborted.length} aborted by Postgres (${aborted[0] instanceof TransferDeadlocked ? "deadlock" : "other"}) · ${completed.length} applied (${completed[0]})`);
  });
});
