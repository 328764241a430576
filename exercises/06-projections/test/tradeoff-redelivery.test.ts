/**
 * The crash that matters to a projection: after its read-model transaction committed, before
 * Kafka recorded its offset. The instance that takes over is given the batch again. It is
 * forced at that exact point, "after-apply", on every run.
 */
import { applyEveryDelivery, applyOnce, type ApplyBatch } from "../src/apply.ts";
import { balanceOf, transactionsOf } from "../src/queries.ts";
import { appliedThrough } from "../src/read-models.ts";
import { Failpoints, InjectedFailure, Signal, describe, expect, proves, task, tradeoff } from "#kit/testing";
import { append, committedOffset, deposited, opened, startProjection, test, type StepContext } from "./helpers.ts";

/**
 * Alice is opened with 100, and the projection has applied and committed that. Then a
 * deposit of 50 arrives: the projection applies it, commits its read model, and crashes
 * before committing the offset. A new instance of the projection, in the same group, starts
 * from the last committed offset — before the 50 — and is given it again.
 */
async function crashAfterApplyingTheFifty(context: StepContext, apply: ApplyBatch) {
  const { db, kafka } = context;
  const topic = await kafka.topic("wallet.events");
  const producer = await kafka.producer();
  const crashed = new Signal();
  const errors: unknown[] = [];
  const points = new Failpoints();
  const first = await startProjection(context, { topic, apply, points, onError: (error) => (errors.push(error), crashed.send()) });

  await append(producer, topic, opened("alice"), deposited("alice", 100));
  await first.until(async () => expect(await committedOffset(kafka, first.groupId, topic)).toBe(2), "the first two events to be applied and their offset committed");
  points.failAt("after-apply");
  await append(producer, topic, deposited("alice", 50));
  await crashed.received();
  const beforeRestart = { balance: await balanceOf(db.pool, "alice"), committed: await committedOffset(kafka, first.groupId, topic) };
  await first.projection.stop();

  const second = await startProjection(context, { topic, apply, groupId: first.groupId });
  await second.until(async () => expect(await committedOffset(kafka, second.groupId, topic)).toBe(3), "the new instance to apply the redelivered batch and commit it");
  return {
    errors,
    beforeRestart,
    redelivered: second.projection.appliedCount + second.projection.skippedCount,
    second: second.projection,
    balance: await balanceOf(db.pool, "alice"),
    lines: (await transactionsOf(db.pool, "alice")).map((line) => line.amount),
  };
}

describe(tradeoff("a naive projection double-counts a redelivered batch"), () => {
  test(
    "GIVEN a naive projection crashes after applying a deposit of 50, before committing its offset WHEN a new instance is given the batch again THEN alice's balance says 200, not 150",
    proves("survives-crash", "naive projection (Kafka offset only)", "broken"),
    async ({ db, kafka, stopWhenDone, annotate }) => {
      const run = await crashAfterApplyingTheFifty({ db, kafka, stopWhenDone }, applyEveryDelivery);

      expect(run.errors).toHaveLength(1);
      expect(run.errors[0]).toBeInstanceOf(InjectedFailure);
      // The crash came after the read model's commit and before Kafka's.
      expect(run.beforeRestart).toEqual({ balance: 150, committed: 2 });
      // The 50 was delivered again, and nothing in the read model said it was already there.
      expect(run.redelivered).toBe(1);
      expect(run.second.appliedCount).toBe(1);
      await annotate(`crash after applying 50, before the offset: ${run.redelivered} batch redelivered, ${run.second.appliedCount} applied again — balance ${run.balance}, lines ${run.lines.join(", ")}`);
      expect(run.balance).toBe(200);
      expect(run.lines).toEqual([100, 50, 50]);
    },
  );
});

describe(task(1, "apply each batch once"), () => {
  test(
    "GIVEN an idempotent projection crashes after applying a deposit of 50, before committing its offset WHEN a new instance is given the batch again THEN it skips it: alice's balance stays 150",
    proves("survives-crash", "idempotent projection (position in the same transaction)", "holds"),
    async ({ db, kafka, stopWhenDone }) => {
      const run = await crashAfterApplyingTheFifty({ db, kafka, stopWhenDone }, applyOnce);

      expect(run.errors).toHaveLength(1);
      expect(run.errors[0]).toBeInstanceOf(InjectedFailure);
      expect(run.beforeRestart).toEqual({ balance: 150, committed: 2 });
      // The same redelivery; the position stored with the 50 says it is already applied.
      expect(run.redelivered).toBe(1);
      expect(run.second.skippedCount).toBe(1);
      expect(run.second.appliedCount).toBe(0);
      expect(run.balance).toBe(150);
      expect(run.lines).toEqual([100, 50]);
      expect(await appliedThrough(db.pool, 0)).toBe(2);
    },
  );
});
