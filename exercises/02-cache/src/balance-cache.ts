/**
 * The Redis side of the step: a copy of each account's balance under its own key, each copy
 * with a time to live. This is the only file of the step that talks to Redis.
 *
 * Every Redis failure — a refused connection, a closed client, a timeout — comes out as one
 * error, CacheUnavailable, so the wallet can decide what a cache that does not answer means
 * (a slower read, never a failed one) without knowing the driver's dozen error classes.
 */
import type { RedisClientType } from "redis";
import { noFailpoints, type FailpointHook } from "#kit/failpoints";

/** The three Redis commands the cache uses: any connected node-redis client has them. */
export type RedisCommands = Pick<RedisClientType, "get" | "set" | "del">;

export type CacheOperation = "get" | "put" | "delete";

/**
 * Redis did not do what was asked. Not a wallet error: Postgres still holds every balance,
 * so the wallet can answer without the cache. `cause` keeps the driver's own error.
 */
export class CacheUnavailable extends Error {
  override readonly name = "CacheUnavailable";

  constructor(
    readonly operation: CacheOperation,
    readonly key: string,
    cause: unknown,
  ) {
    super(`the cache could not ${operation} ${key}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}

/** What the cache answered so far: a hit is a balance found, a miss is a key not there. */
export interface CacheStats {
  hits: number;
  misses: number;
}

export interface BalanceCacheOptions {
  /** Every key starts with it: one prefix per test, per attendee, per service. */
  prefix: string;
  /**
   * Named points just before each Redis command — "cache-get", "cache-put", "cache-delete" —
   * where a test holds a caller on a latch or makes Redis fail (failAt).
   */
  points?: FailpointHook;
}

/** Given: balances cached in Redis, as whole cents, one key per account. */
export class BalanceCache {
  readonly #redis: RedisCommands;
  readonly #prefix: string;
  readonly #points: FailpointHook;
  #hits = 0;
  #misses = 0;

  constructor(redis: RedisCommands, { prefix, points = noFailpoints }: BalanceCacheOptions) {
    this.#redis = redis;
    this.#prefix = prefix;
    this.#points = points;
  }

  /** The key that holds an account's balance: `<prefix>balance:<id>`. */
  keyOf(accountId: string): string {
    return `${this.#prefix}balance:${accountId}`;
  }

  /** The cached balance, or undefined when there is none (a miss). */
  async get(accountId: string): Promise<number | undefined> {
    const key = this.keyOf(accountId);
    const stored = await this.#attempt("get", key, () => this.#redis.get(key));
    const balance = stored === null ? undefined : asCents(stored);
    if (balance === undefined) this.#misses += 1;
    else this.#hits += 1;
    return balance;
  }

  /** Caches a balance for `ttlMs` milliseconds; Redis deletes it by itself afterwards. */
  async put(accountId: string, balance: number, ttlMs: number): Promise<void> {
    if (!Number.isInteger(ttlMs) || ttlMs < 1) throw new RangeError(`a time to live is a whole number of milliseconds ≥ 1, got ${ttlMs}`);
    const key = this.keyOf(accountId);
    await this.#attempt("put", key, () => this.#redis.set(key, String(balance), { expiration: { type: "PX", value: ttlMs } }));
  }

  /** Deletes the cached balance, if there is one: the next read goes to Postgres. */
  async delete(accountId: string): Promise<void> {
    const key = this.keyOf(accountId);
    await this.#attempt("delete", key, () => this.#redis.del(key));
  }

  stats(): CacheStats {
    return { hits: this.#hits, misses: this.#misses };
  }

  async #attempt<T>(operation: CacheOperation, key: string, command: () => Promise<T>): Promise<T> {
    try {
      await this.#points.reach(`cache-${operation}`);
      return await command();
    } catch (error) {
      throw new CacheUnavailable(operation, key, error);
    }
  }
}

/**
 * A cached value that is not whole cents (written by hand, or by another program) counts as
 * a miss: the cache is never the truth, so the wallet reads Postgres and overwrites it.
 */
function asCents(stored: string): number | undefined {
  const cents = Number(stored);
  return /^\d+$/.test(stored) && Number.isSafeInteger(cents) ? cents : undefined;
}
