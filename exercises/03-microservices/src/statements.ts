/**
 * The second service: statements. It keeps its own tables, in its own schema if it likes,
 * and learns about the wallet's changes only from the wallet's events (events.ts) — never
 * from the wallet's tables.
 *
 * Kafka and the outbox relay deliver an event at least once: after a crash, twice. A
 * statement that adds every delivery counts a deposit twice; one that remembers which
 * events it has applied, in the same transaction as the statement line, does not.
 */
import type pg from "pg";
import { todo } from "#kit/todo";
import { signedAmount, type WalletEvent } from "./events.ts";
import { inTransaction } from "./transactions.ts";
import type { Database } from "./wallet.ts";

/**
 * Given: the statements service's tables. A line per change it applied, the events it has
 * applied (by id), and the messages it could not read, kept with the reason.
 */
export async function createStatementsTables(db: Database): Promise<void> {
  await db.query(`
    CREATE TABLE IF NOT EXISTS statement_lines (
      line_no       BIGSERIAL PRIMARY KEY,
      event_id      UUID      NOT NULL,
      account_id    TEXT      NOT NULL,
      kind          TEXT      NOT NULL,
      amount        BIGINT    NOT NULL,
      balance_after BIGINT    NOT NULL
    );
    CREATE TABLE IF NOT EXISTS processed_events (
      event_id     UUID        PRIMARY KEY,
      processed_at TIMESTAMPTZ NOT NULL DEFAULT now()
    );
    CREATE TABLE IF NOT EXISTS rejected_messages (
      id          BIGSERIAL   PRIMARY KEY,
      topic       TEXT        NOT NULL,
      "partition" INT         NOT NULL,
      "offset"    TEXT        NOT NULL,
      reason      TEXT        NOT NULL,
      value       TEXT,
      received_at TIMESTAMPTZ NOT NULL DEFAULT now()
    )`);
}

/** What applying one delivery did. */
export type Applied = "applied" | "duplicate";

/** How a statements service applies an event: applyOnce (Task 3) or applyEveryDelivery (given, wrong on purpose). */
export type ApplyEvent = (pool: pg.Pool, event: WalletEvent) => Promise<Applied>;

/** Given: the statement line for one event. */
async function addStatementLine(db: Database, event: WalletEvent): Promise<void> {
  await db.query(
    "INSERT INTO statement_lines (event_id, account_id, kind, amount, balance_after) VALUES ($1, $2, $3, $4, $5)",
    [event.metadata.eventId, event.data.accountId, event.type, signedAmount(event), event.data.balanceAfter],
  );
}

/**
 * Task 3 — apply each event once.
 * In one transaction: record the event's id in processed_events, and add its statement
 * line only if the id was not there yet. Returns "applied", or "duplicate" for an event
 * applied before (by this delivery's twin, even one running at the same moment).
 */
export async function applyOnce(pool: pg.Pool, event: WalletEvent): Promise<Applied> {
  return todo("Task 3 — apply each event once: one statement line per event id, even when two deliveries of it are applied at the same moment; the id and the line commit together; answer \"applied\", or \"duplicate\" for an id seen before");
}

/** Given, and wrong on purpose: adds a line for every delivery, so a redelivered event counts twice. */
export async function applyEveryDelivery(pool: pg.Pool, event: WalletEvent): Promise<Applied> {
  await addStatementLine(pool, event);
  return "applied";
}

// ---------------------------------------------------------------------------
// Given: what the statements service answers.

export interface StatementLine {
  eventId: string;
  kind: WalletEvent["type"];
  /** + for a deposit, − for a withdrawal. */
  amount: number;
  balanceAfter: number;
}

/** An account's statement: its lines in the order the service applied them. */
export async function statementOf(db: Database, accountId: string): Promise<StatementLine[]> {
  const { rows } = await db.query<{ event_id: string; kind: WalletEvent["type"]; amount: string; balance_after: string }>(
    "SELECT event_id, kind, amount, balance_after FROM statement_lines WHERE account_id = $1 ORDER BY line_no",
    [accountId],
  );
  return rows.map((row) => ({ eventId: row.event_id, kind: row.kind, amount: Number(row.amount), balanceAfter: Number(row.balance_after) }));
}

/** Every account's balance as the statements service knows it: the sum of its lines. */
export async function statementBalances(db: Database): Promise<Record<string, number>> {
  const { rows } = await db.query<{ account_id: string; balance: string }>(
    "SELECT account_id, sum(amount) AS balance FROM statement_lines GROUP BY account_id ORDER BY account_id",
  );
  return Object.fromEntries(rows.map((row) => [row.account_id, Number(row.balance)]));
}
