/**
 * How a projection applies one batch of events to the read models — two ways.
 *
 * Kafka delivers at least once: a projection that crashes after its read-model transaction
 * committed, but before Kafka recorded its offset, is given the same batch again when it
 * comes back. The committed offset alone cannot tell it what it has already applied — the
 * read model can, if the position is written in the same transaction as the change.
 *
 *   applyEveryDelivery  given, wrong on purpose: applies whatever it is given
 *   applyEvents         given: applies events one by one, counting those the read models kept aside
 *   applyOnce           Task 1: stores the position with the change, and skips what it has applied
 */
import type pg from "pg";
import { todo } from "#kit/todo";
import type { RecordedEvent } from "./envelope.ts";
import { applyEvent, appliedThrough, recordAppliedThrough, type Database } from "./read-models.ts";
import { inTransaction } from "./transactions.ts";

/** One batch of the events topic, as the projection hands it over. */
export interface EventBatch {
  partition: number;
  /** The batch's events, in log order (records that were not events are already set aside). */
  events: RecordedEvent[];
  /** The offset of the batch's last record, event or not: once the batch is applied, the partition is applied up to here. */
  lastOffset: number;
}

/**
 * What applying a batch did: how many events it applied, how many the read models could not
 * take and kept aside in rejected_records, and how many it had already applied before.
 */
export interface BatchOutcome {
  applied: number;
  keptAside: number;
  skipped: number;
}

export type ApplyBatch = (pool: pg.Pool, batch: EventBatch) => Promise<BatchOutcome>;

/**
 * Given, and wrong on purpose: applies every event of the batch, in one transaction, and
 * relies on Kafka's committed offset alone to know where it stopped. A batch delivered again
 * is applied again.
 */
export const applyEveryDelivery: ApplyBatch = (pool, { events }) =>
  inTransaction(pool, async (tx) => ({ ...(await applyEvents(tx, events)), skipped: 0 }));

/** Given: applyEvent for each event, in order, on `tx`; counts the events applied and those kept aside. */
export async function applyEvents(tx: Database, events: RecordedEvent[]): Promise<Omit<BatchOutcome, "skipped">> {
  const counts = { applied: 0, keptAside: 0 };
  for (const event of events) {
    if ((await applyEvent(tx, event)) === "applied") counts.applied++;
    else counts.keptAside++;
  }
  return counts;
}

/**
 * Task 1 — apply each batch once.
 * In ONE transaction (inTransaction): read how far this partition is applied
 * (appliedThrough); apply (applyEvents) only the events whose offset is past it; record the
 * batch's lastOffset (recordAppliedThrough). Return how many events were applied, kept aside
 * and skipped. A batch delivered again is then skipped, event by event.
 */
export const applyOnce: ApplyBatch = async (pool, { partition, events, lastOffset }) => {
  return todo("Task 1 — apply each batch once: the read model's changes and the partition's applied-through position commit in one transaction; events at or before that position are skipped, not applied again; return { applied, keptAside, skipped }");
};
