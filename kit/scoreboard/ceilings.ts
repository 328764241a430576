/**
 * The ceilings: what the services themselves cost on this machine, in the same run, so that
 * every architecture's figure stands next to the raw round trips it is built of (a cache read
 * next to a Redis GET; an event-sourced write next to one acknowledged send). The staleness
 * chart's line is a record's trip, send → consumer: timed from the send's call, where a
 * staleness is timed from the write's acknowledgement, so it is a reference point, not a
 * floor — a read model's staleness can be below it.
 */
import { performance } from "node:perf_hooks";
import { perSecond, summarize, timeEach } from "../lib/bench.ts";
import type { ScoreboardServices } from "../lib/scoreboard.ts";
import type { ScoreboardSize } from "./run.ts";

export interface Ceiling {
  id: string;
  label: string;
  /** Which chart it is a line on. */
  chart: "latency" | "throughput" | "staleness";
  value: number;
  unit: string;
}

export const ceilingIds = ["select1", "update", "redisGet", "kafkaProduce", "updateThroughput", "kafkaProduceThroughput", "kafkaConsumeThroughput", "kafkaEndToEnd"] as const;

/**
 * Labels the kit says now, over the one a run kept: runs kept before the rename (the reference
 * run among them) call the trip "kafkajs send → consumer has it", shown as if it were a floor.
 */
const ceilingLabels = { kafkaEndToEnd: "a record's trip, send → consumer (from the send's call)" } as const;

export function ceilingLabel(ceiling: Pick<Ceiling, "id" | "label">): string {
  return ceiling.id in ceilingLabels ? ceilingLabels[ceiling.id as keyof typeof ceilingLabels] : ceiling.label;
}

export async function measureCeilings({ db, redis, kafka }: ScoreboardServices, size: ScoreboardSize): Promise<Ceiling[]> {
  const samples = size.ceilingSamples;
  await db.pool.query("CREATE TABLE ceiling (id int PRIMARY KEY, n bigint NOT NULL)");
  await db.pool.query("INSERT INTO ceiling SELECT i, 0 FROM generate_series(0, $1) AS i", [size.concurrency]);
  await redis.client.set(redis.key("ceiling"), "12345");
  const topic = await kafka.topic("ceiling");
  const producer = await kafka.producer();

  const select1 = summarize(await timeEach(samples, () => db.pool.query("SELECT 1")));
  const update = summarize(await timeEach(samples, () => db.pool.query("UPDATE ceiling SET n = n + 1 WHERE id = 0")));
  const redisGet = summarize(await timeEach(samples, () => redis.client.get(redis.key("ceiling"))));
  const produce = summarize(await timeEach(samples, () => producer.send({ topic, acks: -1, messages: [{ key: "k", value: "v" }] })));

  // The same number of clients at once as the architectures' throughput pass, each on its own row.
  const updates = await concurrently(size.concurrency, samples, (client) => db.pool.query("UPDATE ceiling SET n = n + 1 WHERE id = $1", [client + 1]));
  const sends = await concurrently(size.concurrency, samples, () => producer.send({ topic, acks: -1, messages: [{ key: "k", value: "v" }] }));
  const produced = samples + 1 + samples; // timeEach's warm-up send, its samples, and the concurrent ones
  const consume = await consumeAll(kafka, topic, produced);
  const endToEnd = await producerToConsumer(kafka, Math.min(samples, 200));

  return [
    { id: "select1", label: "Postgres SELECT 1", chart: "latency", value: select1.median, unit: "ms" },
    { id: "update", label: "Postgres UPDATE", chart: "latency", value: update.median, unit: "ms" },
    { id: "redisGet", label: "Redis GET", chart: "latency", value: redisGet.median, unit: "ms" },
    { id: "kafkaProduce", label: "kafkajs send, acks=all", chart: "latency", value: produce.median, unit: "ms" },
    { id: "updateThroughput", label: `Postgres UPDATEs, ${size.concurrency} clients`, chart: "throughput", value: updates, unit: "writes/s" },
    { id: "kafkaProduceThroughput", label: `kafkajs sends, ${size.concurrency} in flight`, chart: "throughput", value: sends, unit: "records/s" },
    { id: "kafkaConsumeThroughput", label: "kafkajs consume", chart: "throughput", value: consume, unit: "records/s" },
    { id: "kafkaEndToEnd", label: ceilingLabels.kafkaEndToEnd, chart: "staleness", value: endToEnd, unit: "ms" },
  ] satisfies Array<Ceiling & { id: (typeof ceilingIds)[number] }>;
}

/** `total` calls of `operation` shared by `clients` clients that each wait for their previous one; returns calls per second. */
async function concurrently(clients: number, total: number, operation: (client: number) => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async (_, client) => {
      for (let i = client; i < total; i += clients) await operation(client);
    }),
  );
  return perSecond(total, performance.now() - start);
}

/**
 * A fresh consumer reads the topic's `count` records from the beginning; returns records per
 * second, counted from the moment it has joined its group (joining is not reading).
 */
async function consumeAll(kafka: ScoreboardServices["kafka"], topic: string, count: number): Promise<number> {
  const consumer = kafka.consumer({ groupId: kafka.groupId("ceiling-consume"), maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  let seen = 0;
  let joinedAt = performance.now();
  consumer.on(consumer.events.GROUP_JOIN, () => (joinedAt = performance.now()));
  let done!: (ms: number) => void;
  const finished = new Promise<number>((resolve) => (done = resolve));
  await consumer.run({
    autoCommit: false,
    eachBatch: async ({ batch }) => {
      seen += batch.messages.length;
      if (seen >= count) done(performance.now() - joinedAt);
    },
  });
  try {
    return perSecond(count, await finished);
  } finally {
    await consumer.disconnect();
  }
}

/**
 * One record at a time: the median time from the send's call to the consumer's callback holding
 * it. From the call, not the acknowledgement (as a staleness is): not comparable as a floor.
 */
async function producerToConsumer(kafka: ScoreboardServices["kafka"], count: number): Promise<number> {
  const topic = await kafka.topic("ceiling-end-to-end");
  const producer = await kafka.producer();
  const consumer = kafka.consumer({ groupId: kafka.groupId("ceiling-end-to-end"), maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  let arrived: (() => void) | undefined;
  await consumer.run({ autoCommit: false, eachMessage: async () => arrived?.() });
  try {
    const samples: number[] = [];
    for (let i = 0; i <= count; i++) {
      const seen = new Promise<void>((resolve) => (arrived = resolve));
      const start = performance.now();
      await producer.send({ topic, acks: -1, messages: [{ key: "k", value: String(i) }] });
      await seen;
      // The first trip also waits for the consumer's first fetch: not what is measured.
      if (i > 0) samples.push(performance.now() - start);
    }
    return summarize(samples).median;
  } finally {
    await consumer.disconnect();
  }
}
