/**
 * Test helpers of step 08: a fixed clock, the write side and the projection on fresh topics
 * and a fresh schema, all stopped when the test ends, and raw reads of a topic — the bytes
 * as they are on the log, to check that nothing was rewritten.
 */
import type pg from "pg";
import { CommandHandler } from "../src/command-handler.ts";
import type { Stamp } from "../src/envelope.ts";
import { BalanceProjection, type ProjectionOptions } from "../src/projection.ts";
import { createReadModel, nextOffsets } from "../src/read-model.ts";
import { PoisonRecord } from "../src/record.ts";
import { eventually, expect, InjectedFailure, test as kitTest, type FreshKafka, stopAllWhenDone, type Stoppable } from "#kit/testing";
import type { IHeaders } from "#kit/kafka";

/**
 * The kit's `test`, plus `stopWhenDone(thing)`: stops it at the end of the test, before the
 * kafka fixture deletes the test's topics (as in step 05).
 */
export const test = kitTest.extend({
  // The stall trade-off's projection throws on its bad record on purpose, and kafkajs logs each
  // throw; printed, a passing run would show "[kafka] Error … UnreadableRecord" blocks that read as
  // a failure. The test asserts the stall itself (the error collected, the offset stuck at 2).
  // `{}`: vitest reads a fixture's dependencies from its first parameter's pattern; none here.
  // The dead-letter test whose topic refuses an oversized record provokes kafkajs's "message
  // larger than the max message size" logs on purpose too; it asserts the retry that follows.
  kafkaExpectedErrors: async ({}, use) => use([/^Error when calling eachMessage: UnreadableRecord: /, /message larger than the max message size the server will accept/]),
}).extend<{ stopWhenDone: (thing: Stoppable) => void }>({
  stopWhenDone: async ({ kafka }, use) => {
    void kafka;
    await stopAllWhenDone(use);
  },
});

export interface KafkaContext {
  kafka: FreshKafka;
  stopWhenDone: (thing: Stoppable) => void;
}

/** A clock that says what the test tells it, and ids in order: the same events on every run. */
export function fixedStamp(start = "2026-03-02T09:00:00.000Z"): Stamp & { at(time: string): void } {
  let now = new Date(start);
  let next = 0;
  return { now: () => now, newId: () => `event-${++next}`, at: (time) => void (now = new Date(time)) };
}

/** The write side on `topic`, started. */
export async function givenHandler({ kafka, stopWhenDone }: KafkaContext, topic: string, stamp: Stamp = fixedStamp()): Promise<CommandHandler> {
  const handler = new CommandHandler(kafka.kafka, topic, kafka.groupId("handler-reader"), stamp);
  stopWhenDone(handler);
  await handler.start();
  return handler;
}

/** The events topic and its dead-letter topic; `name` tells apart several pairs in one test. */
export async function givenTopics(kafka: FreshKafka, name = "events"): Promise<{ topic: string; deadLetterTopic: string }> {
  const topic = await kafka.topic(name);
  const deadLetterTopic = await kafka.topic(`${name}.dead-letters`);
  return { topic, deadLetterTopic };
}

export interface RunningProjection {
  projection: BalanceProjection;
  /** Failures that stopped a partition, in order. */
  errors: unknown[];
  /**
   * Resolves once the read model's positions have reached the end of the events topic, or
   * fails at once with the first failure that is not the test's own (an open task's
   * TodoError, a bug) rather than waiting for a position that will never move.
   */
  caughtUp(timeoutMs?: number): Promise<void>;
  /** Rejects with the first failure that is not the test's own, as soon as it happens. */
  failure: Promise<never>;
}

/** A projection into `pool`'s schema, in its own group unless told, started. */
export async function startProjection(
  { kafka, stopWhenDone }: KafkaContext,
  pool: pg.Pool,
  options: Pick<ProjectionOptions, "topic" | "deadLetterTopic"> & Partial<Pick<ProjectionOptions, "groupId" | "onPoison">>,
): Promise<RunningProjection> {
  await createReadModel(pool);
  const errors: unknown[] = [];
  let failWith: (error: unknown) => void = () => {};
  const failure = new Promise<never>((_, reject) => (failWith = reject));
  failure.catch(() => {});
  const projection = new BalanceProjection({
    kafka: kafka.kafka,
    pool,
    groupId: kafka.groupId("projection"),
    ...options,
    onError: (error) => {
      errors.push(error);
      // A poison record the test set a projection to stop on, or a crash it injected, is its business.
      if (!(error instanceof PoisonRecord) && !(error instanceof InjectedFailure)) failWith(error);
    },
  });
  stopWhenDone(projection);
  await projection.start();
  const caughtUp = async (timeoutMs = 10_000) => {
    const reached = eventually(
      async () => {
        const ends = await kafka.admin.fetchTopicOffsets(options.topic);
        const positions = await nextOffsets(pool, options.topic);
        expect(Object.fromEntries(ends.map((end) => [end.partition, positions[end.partition] ?? 0]))).toEqual(
          Object.fromEntries(ends.map((end) => [end.partition, Number(end.high)])),
        );
      },
      { timeoutMs, what: "the projection to reach the end of the events topic" },
    );
    await Promise.race([reached, failure]);
  };
  return { projection, errors, caughtUp, failure };
}

/** A record as it is on the log: the bytes, and headers as text. */
export interface RawRecord {
  partition: number;
  offset: number;
  key: string | null;
  value: Buffer | null;
  headers: Record<string, string>;
}

let rawReaders = 0;

/** Every record of `topic`, read from the beginning up to its current end, in order. */
export async function readRaw(kafka: FreshKafka, topic: string): Promise<RawRecord[]> {
  const ends = await kafka.admin.fetchTopicOffsets(topic);
  const expected = ends.reduce((sum, end) => sum + Number(end.high) - Number(end.low), 0);
  const records: RawRecord[] = [];
  if (expected === 0) return records;
  const consumer = kafka.consumer({ groupId: kafka.groupId(`raw-reader-${++rawReaders}`), heartbeatInterval: 100 });
  try {
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ partition, message }) => {
        records.push({ partition, offset: Number(message.offset), key: message.key?.toString("utf8") ?? null, value: message.value, headers: textOf(message.headers) });
      },
    });
    await eventually(() => expect(records.length).toBe(expected), { what: `every record of ${topic} to be read` });
  } finally {
    await consumer.disconnect();
  }
  return records.sort((a, b) => a.partition - b.partition || a.offset - b.offset);
}

function textOf(headers: IHeaders | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(headers ?? {}).map(([name, value]) => [name, Buffer.isBuffer(value) ? value.toString("utf8") : String(value)]));
}
