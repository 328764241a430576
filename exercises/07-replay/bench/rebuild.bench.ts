/**
 * How long a new read model takes to build from the log, and what shortens it:
 *
 *   - the monthly statements rebuilt by one worker at three log sizes (events/s, and the
 *     extrapolation to 100 million events);
 *   - the raw kafkajs consume rate of the same topic in the same run — a consumer whose
 *     eachBatch does nothing — the ceiling any rebuild is compared with;
 *   - the same rebuild by 4 workers, one per partition;
 *   - a rebuild from a snapshot taken at 90 % of the log, which replays the last 10 %;
 *   - blue/green: how long the switch of the view takes, and what a reader querying the
 *     view without pause gets while a new version is built beside the live one, against a
 *     rebuild in place (how many answers came from a partial model, and for how long).
 *
 * Figures are printed, never asserted; the counts are.
 */
import type { Pool } from "pg";
import { performance } from "node:perf_hooks";
import { benchSize, measure, perSecond, report, summarize, summaryRows, timeEach, type BenchRow } from "#kit/bench";
import { expect, test, type FreshKafka } from "#kit/testing";
import { deployBlueGreen, liveTable, rebuildInPlace, switchReads } from "../src/blue-green.ts";
import { extrapolate } from "#kit/progress-bar";
import { rebuild, type RebuildOptions } from "../src/rebuild.ts";
import { endOffsets } from "../src/replay.ts";
import { takeSnapshot } from "../src/snapshots.ts";
import { statementsModel } from "../src/statements.ts";
import { storyEvents, writeEvents } from "#kit/replay-story";

const PARTITIONS = 4;

/** Reads the topic to its end with a consumer that does nothing with what it reads. */
async function consumeRaw(kafka: FreshKafka, topic: string): Promise<number> {
  const ends = await endOffsets(kafka.kafka, topic);
  const consumer = kafka.consumer({ groupId: kafka.groupId(`raw-${topic.slice(-12)}`), heartbeatInterval: 100 });
  const next = new Map<number, number>();
  let read = 0;
  let done: () => void = () => {};
  const finished = new Promise<void>((resolve) => (done = resolve));
  try {
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
  } finally {
    await consumer.disconnect();
  }
  return read;
}

/** What a reader of the view gets, in two numbers: a partial model has fewer statements or movements. */
interface ViewAnswer {
  statements: number;
  movements: number;
}

async function askTheView(pool: Pool): Promise<ViewAnswer> {
  const { rows } = await pool.query<ViewAnswer>("SELECT count(*)::int AS statements, coalesce(sum(count), 0)::int AS movements FROM statements");
  return rows[0]!;
}

/**
 * A reader querying the view one query after another for as long as `work` runs: how many
 * answers it got, how many came from a partial model, and from the first partial answer to
 * the last, how long it saw one.
 */
async function readersDuring<T>(pool: Pool, complete: ViewAnswer, work: () => Promise<T>): Promise<{ result: T; ms: number; answers: number; partial: number; partialMs: number }> {
  const started = performance.now();
  let running = true;
  const working = work().finally(() => (running = false));
  let answers = 0;
  let partial = 0;
  let firstPartial: number | undefined;
  let lastPartial = 0;
  while (running) {
    const asked = performance.now();
    const answer = await askTheView(pool);
    answers++;
    if (answer.statements !== complete.statements || answer.movements !== complete.movements) {
      partial++;
      firstPartial ??= asked;
      lastPartial = performance.now();
    }
  }
  const result = await working;
  return { result, ms: performance.now() - started, answers, partial, partialMs: firstPartial === undefined ? 0 : lastPartial - firstPartial };
}

