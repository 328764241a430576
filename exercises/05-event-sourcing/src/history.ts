/**
 * History for free: the questions step 01's table could not answer.
 *
 * The log keeps every event with the time it happened, so the balance at any past moment is
 * the fold of the events up to that moment, and the answer to "why?" is that list of events.
 */
import { foldEvents, type AccountState } from "./domain.ts";
import type { EventEnvelope } from "./envelope.ts";
import { todo } from "#kit/todo";

export interface BalanceAt {
  /** The balance at that moment, in cents; 0 before the account was opened. */
  balance: number;
  /** Whether the account existed at that moment. */
  open: boolean;
  /** Why: the events that had happened by then, oldest first. */
  because: EventEnvelope[];
}

/**
 * Task 3 — the balance at any past time.
 * The account's state at `moment`: fold (with evolve) the events of `history` that occurred
 * at or before it — `metadata.occurredAt`, compared as instants, not as strings — and return
 * the balance with the events that explain it. `history` is one account's events, oldest first.
 */
export function balanceAt(history: readonly EventEnvelope[], moment: Date): BalanceAt {
  return todo("Task 3 — the balance at any past time: only the events that occurred at or before the moment count; return the balance they fold to, and those events");
}
