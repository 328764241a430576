/**
 * Plain checks, not tasks: each service the workshop uses answers. When one fails, its
 * message names the service, where the kit looked for it, and the command that helps.
 */
import { connect } from "node:net";
import pg from "pg";
import { createClient } from "redis";
import { createKafka } from "#kit/kafka";
import { describe, expect, services, test } from "#kit/testing";

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
      await reachable(kafkaBrokers[0] ?? "");
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

/** Runs `check`; if the service does not answer in time, fails with a message that says which and what to do. */
async function answers<T>(service: string, address: string, check: () => Promise<T>, timeoutMs = 15_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs / 1000} s`)), timeoutMs);
  });
  try {
    return await Promise.race([check(), deadline]);
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    throw new Error(`${service} at ${withoutPassword(address)} did not answer: ${why} — run \`npm run doctor\``, { cause: error });
  } finally {
    clearTimeout(timer);
  }
}

/** Opens and closes a TCP connection to `host:port`. */
function reachable(hostAndPort: string): Promise<void> {
  const separator = hostAndPort.lastIndexOf(":");
  const host = hostAndPort.slice(0, separator);
  const port = Number(hostAndPort.slice(separator + 1));
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port, timeout: 5_000 });
    socket.once("connect", () => {
      socket.end();
      resolve();
    });
    socket.once("timeout", () => {
      socket.destroy();
      reject(new Error(`no TCP connection to ${hostAndPort} within 5 s`));
    });
    socket.once("error", reject);
  });
}

/** Error messages end up in terminals and screenshots: never show a password. */
function withoutPassword(address: string): string {
  try {
    const url = new URL(address);
    if (url.password) url.password = "***";
    return url.toString();
  } catch {
    return address; // "host:port" lists are not URLs, and hold no password
  }
}
