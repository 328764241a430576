/**
 * Everything a step's tests need, in one import:
 *
 *   import { test, describe, expect, task, tradeoff, proves } from "#kit/testing";
 *
 * `test` is vitest's, extended with fixtures that give each test its own resources
 * on the real services — `db` (a fresh Postgres schema), `redis` (a fresh key prefix)
 * and `kafka` (fresh topics and group ids) — created only when a test asks for them,
 * and cleaned up after it, pass or fail.
 */
import { describe, expect, inject, test as baseTest, type TestOptions } from "vitest";
import type pg from "pg";
import type { RedisClientType } from "redis";
import type { ServiceUrls } from "../services/types.ts";
import type { LedgerClaim, Verdict } from "../ledger/types.ts";
import type { Admin, Consumer, ConsumerConfig, ITopicConfig, Kafka, Producer } from "./kafka.ts";
import { eventually } from "./eventually.ts";
import { redisPrefix, schemaName, topicPrefix } from "./names.ts";
import { isTodoError } from "./todo.ts";

export { describe, expect };
export { eventually, until, DeadlineExceeded } from "./eventually.ts";
export { Barrier, Latch, Signal } from "./latch.ts";
export { Failpoints, InjectedFailure, noFailpoints } from "./failpoints.ts";
export { TodoError } from "./todo.ts";
export { specification, type DeepReadonly, type Decider, type Decision, type Given, type Rejection } from "./decider.ts";
/** For checks that a service answers: a TCP probe, and URLs printed without their password. */
export { isPortOpen, redact, splitHostPort } from "../services/probe.ts";

declare module "vitest" {
  interface ProvidedContext {
    services: ServiceUrls;
  }
  interface TaskMeta {
    ledger?: LedgerClaim[];
  }
}

/** The services found (or started) by the kit's global setup. */
export function services(): ServiceUrls {
  return inject("services");
}

// ---------------------------------------------------------------------------
// Test names: the kit reads them to tell task tests from trade-off tests.

/** `describe(task(2, "deposit without losing updates"), …)`: tests an attendee makes pass. */
export function task(number: number, title: string): string {
  return `Task ${number} — ${title}`;
}

/** `describe(tradeoff("cache-aside serves stale reads"), …)`: tests that pass from the start and show a property. */
export function tradeoff(title: string): string {
  return `Trade-off — ${title}`;
}

/**
 * Tags a test as the proof of one cell of the guarantee ledger (kit/ledger/guarantees.ts):
 *
 *   test("GIVEN … THEN one deposit is lost", proves("no-lost-updates", "naive read-modify-write", "broken"), async () => …)
 *
 * The step is the folder the test lives in.
 */
export function proves(guarantee: string, design: string, verdict: Exclude<Verdict, "n/a">): TestOptions {
  return { meta: { ledger: [{ guarantee, design, verdict }] } };
}

/**
 * Added for 09-exactly-once: one test that proves several cells, each claimed with proves():
 *
 *   test("GIVEN … THEN …", provesAll(proves("survives-crash", …, "holds"), proves("downstream-sees-every-change", …, "broken")), async () => …)
 */
export function provesAll(...claims: TestOptions[]): TestOptions {
  return { meta: { ledger: claims.flatMap((claim) => claim.meta?.ledger ?? []) } };
}

// ---------------------------------------------------------------------------
// Expecting failures without hiding an open task. `await expect(p).rejects.toThrow(X)` turns
// a todo() into an AssertionError ("expected X, got TodoError"); these let it through as itself,
// so the test says which task is still open — and the kit's integrity check stays exact.

/**
 * The error `operation` fails with, checked to be an `expected`, for the test to inspect.
 * An open task's TodoError is not an answer: it is rethrown as is, so the test fails saying
 * which task is still open, rather than "expected InvalidAmount, got TodoError".
 */
export async function failureOf<E extends Error>(
  operation: () => unknown,
  expected: new (...args: never[]) => E,
): Promise<E> {
  try {
    await operation();
  } catch (error) {
    if (isTodoError(error)) throw error;
    if (error instanceof expected) return error;
    expect(error).toBeInstanceOf(expected); // fails, and says what was thrown instead
  }
  return expect.unreachable(`the operation succeeded, but it should have been refused with ${expected.name}`);
}

/** Promise.allSettled, except that a TodoError fails the test at once, as itself. */
export async function settleAll<T>(operations: Array<Promise<T>>): Promise<Array<PromiseSettledResult<T>>> {
  const results = await Promise.allSettled(operations);
  for (const result of results) {
    if (result.status === "rejected" && isTodoError(result.reason)) throw result.reason;
  }
  return results;
}

// ---------------------------------------------------------------------------
// Stopping what a test started, before its topics and schema go.

/** Something with clients of its own to disconnect: a processor, a projection, a reader. */
export interface Stoppable {
  stop(): Promise<void>;
}

/**
 * The body of a step's `stopWhenDone` fixture: hands the test a function that registers
 * things to stop, and stops them all, last registered first, when the test ends — pass or
 * fail. The step's fixture declares what it must be torn down before (fixtures are torn down
 * in reverse order): the kafka fixture, which deletes the topics (a consumer still running
 * then would make the broker create them again, empty), and the db fixture where a projection
 * writes.
 */
export async function stopAllWhenDone(use: (stopWhenDone: (thing: Stoppable) => void) => Promise<void>): Promise<void> {
  const things: Stoppable[] = [];
  await use((thing) => void things.push(thing));
  await Promise.allSettled(things.reverse().map((thing) => thing.stop()));
}

// ---------------------------------------------------------------------------
// Fixtures: one fresh, isolated resource per test.

