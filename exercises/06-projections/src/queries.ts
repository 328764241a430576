/**
 * The query side: what the API reads, from the read models only — never from the log.
 *
 * A read answers at once, with whatever the projection has applied so far: right after a
 * command, that may be the balance from before it. A caller that must see its own write
 * waits for the position its command returned (Task 2): the projection has applied it, or
 * the wait gives up, at a deadline, saying how far the projection had got.
 */
import { setTimeout as pause } from "node:timers/promises";
import type { EventEnvelope, Position } from "./envelope.ts";
import { appliedThrough, type Database } from "./read-models.ts";
import { todo } from "#kit/todo";

/** The account's balance in the read model, or undefined if the read model does not know the account (yet). */
export async function balanceOf(db: Database, accountId: string): Promise<number | undefined> {
  const { rows } = await db.query<{ balance: string }>("SELECT balance FROM account_balances WHERE account_id = $1", [accountId]);
  return rows[0] === undefined ? undefined : Number(rows[0].balance);
}

/** One deposit or withdrawal as the transaction list shows it. */
export interface TransactionLine {
  eventId: string;
  kind: Exclude<EventEnvelope["type"], "AccountOpened">;
  /** + for a deposit, − for a withdrawal, in cents. */
  amount: number;
  balanceAfter: number;
  occurredAt: string;
  position: Position;
}

/** The account's transactions, oldest first, each with the balance after it. */
export async function transactionsOf(db: Database, accountId: string): Promise<TransactionLine[]> {
  const { rows } = await db.query<{ event_id: string; kind: TransactionLine["kind"]; amount: string; balance_after: string; occurred_at: Date; partition: number; offset: string }>(
    `SELECT event_id, kind, amount, balance_after, occurred_at, "partition", "offset" FROM account_transactions WHERE account_id = $1 ORDER BY line_no`,
    [accountId],
  );
  return rows.map((row) => ({
    eventId: row.event_id,
    kind: row.kind,
    amount: Number(row.amount),
    balanceAfter: Number(row.balance_after),
    occurredAt: row.occurred_at.toISOString(),
    position: { partition: row.partition, offset: Number(row.offset) },
  }));
}

/**
 * The read model has not reached a position in time: the command was accepted, and its
 * effect is not visible yet. Nothing is lost — the event is in the log and the projection
 * will apply it when it gets there — so an API answers "202 Accepted" with the position,
 * not an error.
 */
export class NotVisibleYet extends Error {
  override readonly name = "NotVisibleYet";

  constructor(
    /** The position the caller waited for: its command's last event. */
    readonly waitedFor: Position,
    /** How far the read model had got in that partition when the wait gave up; null if it had applied nothing from it. */
    readonly reached: Position | null,
    readonly timeoutMs: number,
  ) {
    super(
      `partition ${waitedFor.partition}, offset ${waitedFor.offset} is not visible in the read model after ${timeoutMs} ms: ` +
        (reached === null ? `the projection has applied nothing from partition ${waitedFor.partition} yet` : `the projection has applied up to offset ${reached.offset}`),
    );
  }
}

export interface WaitOptions {
  /** How long to wait at most. */
  timeoutMs?: number;
  /** How often to look at the projection's position. */
  intervalMs?: number;
}

/**
 * Task 2 — wait for a position.
 * Resolves once the projection has applied the record at `position` (its partition's
 * applied offset, appliedThrough, is at or past position.offset). Looks every `intervalMs`;
 * at the deadline, throws NotVisibleYet with the position waited for and the position
 * reached (null when nothing of that partition is applied yet).
 */
export async function waitForPosition(db: Database, position: Position, { timeoutMs = 5_000, intervalMs = 10 }: WaitOptions = {}): Promise<void> {
  return todo("Task 2 — wait for a position: return once the read model has applied through the position's offset on its partition; look again every intervalMs; at the deadline throw NotVisibleYet(position, reached, timeoutMs)");
}
