/**
 * The transactional outbox: the wallet writes the event of a change into its own
 * database, in the same transaction as the change. Both commit, or neither does — there
 * is no moment in between where a crash keeps one and loses the other. Publishing to Kafka
 * happens later, from the table, in relay.ts.
 */
import { randomUUID } from "node:crypto";
import type pg from "pg";
import { noFailpoints, type FailpointHook } from "#kit/failpoints";
import { todo } from "#kit/todo";
import { deposited, encodeEvent, withdrawn, type WalletEvent } from "./events.ts";
import { inTransaction } from "./transactions.ts";
import { deposit, withdraw, type Database } from "./wallet.ts";

/**
 * Given: the outbox table. `id` is the order the relay publishes in; `payload` is the
 * event as JSON text, published as it is after a check; `status` is where the row stands:
 * waiting to be published, published, or refused by the relay (with the reason in
 * `failure`, and the row kept for a person to look at).
 */
export async function createOutboxTable(db: Database): Promise<void> {
  await db.query(`
    CREATE TABLE IF NOT EXISTS outbox (
      id         BIGSERIAL   PRIMARY KEY,
      event_id   UUID        NOT NULL UNIQUE,
      payload    TEXT        NOT NULL,
      status     TEXT        NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
      failure    TEXT,
      created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
      sent_at    TIMESTAMPTZ
    )`);
  // The relay asks for the oldest pending rows, again and again: it should not read the sent ones.
  await db.query("CREATE INDEX IF NOT EXISTS outbox_pending ON outbox (id) WHERE status = 'pending'");
}

export interface OutboxOptions {
  /** Where a test injects a crash: "before-commit", after the change and the event are written. */
  points?: FailpointHook;
}

/**
 * Task 1 — write the event in the same transaction.
 * Inserts `event` into the outbox as a pending row: its event id, and the event as JSON
 * (encodeEvent). `tx` is the transaction of the change the event describes.
 */
export async function appendToOutbox(tx: Database, event: WalletEvent): Promise<void> {
  return todo("Task 1 — write the event in the same transaction: the outbox row holds the event id and the encoded event, and is written on `tx`, so it commits or rolls back with the balance");
}

/**
 * Task 1 — write the event in the same transaction.
 * Deposits like the wallet does (wallet.ts) and appends a Deposited event to the outbox —
 * both in one transaction (inTransaction, with `points`). Returns the event.
 */
export async function depositWithOutbox(pool: pg.Pool, accountId: string, amount: number, { points = noFailpoints }: OutboxOptions = {}): Promise<WalletEvent> {
  return todo("Task 1 — write the event in the same transaction: the balance change and its Deposited event (with a fresh id) commit together or not at all, through inTransaction with `points`; the outbox row is written after the balance update, so outbox order is balance order; return the event");
}

/**
 * Task 1 — write the event in the same transaction.
 * The same for a withdrawal: a refused withdrawal (InsufficientFunds, AccountNotFound)
 * leaves neither a balance change nor an event behind.
 */
export async function withdrawWithOutbox(pool: pg.Pool, accountId: string, amount: number, { points = noFailpoints }: OutboxOptions = {}): Promise<WalletEvent> {
  return todo("Task 1 — write the event in the same transaction: as depositWithOutbox, for a withdrawal and its Withdrawn event; a refused withdrawal (InsufficientFunds, AccountNotFound) leaves no event");
}
