/**
 * The staleness window: how long after the log has an event (the append is acknowledged, as
 * when a command is accepted) the read model shows it (the projection's transaction has
 * committed). Events are appended at a steady rate, without waiting for the previous one —
 * commands from many clients — and each one's window is timed. Printed, never asserted: it
 * depends on the machine, the load, and the projection's settings.
 *
 * A second figure is what a client that waits for its command's position (Task 2) sees:
 * the time from the ack to the moment waitForPosition returns — the window, plus the
 * polling interval and the round trips to Postgres.
 */
import { setTimeout as pause } from "node:timers/promises";
import { performance } from "node:perf_hooks";
import { benchSize, perSecond, report, summarize, summaryRows } from "#kit/bench";
import { expect } from "#kit/testing";
import { applyOnce, type ApplyBatch } from "../src/apply.ts";
import { envelop } from "../src/envelope.ts";
import { appendEvents } from "../src/event-log.ts";
import { balanceOf, waitForPosition } from "../src/queries.ts";
import { append, deposited, opened, startProjection, test, type StepContext } from "../test/helpers.ts";

const accounts = ["alice", "bob", "carol", "dave", "erin"];

/**
 * Appends `count` deposits of 1 cent at `ratePerSecond`, spread over the accounts, while a
 * projection applies them; returns each event's window (ack → visible) and each client's
 * wait (ack → waitForPosition returned), in ms.
 */
async function steadyRate(context: StepContext, name: string, count: number, ratePerSecond: number) {
  const { db, kafka } = context;
  const topic = await kafka.topic(`${name}.events`);
  const producer = await kafka.producer();
  const ackedAt = new Map<number, number>();
  const visibleAt = new Map<number, number>();
  // applyOnce returns once its transaction has committed: from then on, every reader sees the batch.
  const timedApply: ApplyBatch = async (pool, batch) => {
    const outcome = await applyOnce(pool, batch);
    const now = performance.now();
    for (const event of batch.events) visibleAt.set(event.position.offset, now);
    return outcome;
  };
  await startProjection(context, { topic, apply: timedApply });
  const openings = await append(producer, topic, ...accounts.map(opened));
  await waitForPosition(db.pool, openings[openings.length - 1]!, { timeoutMs: 30_000 });

  const waits: Array<Promise<number>> = [];
  const sends: Array<Promise<void>> = [];
  const intervalMs = 1000 / ratePerSecond;
  const start = performance.now();
  for (let i = 0; i < count; i++) {
    // The workload's pace, not a wait for something to happen: the next command is due then.
    const due = start + i * intervalMs;
    if (due > performance.now()) await pause(due - performance.now());
    const accountId = accounts[i % accounts.length]!;
    const event = envelop([deposited(accountId, 1)], { accountId, causationId: `${name}-${i}` });
    sends.push(
      appendEvents(producer, topic, event).then((position) => {
        const acked = performance.now();
        ackedAt.set(position.offset, acked);
        waits.push(waitForPosition(db.pool, position, { timeoutMs: 30_000 }).then(() => performance.now() - acked));
      }),
    );
  }
  await Promise.all(sends);
  const clientWaits = await Promise.all(waits);
  const sentForMs = performance.now() - start;

  // Every deposit made it, once: the figures are about a projection that is right.
  const balances = await Promise.all(accounts.map((accountId) => balanceOf(db.pool, accountId)));
  expect(balances).toEqual(accounts.map((_, k) => Math.floor(count / accounts.length) + (k < count % accounts.length ? 1 : 0)));
  // A projection may apply an event before the producer has even heard its ack: no stale window at all.
  const windows = [...ackedAt].map(([offset, acked]) => Math.max(0, visibleAt.get(offset)! - acked));
  expect(windows).toHaveLength(count);
  return { windows, clientWaits, achievedRate: perSecond(count, sentForMs) };
}

// One test per rate: each gets a schema of its own, since a read model's positions are those of one events topic.
test.for([50, 200])("the staleness window at %i commands a second", async (rate, { db, kafka, stopWhenDone }) => {
  const count = benchSize(1_000);
  const run = await steadyRate({ db, kafka, stopWhenDone }, `rate-${rate}`, count, rate);
  report({
    step: "06-projections",
    title: `staleness window at ${rate} commands a second`,
    rows: [
      ...summaryRows("ack → visible in the read model", summarize(run.windows), ["median", "p95", "max"]),
      ...summaryRows("ack → waitForPosition returns", summarize(run.clientWaits), ["median", "p95", "max"]),
      { label: "rate achieved", value: run.achievedRate, unit: "commands/s" },
    ],
    notes: [
      `${count} deposits at ${rate}/s, one events partition, ${accounts.length} accounts, appended without waiting for each other (acks=all)`,
      "window: from the append's ack to the commit of the projection's transaction that applied it",
      "waitForPosition looks every 10 ms: its figure is the window plus up to one interval and a query",
    ],
  });
});
