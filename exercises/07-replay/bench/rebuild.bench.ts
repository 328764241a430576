/**
 * How long a new read model takes to build from the log, and what shortens it:
 *
 *   - the monthly statements rebuilt by one worker at three log sizes (events/s, and the
 *     extrapolation to 100 million events);
 *   - the raw kafkajs consume rate of the same topic in the same run — a consumer whose
 *     eachBatch does nothing — the ceiling any rebuild is compared with;
 *   - the same rebuild by 4 workers, one per partition;
 *   - a rebuild from a snapshot taken at 90 % of the log, which replays the last 10 %.
 *
 * Figures are printed, never asserted; the counts are.
 */
import { benchSize, measure, perSecond, report, type BenchRow } from "#kit/bench";
import { expect, test, type FreshKafka } from "#kit/testing";
import { extrapolate } from "../src/progress.ts";
import { rebuild, type RebuildOptions } from "../src/rebuild.ts";
import { endOffsets } from "../src/replay.ts";
import { takeSnapshot } from "../src/snapshots.ts";
import { statementsModel } from "../src/statements.ts";
import { storyEvents, writeEvents } from "../src/workload.ts";

const PARTITIONS = 4;

/** Reads the topic to its end with a consumer that does nothing with what it reads. */
async function consumeRaw(kafka: FreshKafka, topic: string): Promise<number> {
  const ends = await endOffsets(kafka.kafka, topic);
  const consumer = kafka.consumer({ groupId: kafka.groupId(`raw-${topic.slice(-12)}`), heartbeatInterval: 100 });
  const next = new Map<number, number>();
  let read = 0;
  let done: () => void = () => {};
  const finished = new Promise<void>((resolve) => (done = resolve));
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    autoCommit: false,
    eachBatch: async ({ batch }) => {
      read += batch.messages.length;
      next.set(batch.partition, Number(batch.lastOffset()) + 1);
      if ([...ends].every(([partition, end]) => (next.get(partition) ?? 0) >= end)) done();
    },
  });
  await finished;
  await consumer.disconnect();
  return read;
}

test("rebuild events per second by log size, against the raw consume rate; snapshots and parallel partitions", async ({ kafka, db }) => {
  const sizes = [10_000, 50_000, 200_000].map(benchSize);
  const rows: BenchRow[] = [];
  const notes: string[] = [];
  let run = 0;
  const options = (topic: string, more: Partial<RebuildOptions> = {}): RebuildOptions => {
    const name = `rebuild-${++run}`;
    for (let i = 0; i < PARTITIONS; i++) kafka.groupId(`${name}-${i}`);
    return { kafka: kafka.kafka, topic, pool: db.pool, model: statementsModel, table: `statements_${run}`, groupId: kafka.groupId(name), ...more };
  };
  const producer = await kafka.producer();

  let largest = { topic: "", size: 0, ms: 0, statements: 0 };
  for (const size of sizes) {
    const topic = await kafka.topic(`events-${size}`, { numPartitions: PARTITIONS });
    const isLargest = size === sizes[sizes.length - 1];
    // The largest log is written in two parts, with a snapshot of its first 90 % in between.
    const first = isLargest ? Math.floor(size * 0.9) : size;
    await writeEvents(producer, topic, storyEvents({ count: first }), { batchSize: 10_000 });
    let snapshotAt90: Awaited<ReturnType<typeof takeSnapshot>> | undefined;
    if (isLargest) {
      const at90 = options(topic);
      expect((await rebuild(at90)).read).toBe(first);
      snapshotAt90 = await takeSnapshot(db.pool, statementsModel, at90.table);
      await writeEvents(producer, topic, storyEvents({ count: size - first, generation: 1 }), { batchSize: 10_000 });
    }

    const serial = await measure(() => rebuild(options(topic)));
    expect(serial.result.read).toBe(size);
    rows.push({ label: `rebuild of ${size.toLocaleString("en-US")} events, one worker`, value: perSecond(size, serial.ms), unit: "events/s" });
    rows.push({ label: `rebuild of ${size.toLocaleString("en-US")} events, one worker, time`, value: serial.ms / 1000, unit: "s" });
    if (!isLargest) continue;

    const { rows: counted } = await db.pool.query<{ statements: number }>(`SELECT count(*)::int AS statements FROM statements_${run}`);
    largest = { topic, size, ms: serial.ms, statements: counted[0]!.statements };
    notes.push(extrapolate(perSecond(size, serial.ms)) + ` (from the one-worker rebuild of ${size.toLocaleString("en-US")} events)`);

    const raw = await measure(() => consumeRaw(kafka, topic));
    expect(raw.result).toBe(size);
    rows.push({ label: `raw kafkajs consume of the same ${size.toLocaleString("en-US")} events (eachBatch does nothing)`, value: perSecond(size, raw.ms), unit: "events/s" });
    notes.push(`the one-worker rebuild runs at ${((raw.ms / serial.ms) * 100).toFixed(0)} % of the raw consume rate: the rest is parsing, folding and Postgres`);

    const parallel = await measure(() => rebuild(options(topic, { workers: PARTITIONS })));
    expect(parallel.result.read).toBe(size);
    expect(parallel.result.readByWorker).toHaveLength(PARTITIONS);
    rows.push({ label: `rebuild of ${size.toLocaleString("en-US")} events, ${PARTITIONS} workers (one per partition)`, value: perSecond(size, parallel.ms), unit: "events/s" });
    rows.push({ label: `speed-up of ${PARTITIONS} workers over one`, value: serial.ms / parallel.ms, unit: "×" });

    const fromSnapshot = await measure(() => rebuild(options(topic, { fromSnapshot: true })));
    expect(fromSnapshot.result.snapshot?.id).toBe(snapshotAt90!.id);
    expect(fromSnapshot.result.read).toBe(size - first);
    rows.push({ label: `rebuild from a snapshot at 90 %, replaying ${(size - first).toLocaleString("en-US")} events, time`, value: fromSnapshot.ms / 1000, unit: "s" });
    rows.push({ label: "speed-up of the snapshot over a full rebuild", value: serial.ms / fromSnapshot.ms, unit: "×" });
  }
  // Every way of building gave the same model.
  for (const table of [`statements_${run - 1}`, `statements_${run}`]) {
    const { rows: counted } = await db.pool.query<{ statements: number }>(`SELECT count(*)::int AS statements FROM ${table}`);
    expect(counted[0]!.statements).toBe(largest.statements);
  }

  report({
    step: "07-replay",
    title: "rebuild time",
    rows,
    notes: [
      ...notes,
      `${PARTITIONS} partitions, 1,000 accounts over 24 months; chunks of up to 5,000 events per Postgres transaction`,
      "each rebuild includes joining its consumer group; the parallel workers share this process's one thread, Postgres and the broker on the same machine",
    ],
  });
});