export interface FreshSchema {
  /** A pool whose connections all use the fresh schema as their search_path. */
  pool: pg.Pool;
  schema: string;
  /** Another pool on the same schema, e.g. for a second "service" with its own connections. */
  newPool(options?: pg.PoolConfig): pg.Pool;
}

export interface FreshRedis {
  client: RedisClientType;
  /** Every key a test uses starts with this. */
  prefix: string;
  key(name: string): string;
}

export interface FreshKafka {
  kafka: Kafka;
  admin: Admin;
  /** Creates a topic with a unique name and waits for its leaders; returns the name. */
  topic(name: string, options?: Omit<ITopicConfig, "topic">): Promise<string>;
  /** A unique consumer group id. */
  groupId(name: string): string;
  /** A connected producer, disconnected after the test. */
  producer(): Promise<Producer>;
  /** A consumer (not yet connected or subscribed), disconnected after the test. */
  consumer(config: ConsumerConfig): Consumer;
}

interface Fixtures {
  db: FreshSchema;
  redis: FreshRedis;
  kafka: FreshKafka;
  /**
   * Errors the step's tests provoke on purpose, which kafkajs would log: none unless a step
   * overrides this fixture (`test.extend({ kafkaExpectedErrors: async ({}, use) => use([…]) })`).
   */
  kafkaExpectedErrors: readonly RegExp[];
}

// The drivers are imported when a test first asks for a fixture: a file that needs only
// Postgres does not pay for loading the Redis and Kafka clients (about a second per file).
export const test = baseTest.extend<Fixtures>({
  // `{}`: vitest reads a fixture's dependencies from its first parameter's pattern; none here.
  db: async ({}, use) => {
    const { default: pg } = await import("pg");
    const { databaseUrl } = services();
    const schema = schemaName();
    const admin = new pg.Client({ connectionString: databaseUrl });
    await admin.connect();
    const pools: pg.Pool[] = [];
    try {
      await admin.query(`CREATE SCHEMA "${schema}"`);
      const newPool = (options: pg.PoolConfig = {}) => {
        const pool = new pg.Pool({ connectionString: databaseUrl, max: 5, ...options, options: `-c search_path="${schema}"` });
        pools.push(pool);
        return pool;
      };
      await use({ pool: newPool(), schema, newPool });
    } finally {
      await Promise.allSettled(pools.map((pool) => pool.end()));
      await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).catch(() => {});
      await admin.end();
    }
  },

  // `{}`: vitest reads a fixture's dependencies from its first parameter's pattern; none here.
  redis: async ({}, use) => {
    const { createClient } = await import("redis");
    // No reconnect loop on the first connect: a Redis that is down fails the test at once, saying so.
    const client: RedisClientType = createClient({ url: services().redisUrl, socket: { reconnectStrategy: false } });
    client.on("error", () => {}); // a test that stops Redis on purpose must not crash the worker
    await client.connect();
    const prefix = redisPrefix();
    try {
      await use({ client, prefix, key: (name) => prefix + name });
    } finally {
      if (client.isReady) {
        for await (const keys of client.scanIterator({ MATCH: `${prefix}*`, COUNT: 500 })) {
          if (keys.length > 0) await client.del(keys);
        }
        await client.close();
      } else {
        client.destroy();
      }
    }
  },

  // `{}`: vitest reads a fixture's dependencies from its first parameter's pattern; none here.
  kafkaExpectedErrors: async ({}, use) => use([]),

  kafka: async ({ kafkaExpectedErrors }, use) => {
    const { createKafka, defaultProducerConfig } = await import("./kafka.ts");
    const kafka = createKafka({ brokers: services().kafkaBrokers, clientId: "es-workshop-test", expectedErrors: kafkaExpectedErrors });
    const admin = kafka.admin();
    await admin.connect();
    const prefix = topicPrefix();
    const topics: string[] = [];
    const groups: string[] = [];
    const clients: Array<{ disconnect(): Promise<void> }> = [];
    try {
      await use({
        kafka,
        admin,
        async topic(name, options = {}) {
          const topic = `${prefix}.${name}`;
          await admin.createTopics({ topics: [{ numPartitions: 1, ...options, topic }], waitForLeaders: false });
          topics.push(topic);
          // kafkajs's waitForLeaders retries only "leader not available"; a KRaft broker may first
          // answer "unknown topic" (kafkajs#1563), or name a leader whose partition is not ready to
          // serve yet, "not the leader" (KAFKA-15780). Ready means every partition answers ListOffsets.
          await eventually(() => admin.fetchTopicOffsets(topic), { timeoutMs: 20_000, what: `the partitions of ${topic} to be ready` });
          return topic;
        },
        groupId(name) {
          const id = `${prefix}.${name}`;
          groups.push(id);
          return id;
        },
        async producer() {
          const producer = kafka.producer(defaultProducerConfig);
          clients.push(producer);
          await producer.connect();
          return producer;
        },
        consumer(config) {
          // A consumer's disconnect waits for its in-flight fetch, which the broker holds open
          // for up to maxWaitTimeInMs (kafkajs: 5 s) when no new data arrives: keep it short in tests.
          const consumer = kafka.consumer({ maxWaitTimeInMs: 100, ...config });
          clients.push(consumer);
          return consumer;
        },
      });
    } finally {
      await Promise.allSettled(clients.map((client) => client.disconnect()));
      if (groups.length > 0) await admin.deleteGroups(groups).catch(() => {});
      if (topics.length > 0) await admin.deleteTopics({ topics }).catch(() => {});
      await admin.disconnect();
    }
  },
});
