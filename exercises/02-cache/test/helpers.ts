/**
 * Test helpers of step 02. Accounts are set up with plain SQL and cache entries are read with
 * plain Redis commands, not with the code under test, so each task's tests depend on that
 * task alone and trade-off tests pass from the start.
 */
import net from "node:net";
import type pg from "pg";
import { createClient, type RedisClientType } from "redis";
import { Failpoints, Latch, Signal, services, type FreshRedis, type FreshSchema } from "#kit/testing";
import { BalanceCache, type RedisCommands } from "../src/balance-cache.ts";
import type { CachedWallet } from "../src/cached-wallet.ts";
import type { Logger } from "../src/logger.ts";
import { createWalletTable } from "../src/wallet.ts";

/** Long enough that nothing expires during a test, unless the test asks for a short one. */
export const TTL_MS = 60_000;

/** The accounts table, with these accounts and balances (in cents) already in it. */
export async function givenWallet(db: pg.Pool, accounts: Record<string, number> = {}): Promise<void> {
  await createWalletTable(db);
  for (const [id, balance] of Object.entries(accounts)) {
    await db.query("INSERT INTO accounts (id, balance) VALUES ($1, $2)", [id, balance]);
  }
}

/** What the table holds, read with plain SQL: `{ alice: 100 }`. */
export async function storedBalances(db: pg.Pool): Promise<Record<string, number>> {
  const { rows } = await db.query<{ id: string; balance: string }>("SELECT id, balance FROM accounts ORDER BY id");
  return Object.fromEntries(rows.map((row) => [row.id, Number(row.balance)]));
}

/** Changes a balance with plain SQL, the way another program would: the cache is not told. */
export async function setBalanceBehindTheCache(db: pg.Pool, accountId: string, balance: number): Promise<void> {
  await db.query("UPDATE accounts SET balance = $2 WHERE id = $1", [accountId, balance]);
}

export interface RecordingLogger extends Logger {
  readonly lines: string[];
}

/** A logger that keeps what it is told, for the test to read. */
export function recordingLogger(): RecordingLogger {
  const lines: string[] = [];
  return { lines, warn: (message) => void lines.push(message) };
}

export interface Service extends CachedWallet {
  logger: RecordingLogger;
  /** Where this service's cache reaches "cache-get", "cache-put" and "cache-delete". */
  points: Failpoints;
}

export interface ServiceOptions {
  /** Its own connections to Postgres (default: the test's pool). */
  pool?: pg.Pool;
  /** Its own Redis client (default: the test's). */
  client?: RedisCommands;
  ttlMs?: number;
}

/**
 * One instance of the wallet service: a cached wallet on the test's schema and key prefix,
 * with its own failpoints and its own log. Two of them are two services sharing Postgres
 * and Redis, as two instances behind a load balancer would.
 */
export function walletService(db: FreshSchema, redis: FreshRedis, options: ServiceOptions = {}): Service {
  const points = new Failpoints();
  return {
    db: options.pool ?? db.pool,
    cache: new BalanceCache(options.client ?? redis.client, { prefix: redis.prefix, points }),
    ttlMs: options.ttlMs ?? TTL_MS,
    logger: recordingLogger(),
    points,
  };
}

/**
 * Holds every call of `service` that reaches `point` ("cache-put", "cache-delete"), just
 * before its Redis command: `reached` is sent when the first one arrives, and they all wait
 * there until `release` opens.
 */
export function holdBefore(service: Service, point: "cache-get" | "cache-put" | "cache-delete"): { reached: Signal; release: Latch } {
  const reached = new Signal();
  const release = new Latch();
  service.points.on(point, async () => {
    reached.send();
    await release.wait();
  });
  return { reached, release };
}

/** What Redis holds for an account, read with plain GET: "100", or null when nothing is cached. */
export async function cachedCopy(redis: FreshRedis, accountId: string): Promise<string | null> {
  return redis.client.get(keyOf(redis, accountId));
}

/** Milliseconds the account's cached balance has left (PTTL): -2 when there is none, -1 when it never expires. */
export async function timeToLive(redis: FreshRedis, accountId: string): Promise<number> {
  return redis.client.pTTL(keyOf(redis, accountId));
}

/** Caches a balance with plain SET, as a cache with a stale copy would hold it. */
export async function givenCachedCopy(redis: FreshRedis, accountId: string, balance: number): Promise<void> {
  await redis.client.set(keyOf(redis, accountId), String(balance), { expiration: { type: "PX", value: TTL_MS } });
}

function keyOf(redis: FreshRedis, accountId: string): string {
  return new BalanceCache(redis.client, { prefix: redis.prefix }).keyOf(accountId);
}

/**
 * A Redis client of its own, connected to the real Redis, for a service whose connection the
 * test will break (destroy()). `cleanUp` is the test's onTestFinished: the client is closed
 * after the test, whatever happened to it.
 */
export async function ownRedisClient(cleanUp: (fn: () => void) => void): Promise<RedisClientType> {
  const client: RedisClientType = createClient({ url: services().redisUrl, socket: { connectTimeout: 1_000, reconnectStrategy: false } });
  client.on("error", () => {}); // the test breaks the connection on purpose
  cleanUp(() => {
    if (client.isOpen) client.destroy();
  });
  await client.connect();
  return client;
}

/**
 * A Redis client of a service whose Redis is down: it was pointed at a port where nothing
 * listens, its connection was refused, and it does not try again. A real client and a real
 * refusal, not a mock: every command on it fails at once, as node-redis fails them.
 */
export async function redisThatIsDown(): Promise<RedisCommands> {
  const port = await portWhereNothingListens();
  const client = createClient({ url: `redis://127.0.0.1:${port}`, socket: { connectTimeout: 1_000, reconnectStrategy: false } });
  client.on("error", () => {}); // the refusal is expected; the commands below report it
  const refused = await client.connect().then(
    () => false,
    () => true,
  );
  if (!refused || client.isOpen) throw new Error(`something answered on port ${port}: the test needs a port where nothing listens`);
  return client;
}

/** A port the OS just gave out and took back: nothing listens on it. */
function portWhereNothingListens(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
