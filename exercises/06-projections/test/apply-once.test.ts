/**
 * Task 1, on the database alone: a batch is applied once, however often it is delivered,
 * because the position it reached is stored in the same transaction as the change.
 */
import { applyOnce } from "../src/apply.ts";
import type { Stamp } from "../src/envelope.ts";
import { balanceOf, transactionsOf } from "../src/queries.ts";
import { appliedThrough, createReadModels, rejectedRecords } from "../src/read-models.ts";
import { describe, expect, failureOf, proves, task, test } from "#kit/testing";
import { deposited, opened, recordedAt, withdrawn } from "./helpers.ts";

/** A clock that moves one hour per event, from 09:00: each line of the list has its own time. */
function hourlyStamp(): Stamp {
  let hour = 9;
  let id = 0;
  return { now: () => new Date(Date.UTC(2026, 2, 2, hour++)), newId: () => `event-${++id}` };
}

describe(task(1, "apply each batch once"), () => {
  test(
    "GIVEN alice's opening, deposits of 100 and 50 and a withdrawal of 30 WHEN applied as one batch THEN her balance is 120, and her transaction list says when and why",
    proves("full-history", "transaction list read model", "holds"),
    async ({ db }) => {
      await createReadModels(db.pool);
      const batch = recordedAt(0, 0, [opened("alice"), deposited("alice", 100), deposited("alice", 50), withdrawn("alice", 30)], hourlyStamp());

      const outcome = await applyOnce(db.pool, { partition: 0, events: batch, lastOffset: 3 });

      expect(outcome).toEqual({ applied: 4, keptAside: 0, skipped: 0 });
      expect(await balanceOf(db.pool, "alice")).toBe(120);
      // The balance at any past moment, and why: the lines up to it.
      expect((await transactionsOf(db.pool, "alice")).map((line) => [line.occurredAt, line.kind, line.amount, line.balanceAfter])).toEqual([
        ["2026-03-02T10:00:00.000Z", "MoneyDeposited", 100, 100],
        ["2026-03-02T11:00:00.000Z", "MoneyDeposited", 50, 150],
        ["2026-03-02T12:00:00.000Z", "MoneyWithdrawn", -30, 120],
      ]);
      expect(await appliedThrough(db.pool, 0)).toBe(3);
    },
  );

  test("GIVEN a batch was applied WHEN the same batch is delivered again THEN every event is skipped and nothing changes", async ({ db }) => {
    await createReadModels(db.pool);
    const batch = { partition: 0, events: recordedAt(0, 0, [opened("alice"), deposited("alice", 100), deposited("alice", 50)]), lastOffset: 2 };
    await applyOnce(db.pool, batch);

    const again = await applyOnce(db.pool, batch);

    expect(again).toEqual({ applied: 0, keptAside: 0, skipped: 3 });
    expect(await balanceOf(db.pool, "alice")).toBe(150);
    expect(await transactionsOf(db.pool, "alice")).toHaveLength(2);
    expect(await appliedThrough(db.pool, 0)).toBe(2);
  });

  test("GIVEN offsets 0 to 2 were applied WHEN a batch with offsets 1 to 4 arrives THEN only offsets 3 and 4 are applied", async ({ db }) => {
    await createReadModels(db.pool);
    const log = recordedAt(0, 0, [opened("alice"), deposited("alice", 100), deposited("alice", 50), withdrawn("alice", 30), deposited("alice", 7)]);
    await applyOnce(db.pool, { partition: 0, events: log.slice(0, 3), lastOffset: 2 });

    const overlap = await applyOnce(db.pool, { partition: 0, events: log.slice(1), lastOffset: 4 });

    expect(overlap).toEqual({ applied: 2, keptAside: 0, skipped: 2 });
    expect(await balanceOf(db.pool, "alice")).toBe(127);
    expect((await transactionsOf(db.pool, "alice")).map((line) => line.position.offset)).toEqual([1, 2, 3, 4]);
    expect(await appliedThrough(db.pool, 0)).toBe(4);
  });

  test("GIVEN partition 0 is applied through offset 5 WHEN partition 1 delivers its offsets 0 and 1 THEN they are applied: each partition has its own position", async ({ db }) => {
    await createReadModels(db.pool);
    await applyOnce(db.pool, { partition: 0, events: recordedAt(0, 0, [opened("alice"), deposited("alice", 1), deposited("alice", 1), deposited("alice", 1), deposited("alice", 1), deposited("alice", 1)]), lastOffset: 5 });

    const bob = await applyOnce(db.pool, { partition: 1, events: recordedAt(1, 0, [opened("bob"), deposited("bob", 40)]), lastOffset: 1 });

    expect(bob).toEqual({ applied: 2, keptAside: 0, skipped: 0 });
    expect([await balanceOf(db.pool, "alice"), await balanceOf(db.pool, "bob")]).toEqual([5, 40]);
    expect([await appliedThrough(db.pool, 0), await appliedThrough(db.pool, 1)]).toEqual([5, 1]);
  });

  test("GIVEN a deposit of 40 for bob, whose account was never opened, between alice's events WHEN the batch is applied, then delivered again THEN the 40 is kept in rejected_records with the reason, counted as kept aside and not as applied, once", async ({ db }) => {
    await createReadModels(db.pool);
    const batch = { partition: 0, events: recordedAt(0, 0, [opened("alice"), deposited("bob", 40), deposited("alice", 10)]), lastOffset: 2 };

    const outcome = await applyOnce(db.pool, batch);
    const again = await applyOnce(db.pool, batch);

    expect(outcome).toEqual({ applied: 2, keptAside: 1, skipped: 0 });
    expect(again).toEqual({ applied: 0, keptAside: 0, skipped: 3 });
    expect(await balanceOf(db.pool, "bob")).toBeUndefined();
    expect(await balanceOf(db.pool, "alice")).toBe(10);
    const rejected = await rejectedRecords(db.pool);
    expect(rejected.map((record) => [record.position, record.reason])).toEqual([[{ partition: 0, offset: 1 }, 'MoneyDeposited for account "bob", which was never opened']]);
    // The event itself is kept, as it was on the topic: nothing of the 40 is lost.
    expect(JSON.parse(rejected[0]!.raw)).toMatchObject({ type: "MoneyDeposited", data: { accountId: "bob", amount: 40 }, metadata: { eventId: "event-0-1" } });
    expect(await appliedThrough(db.pool, 0)).toBe(2);
  });

  test("GIVEN the read model refuses the second event of a batch WHEN the batch is applied THEN neither its first event nor the position is kept: one transaction", async ({ db }) => {
    await createReadModels(db.pool);
    await applyOnce(db.pool, { partition: 0, events: recordedAt(0, 0, [opened("alice")]), lastOffset: 0 });
    // A rule only the read model has, so that the second event fails after the first was written.
    await db.pool.query("ALTER TABLE account_transactions ADD CONSTRAINT small_amounts CHECK (amount < 1000)");

    const failed = await failureOf(() => applyOnce(db.pool, { partition: 0, events: recordedAt(0, 1, [deposited("alice", 100), deposited("alice", 5_000)]), lastOffset: 2 }), Error);

    expect(failed.message).toMatch(/small_amounts/);
    expect(await balanceOf(db.pool, "alice")).toBe(0);
    expect(await transactionsOf(db.pool, "alice")).toEqual([]);
    expect(await appliedThrough(db.pool, 0)).toBe(0);
  });
});
