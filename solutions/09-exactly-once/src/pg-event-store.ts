/**
 * The same events, kept in a Postgres table instead of a Kafka topic — to show what a
 * database gives that Kafka does not: a write that is refused *when it is made* because it
 * was decided on an old version of the stream.
 *
 *   UNIQUE (account_id, version)
 *
 * Two writers that both loaded alice at version 2 both try to insert her version 3. The first
 * insert wins; the second breaks the constraint (Postgres error 23505, unique_violation) and
 * nothing of it is written. That one constraint is "append only if the stream is still at
 * version N" — optimistic concurrency per stream, which Kafka has no way to express.
 */
import type pg from "pg";
import { parseEvent, type EventEnvelope } from "./envelope.ts";
import { inTransaction } from "./transactions.ts";

/** Postgres's code for a broken unique constraint. */
export const UNIQUE_VIOLATION = "23505";

export async function createEventsTable(pool: pg.Pool): Promise<void> {
  await pool.query(`
    CREATE TABLE IF NOT EXISTS events (
      account_id  text        NOT NULL,
      version     integer     NOT NULL CHECK (version > 0),
      event_id    text        NOT NULL UNIQUE,
      type        text        NOT NULL,
      event       jsonb       NOT NULL,
      recorded_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT events_stream_version UNIQUE (account_id, version)
    )`);
}

/** The stream moved on since the writer loaded it: another event already has this version. */
export class StreamVersionConflict extends Error {
  override readonly name = "StreamVersionConflict";

  constructor(
    readonly accountId: string,
    /** The version the refused append tried to write. */
    readonly version: number,
  ) {
    super(`account ${JSON.stringify(accountId)} already has a version ${version}: the append was decided on version ${version - 1}, which is no longer the latest`);
  }
}

/** The events given to appendToStream cannot be one append: the caller's bug, said plainly. */
export class InvalidAppend extends Error {
  override readonly name = "InvalidAppend";
}

/** Given: an account's events, in version order. */
export async function loadStream(pool: pg.Pool, accountId: string): Promise<EventEnvelope[]> {
  const { rows } = await pool.query<{ event: unknown }>("SELECT event FROM events WHERE account_id = $1 ORDER BY version", [accountId]);
  return rows.map((row) => parseEvent(JSON.stringify(row.event)));
}

/** Given: what appendToStream accepts — one account's events, with consecutive versions. */
export function checkAppend(events: readonly EventEnvelope[]): string {
  const accountId = events[0]?.metadata.accountId;
  if (accountId === undefined) throw new InvalidAppend("an append needs at least one event");
  events.forEach((event, index) => {
    if (event.metadata.accountId !== accountId) throw new InvalidAppend(`one append is one account's events: ${JSON.stringify(event.metadata.accountId)} is not ${JSON.stringify(accountId)}`);
    const wanted = events[0]!.metadata.version + index;
    if (event.metadata.version !== wanted) throw new InvalidAppend(`the events of one append must have consecutive versions: expected ${wanted}, got ${event.metadata.version}`);
  });
  return accountId;
}

/**
 * Task 2 — refuse a stale append.
 * Insert the events (checked with checkAppend first) into the events table, all or none, in
 * one transaction (inTransaction). Each row: account_id, version, event_id and type from the
 * metadata, and the whole envelope as event (jsonb). When Postgres refuses a row with a
 * unique violation (error code UNIQUE_VIOLATION) on the stream's version, throw
 * StreamVersionConflict(accountId, the version of the refused event) — the caller must not
 * see a driver error. Any other error goes on as it is.
 */
export async function appendToStream(pool: pg.Pool, events: readonly EventEnvelope[]): Promise<void> {
  const accountId = checkAppend(events);
  await inTransaction(pool, async (tx) => {
    for (const event of events) {
      try {
        await tx.query("INSERT INTO events (account_id, version, event_id, type, event) VALUES ($1, $2, $3, $4, $5)", [
          accountId,
          event.metadata.version,
          event.metadata.eventId,
          event.type,
          JSON.stringify(event),
        ]);
      } catch (error) {
        const { code, constraint } = error as { code?: string; constraint?: string };
        if (code === UNIQUE_VIOLATION && constraint === "events_stream_version") throw new StreamVersionConflict(accountId, event.metadata.version);
        throw error;
      }
    }
  });
}
