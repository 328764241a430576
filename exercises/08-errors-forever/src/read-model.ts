/**
 * Given: the read model the projection keeps in Postgres — balances, each account's history,
 * and how far the projection has read each partition.
 *
 * Each event is applied in one transaction together with the position after it, so an
 * event delivered twice (after a crash, before Kafka heard about the commit) is recognised
 * and not applied twice — step 06's idempotent projection, in small.
 *
 * The history keeps every applied event as a line, corrections included: the wrong deposit
 * and the line that corrects it, with its reason. That is the audit the log gives for free.
 */
import type pg from "pg";
import type { RecordedEvent } from "./envelope.ts";
import { PoisonRecord } from "./record.ts";
import { todo } from "#kit/todo";

/** Anything that runs SQL: a pool, or one client inside a transaction. */
export type Database = Pick<pg.Pool, "query">;

/** A valid event the read model cannot apply: every attempt would fail the same way. */
export class EventRefused extends PoisonRecord {
  override readonly name = "EventRefused";
}

export async function createReadModel(db: Database): Promise<void> {
  await db.query(`
    CREATE TABLE IF NOT EXISTS account_balances (
      account_id TEXT   PRIMARY KEY,
      balance    BIGINT NOT NULL DEFAULT 0,
      frozen     BOOLEAN NOT NULL DEFAULT false
    );
    CREATE TABLE IF NOT EXISTS account_history (
      event_id         TEXT        PRIMARY KEY,
      account_id       TEXT        NOT NULL,
      type             TEXT        NOT NULL,
      change           BIGINT      NOT NULL,
      detail           TEXT        NOT NULL,
      occurred_at      TIMESTAMPTZ NOT NULL,
      source_partition INT         NOT NULL,
      source_offset    BIGINT      NOT NULL
    );
    CREATE TABLE IF NOT EXISTS projection_positions (
      topic            TEXT   NOT NULL,
      source_partition INT    NOT NULL,
      next_offset      BIGINT NOT NULL,
      PRIMARY KEY (topic, source_partition)
    )`);
}

/**
 * Applies `event` and moves the partition's position past it, in one transaction — unless
 * the position is already past it (a redelivery): then nothing happens. Throws EventRefused
 * (and changes nothing) for an event the read model cannot apply.
 */
export async function project(pool: pg.Pool, topic: string, event: RecordedEvent): Promise<"applied" | "already applied"> {
  const client = await pool.connect();
  // A connection that dies under a query also says so on the client: the failing query reports
  // it, so this only keeps the duplicate from crashing the process, and the client from reuse.
  let broken: Error | undefined;
  const onConnectionError = (error: Error) => void (broken ??= error);
  client.on("error", onConnectionError);
  try {
    await client.query("BEGIN");
    if (await isPast(client, topic, event.position)) {
      await client.query("ROLLBACK");
      return "already applied";
    }
    await applyEvent(client, event);
    await movePosition(client, topic, event.position);
    await client.query("COMMIT");
    return "applied";
  } catch (error) {
    // The caller gets the error that stopped the event, not a failed ROLLBACK's; a connection
    // that cannot even roll back is not given back to the pool (as step 06's inTransaction).
    await client.query("ROLLBACK").catch((rollbackError: Error) => void (broken ??= rollbackError));
    throw error;
  } finally {
    client.off("error", onConnectionError);
    client.release(broken);
  }
}

/** Moves the partition's position past a record that was not applied (it went to the dead-letter topic). */
export async function passOver(db: Database, topic: string, position: RecordedEvent["position"]): Promise<void> {
  await movePosition(db, topic, position);
}

/** Whether the projection has already dealt with the record at `position`. */
export async function isPast(db: Database, topic: string, { partition, offset }: RecordedEvent["position"]): Promise<boolean> {
  const { rows } = await db.query<{ next_offset: string }>("SELECT next_offset FROM projection_positions WHERE topic = $1 AND source_partition = $2", [topic, partition]);
  return rows[0] !== undefined && offset < Number(rows[0].next_offset);
}

async function movePosition(db: Database, topic: string, { partition, offset }: RecordedEvent["position"]): Promise<void> {
  await db.query(
    `INSERT INTO projection_positions (topic, source_partition, next_offset) VALUES ($1, $2, $3)
     ON CONFLICT (topic, source_partition) DO UPDATE SET next_offset = GREATEST(projection_positions.next_offset, EXCLUDED.next_offset)`,
    [topic, partition, offset + 1],
  );
}