test("rebuild events per second by log size, against the raw consume rate; snapshots, parallel partitions and blue/green", async ({ kafka, db }) => {
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
  const completeTables: string[] = [];
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

    const serialOptions = options(topic);
    const serial = await measure(() => rebuild(serialOptions));
    expect(serial.result.read).toBe(size);
    rows.push({ label: `rebuild of ${size.toLocaleString("en-US")} events, one worker`, value: perSecond(size, serial.ms), unit: "events/s" });
    rows.push({ label: `rebuild of ${size.toLocaleString("en-US")} events, one worker, time`, value: serial.ms / 1000, unit: "s" });
    if (!isLargest) continue;

    const { rows: counted } = await db.pool.query<{ statements: number }>(`SELECT count(*)::int AS statements FROM ${serialOptions.table}`);
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

    const snapshotOptions = options(topic, { fromSnapshot: true });
    const fromSnapshot = await measure(() => rebuild(snapshotOptions));
    expect(fromSnapshot.result.snapshot?.id).toBe(snapshotAt90!.id);
    expect(fromSnapshot.result.read).toBe(size - first);
    rows.push({ label: `rebuild from a snapshot at 90 %, replaying ${(size - first).toLocaleString("en-US")} events, time`, value: fromSnapshot.ms / 1000, unit: "s" });
    rows.push({ label: "speed-up of the snapshot over a full rebuild", value: serial.ms / fromSnapshot.ms, unit: "×" });

    // Blue/green. The switch alone: back and forth between two complete tables, check and view in one transaction.
    const both = [serialOptions.table, snapshotOptions.table];
    let switches = 0;
    const switchMs = await timeEach(20, () => switchReads({ ...serialOptions, table: both[switches++ % 2]! }));
    rows.push(...summaryRows("switch of the view to a caught-up table (check + DROP/CREATE VIEW, one transaction)", summarize(switchMs)));
    const complete = await askTheView(db.pool);
    expect(complete.statements).toBe(largest.statements);

    // A new version built beside the live one, and the live one rebuilt in place, while a reader queries the view without pause.
    const besideOptions = options(topic, { workers: PARTITIONS });
    const beside = await readersDuring(db.pool, complete, () => deployBlueGreen(besideOptions));
    expect(beside.result.read).toBe(size);
    expect(beside.partial).toBe(0);
    expect(await liveTable(db.pool, statementsModel)).toBe(besideOptions.table);
    const inPlace = await readersDuring(db.pool, complete, () => rebuildInPlace(options(topic, { workers: PARTITIONS, table: besideOptions.table })));
    expect(inPlace.result.read).toBe(size);
    expect(await askTheView(db.pool)).toEqual(complete);
    rows.push({ label: `blue/green deploy of ${size.toLocaleString("en-US")} events (${PARTITIONS} workers, then the switch), time`, value: beside.ms / 1000, unit: "s" });
    rows.push({ label: "  reader's answers during it", value: beside.answers, unit: "queries" });
    rows.push({ label: "  of them from a partial model", value: beside.partial, unit: "queries" });
    rows.push({ label: `rebuild in place of the same ${size.toLocaleString("en-US")} events (${PARTITIONS} workers), time`, value: inPlace.ms / 1000, unit: "s" });
    rows.push({ label: "  reader's answers during it", value: inPlace.answers, unit: "queries" });
    rows.push({ label: "  of them from a partial model", value: inPlace.partial, unit: "queries" });
    rows.push({ label: "  time readers saw a partial model (first partial answer to last)", value: inPlace.partialMs / 1000, unit: "s" });
    notes.push(
      `blue/green: readers kept the complete old model for the whole ${(beside.ms / 1000).toFixed(1)} s of the deploy and moved to the new one in one switch; ` +
        `in place: ${inPlace.partial} of ${inPlace.answers} answers came from a partial model, for ${(inPlace.partialMs / 1000).toFixed(1)} s`,
    );
    completeTables.push(serialOptions.table, snapshotOptions.table, besideOptions.table);
  }
  // Every way of building gave the same model.
  for (const table of completeTables) {
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
      "the reader of the blue/green and in-place rows runs in the same process, one query after another: it slows the rebuild it watches a little",
    ],
  });
});
