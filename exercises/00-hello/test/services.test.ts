/**
 * Plain checks, not tasks: each service the workshop uses answers. When one fails, its
 * message names the service, where the kit looked for it, and the command that helps.
 */
import pg from "pg";
import { createClient } from "redis";
import { createKafka } from "#kit/kafka";
import { describe, expect, isPortOpen, redact, services, splitHostPort, test } from "#kit/testing";

describe("Services — each one answers", () => {
  test("GIVEN the kit's Postgres WHEN we ask for its version THEN it answers", async () => {
    const { databaseUrl } = services();
    const version = await answers("Postgres", databaseUrl, async () => {
      const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 5_000 });
      await client.connect();
      try {
        const { rows } = await client.query<{ version: string }>("SELECT version()");
        return rows[0]?.version ?? "";
      } finally {
        await client.end();
      }
    });
    expect(version).toMatch(/^PostgreSQL \d+/);
  });

  test("GIVEN the kit's Redis WHEN we PING it THEN it answers PONG", async () => {
    const { redisUrl } = services();
    const reply = await answers("Redis", redisUrl, async () => {
      // No reconnection: a Redis that is down must fail this check, not keep it waiting.
      const client = createClient({ url: redisUrl, socket: { connectTimeout: 5_000, reconnectStrategy: false } });
      client.on("error", () => {}); // the failure reaches us through connect(); don't crash the worker too
      await client.connect();
      try {
        return await client.ping();
      } finally {
        await client.close();
      }
    });
    expect(reply).toBe("PONG");
  });

  test("GIVEN the kit's Kafka WHEN we describe the cluster THEN at least one broker answers", async () => {
    const { kafkaBrokers } = services();
    const address = kafkaBrokers.join(",");
    const brokers = await answers("Kafka", address, async () => {
      // A plain TCP connection first: it fails in milliseconds, where the Kafka client retries for a while.
      const [host = "", port = ""] = splitHostPort(kafkaBrokers[0] ?? "");
      if (!(await isPortOpen(host, Number(port), 5_000))) throw new Error(`no TCP connection to ${host}:${port}`);
      // Not a probe client: its single try with short timeouts failed this check on a busy machine. The TCP
      // check above already fails fast when no broker is there; here the client may retry as every step's does.
      const admin = createKafka({ brokers: kafkaBrokers, clientId: "es-workshop-hello" }).admin();
      await admin.connect();
      try {
        return (await admin.describeCluster()).brokers;
      } finally {
        await admin.disconnect();
      }
    });
    expect(brokers.length).toBeGreaterThanOrEqual(1);
  });
});

/**
 * Runs `check`; if the service does not answer, fails with a message that says which and what
 * to do. Each check bounds its own wait (connect timeouts, no reconnect loops), so a service
 * that is down fails in seconds rather than at the test's timeout.
 */
async function answers<T>(service: string, address: string, check: () => Promise<T>): Promise<T> {
  try {
    return await check();
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    throw new Error(`${service} at ${redact(address)} did not answer: ${why} — run \`npm run doctor\``, { cause: error });
  }
}