/** What one event does to the read model. */
async function applyEvent(db: Database, event: RecordedEvent): Promise<void> {
  const { accountId } = event.metadata;
  if (event.type === "AccountOpened") {
    const opened = await db.query("INSERT INTO account_balances (account_id) VALUES ($1) ON CONFLICT DO NOTHING", [accountId]);
    if (opened.rowCount === 0) throw new EventRefused(`account ${JSON.stringify(accountId)} was already opened`);
    return record(db, event, 0, "opened");
  }
  if (event.type === "AccountFrozen" || event.type === "AccountUnfrozen") {
    return todo("Task 5 — freeze an account in the event-sourced wallet: in the read model, set account_balances.frozen (EventRefused if the account has no row), and write the history line \"frozen: <reason>\" or \"unfrozen\"");
  }
  const [change, detail] = effectOf(event);
  const updated = await db.query("UPDATE account_balances SET balance = balance + $2 WHERE account_id = $1", [accountId, change]);
  if (updated.rowCount === 0) throw new EventRefused(`${event.type} for account ${JSON.stringify(accountId)}, which was never opened`);
  await record(db, event, change, detail);
}

/** How much an event moves the balance, and the line the history shows for it. */
function effectOf(event: Exclude<RecordedEvent, { type: "AccountOpened" | "AccountFrozen" | "AccountUnfrozen" }>): [change: number, detail: string] {
  switch (event.type) {
    case "MoneyDeposited":
      return [event.data.amount, `deposit of ${event.data.amount} cents`];
    case "MoneyWithdrawn":
      return [-event.data.amount, `withdrawal of ${event.data.amount} cents`];
    case "DepositCorrected": {
      const { depositId, recordedAmount, correctAmount, reason } = event.data;
      return [correctAmount - recordedAmount, `deposit ${depositId} corrected from ${recordedAmount} to ${correctAmount} cents: ${reason}`];
    }
  }
}

async function record(db: Database, event: RecordedEvent, change: number, detail: string): Promise<void> {
  const inserted = await db.query(
    `INSERT INTO account_history (event_id, account_id, type, change, detail, occurred_at, source_partition, source_offset)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (event_id) DO NOTHING`,
    [event.metadata.eventId, event.metadata.accountId, event.type, change, detail, event.metadata.occurredAt, event.position.partition, event.position.offset],
  );
  // The same event id at another position: a copy (a producer that retried, a replay gone wrong). Applying it would count it twice.
  if (inserted.rowCount === 0) throw new EventRefused(`event ${event.metadata.eventId} was already applied from another position`);
}

// ---------------------------------------------------------------------------
// Queries

export interface AccountView {
  balance: number;
  frozen: boolean;
}

/** An account as the read model shows it, or undefined if it has no such account. */
export async function readAccount(db: Database, accountId: string): Promise<AccountView | undefined> {
  const { rows } = await db.query<{ balance: string; frozen: boolean }>("SELECT balance, frozen FROM account_balances WHERE account_id = $1", [accountId]);
  const row = rows[0];
  return row && { balance: Number(row.balance), frozen: row.frozen };
}

export interface HistoryLine {
  type: string;
  change: number;
  detail: string;
  eventId: string;
  position: { partition: number; offset: number };
}

/** An account's history, oldest first: every event applied, mistakes and corrections alike. */
export async function historyOf(db: Database, accountId: string): Promise<HistoryLine[]> {
  const { rows } = await db.query<{ type: string; change: string; detail: string; event_id: string; source_partition: number; source_offset: string }>(
    "SELECT type, change, detail, event_id, source_partition, source_offset FROM account_history WHERE account_id = $1 ORDER BY source_partition, source_offset",
    [accountId],
  );
  return rows.map((row) => ({
    type: row.type,
    change: Number(row.change),
    detail: row.detail,
    eventId: row.event_id,
    position: { partition: row.source_partition, offset: Number(row.source_offset) },
  }));
}

/** How many events the read model has applied: one history line each. */
export async function appliedCount(db: Database): Promise<number> {
  const { rows } = await db.query<{ count: string }>("SELECT count(*) AS count FROM account_history");
  return Number(rows[0]?.count ?? 0);
}

/** The next offset the projection will read, per partition of `topic`. */
export async function nextOffsets(db: Database, topic: string): Promise<Record<number, number>> {
  const { rows } = await db.query<{ source_partition: number; next_offset: string }>("SELECT source_partition, next_offset FROM projection_positions WHERE topic = $1", [topic]);
  return Object.fromEntries(rows.map((row) => [row.source_partition, Number(row.next_offset)]));
}
