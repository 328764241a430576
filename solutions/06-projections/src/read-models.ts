/**
 * Given: the read models — tables built from the events topic, shaped for the questions the
 * API answers, and written only by a projection.
 *
 *   account_balances       one row per account: its balance now
 *   account_transactions   one line per deposit or withdrawal, with the balance after it
 *   projection_positions   per partition of the events topic: the offset of the last record applied
 *   rejected_records       records of the events topic the projection could not apply — not events,
 *                          or events the read models cannot take — kept with the reason
 *
 * Nothing here decides anything: the write side (processor.ts) has already decided, and the
 * events are facts. A read model only answers questions, and may answer them late.
 */
import type pg from "pg";
import { unreachable } from "./domain.ts";
import { toRecord, type Position, type RecordedEvent } from "./envelope.ts";

/** A pool, or one connection inside a transaction: what the statements here run on. */
export type Database = pg.Pool | pg.PoolClient;

export async function createReadModels(db: Database): Promise<void> {
  await db.query(`
    CREATE TABLE IF NOT EXISTS account_balances (
      account_id  TEXT        PRIMARY KEY,
      balance     BIGINT      NOT NULL,
      updated_at  TIMESTAMPTZ NOT NULL
    );
    CREATE TABLE IF NOT EXISTS account_transactions (
      line_no       BIGSERIAL   PRIMARY KEY,
      account_id    TEXT        NOT NULL,
      event_id      TEXT        NOT NULL,
      kind          TEXT        NOT NULL,
      amount        BIGINT      NOT NULL,
      balance_after BIGINT      NOT NULL,
      occurred_at   TIMESTAMPTZ NOT NULL,
      "partition"   INT         NOT NULL,
      "offset"      BIGINT      NOT NULL
    );
    CREATE INDEX IF NOT EXISTS account_transactions_by_account ON account_transactions (account_id, line_no);
    CREATE TABLE IF NOT EXISTS projection_positions (
      "partition"         INT    PRIMARY KEY,
      last_applied_offset BIGINT NOT NULL
    );
    CREATE TABLE IF NOT EXISTS rejected_records (
      "partition" INT         NOT NULL,
      "offset"    BIGINT      NOT NULL,
      reason      TEXT        NOT NULL,
      raw         TEXT        NOT NULL,
      received_at TIMESTAMPTZ NOT NULL DEFAULT now(),
      PRIMARY KEY ("partition", "offset")
    )`);
}

/** What applying one event did: it changed the read models, or they could not take it and it is kept in rejected_records. */
export type EventOutcome = "applied" | "kept aside";

/**
 * What one event does to the read models: an opening adds the account at 0; a deposit or a
 * withdrawal moves its balance and adds a transaction line. Applied twice, it counts twice:
 * keeping that from happening is the projection's job, not this function's.
 *
 * Money for an account that was never opened changes no balance: the write side never
 * accepts it, so it came from elsewhere (another writer, a bug). It is not dropped — a
 * deposit would vanish without a trace — but kept in rejected_records with the reason, in
 * the caller's transaction, like a record that is not an event (step 08 makes it a dead letter).
 */
export async function applyEvent(db: Database, event: RecordedEvent): Promise<EventOutcome> {
  const { accountId, occurredAt, eventId } = event.metadata;
  switch (event.type) {
    case "AccountOpened":
      await db.query("INSERT INTO account_balances (account_id, balance, updated_at) VALUES ($1, 0, $2) ON CONFLICT (account_id) DO NOTHING", [accountId, occurredAt]);
      return "applied";
    case "MoneyDeposited":
    case "MoneyWithdrawn": {
      const amount = event.type === "MoneyDeposited" ? event.data.amount : -event.data.amount;
      const { rows } = await db.query<{ balance: string }>(
        "UPDATE account_balances SET balance = balance + $2, updated_at = $3 WHERE account_id = $1 RETURNING balance",
        [accountId, amount, occurredAt],
      );
      if (rows.length === 0) {
        const { position, ...envelope } = event;
        await keepRejected(db, { position, reason: `${event.type} for account ${JSON.stringify(accountId)}, which was never opened`, raw: toRecord(envelope).value });
        return "kept aside";
      }
      await db.query(
        `INSERT INTO account_transactions (account_id, event_id, kind, amount, balance_after, occurred_at, "partition", "offset")
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [accountId, eventId, event.type, amount, rows[0]!.balance, occurredAt, event.position.partition, event.position.offset],
      );
      return "applied";
    }
    default:
      unreachable(event);
  }
}

/** The offset of the last record applied from `partition`, or undefined when none has been. */
export async function appliedThrough(db: Database, partition: number): Promise<number | undefined> {
  const { rows } = await db.query<{ last_applied_offset: string }>('SELECT last_applied_offset FROM projection_positions WHERE "partition" = $1', [partition]);
  return rows[0] === undefined ? undefined : Number(rows[0].last_applied_offset);
}

/** Records that every record of `partition` up to `offset` is applied. */
export async function recordAppliedThrough(db: Database, partition: number, offset: number): Promise<void> {
  await db.query(
    `INSERT INTO projection_positions ("partition", last_applied_offset) VALUES ($1, $2)
     ON CONFLICT ("partition") DO UPDATE SET last_applied_offset = EXCLUDED.last_applied_offset`,
    [partition, offset],
  );
}

/** A record the projection could not apply (not an event, or an event the read models cannot take), where it was, and why: kept once, however often it is delivered. */
export interface RejectedRecord {
  position: Position;
  reason: string;
  raw: string;
}

export async function keepRejected(db: Database, { position, reason, raw }: RejectedRecord): Promise<void> {
  await db.query('INSERT INTO rejected_records ("partition", "offset", reason, raw) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING', [
    position.partition,
    position.offset,
    reason,
    // Postgres text cannot hold NUL; everything else is kept as it came.
    raw.replaceAll("\u0000", "\\u0000"),
  ]);
}

export async function rejectedRecords(db: Database): Promise<RejectedRecord[]> {
  const { rows } = await db.query<{ partition: number; offset: string; reason: string; raw: string }>(
    'SELECT "partition", "offset", reason, raw FROM rejected_records ORDER BY "partition", "offset"',
  );
  return rows.map((row) => ({ position: { partition: row.partition, offset: Number(row.offset) }, reason: row.reason, raw: row.raw }));
}
