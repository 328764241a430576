/**
 * The kit's machinery against the real services: finding them, and giving each test its
 * own schema, key prefix and topics that are gone afterwards.
 */
import pg from "pg";
import { createClient } from "redis";
import { describe, expect, inject, test } from "vitest";
import { createKafka } from "../lib/kafka.ts";
import { ensureServices, redact } from "../services/index.ts";
import { probeKafka, probePostgres, probeRedis } from "../services/probe.ts";
import { test as fixtureTest } from "../lib/testing.ts";

describe("finding the services", () => {
  test("the global setup found all three, and each answers", async () => {
    const services = inject("services");
    expect((await probePostgres(services.databaseUrl)).ok).toBe(true);
    expect((await probeRedis(services.redisUrl)).ok).toBe(true);
    expect((await probeKafka(services.kafkaBrokers)).ok).toBe(true);
  });

  test("a second search reuses the running services instead of starting new ones", async () => {
    const before = inject("services");
    const lines: string[] = [];
    const again = await ensureServices({ log: (line) => lines.push(line) });
    expect(again.urls).toEqual(before);
    expect(lines).toEqual([]); // nothing was started, so nothing was said
  });

  test("a probe of a closed port answers with the reason instead of throwing", async () => {
    const result = await probeKafka(["127.0.0.1:1"]);
    expect(result).toEqual({ ok: false, reason: "nothing listens on 127.0.0.1:1" });
  });

  test("passwords never reach the terminal", () => {
    expect(redact("postgres://workshop:secret@127.0.0.1:15432/workshop")).toBe("postgres://workshop:***@127.0.0.1:15432/workshop");
  });
});

describe("isolation: each test gets its own resources, removed afterwards", () => {
  let schema = "";
  let redisPrefix = "";
  let topic = "";

  fixtureTest("a fresh schema is the search path of the test's pool", async ({ db }) => {
    schema = db.schema;
    await db.pool.query("CREATE TABLE notes (id int)");
    const { rows } = await db.pool.query<{ schema: string }>("SELECT table_schema AS schema FROM information_schema.tables WHERE table_name = 'notes'");
    expect(rows).toContainEqual({ schema: db.schema });
  });

  fixtureTest("a fresh Redis prefix, and keys under it", async ({ redis }) => {
    redisPrefix = redis.prefix;
    await redis.client.set(redis.key("greeting"), "hello");
    expect(await redis.client.get(redis.key("greeting"))).toBe("hello");
  });

  fixtureTest("a fresh Kafka topic", async ({ kafka }) => {
    topic = await kafka.topic("events", { numPartitions: 2 });
    const metadata = await kafka.admin.fetchTopicMetadata({ topics: [topic] });
    expect(metadata.topics[0]?.partitions).toHaveLength(2);
  });

  test("afterwards the schema, the keys and the topic are gone", async () => {
    const services = inject("services");
    expect([schema, redisPrefix, topic].every(Boolean)).toBe(true);

    const client = new pg.Client({ connectionString: services.databaseUrl });
    await client.connect();
    const schemas = await client.query("SELECT 1 FROM information_schema.schemata WHERE schema_name = $1", [schema]);
    await client.end();
    expect(schemas.rowCount).toBe(0);

    const redis = createClient({ url: services.redisUrl });
    await redis.connect();
    const keys = await redis.keys(`${redisPrefix}*`);
    await redis.close();
    expect(keys).toEqual([]);

    const admin = createKafka({ brokers: services.kafkaBrokers }).admin();
    await admin.connect();
    const topics = await admin.listTopics();
    await admin.disconnect();
    expect(topics).not.toContain(topic);
  });
});

describe("a new Kafka cluster id", () => {
  test("GIVEN random bytes whose base64url starts with '-' WHEN an id is made THEN it is drawn again: the storage tool would read '-…' as an option", async () => {
    const { newClusterId } = await import("../services/native-kafka.ts");
    // 0xf8… encodes as "-…" in base64url; the second draw does not.
    const draws = [Buffer.alloc(16, 0xf8), Buffer.alloc(16, 0x01)];
    let drawn = 0;
    const id = newClusterId(() => draws[drawn++]!);
    expect(drawn).toBe(2);
    expect(id).toBe(Buffer.alloc(16, 0x01).toString("base64url"));
    expect(Buffer.alloc(16, 0xf8).toString("base64url").startsWith("-")).toBe(true);
  });

  test("GIVEN 1,000 ids WHEN made THEN each is 22 characters of base64url, none starts with '-'", async () => {
    const { newClusterId } = await import("../services/native-kafka.ts");
    const ids = Array.from({ length: 1_000 }, () => newClusterId());
    expect(ids.filter((id) => !/^[A-Za-z0-9_][A-Za-z0-9_-]{21}$/.test(id))).toEqual([]);
  });
});
