/**
 * The outbox relay: a loop beside the wallet that publishes the outbox to Kafka.
 *
 * It takes the oldest pending rows, publishes them, and marks them sent. A crash between
 * publishing and marking leaves the rows pending, so the next batch publishes them again:
 * the relay delivers every event AT LEAST once, sometimes twice — never zero times, and
 * never an event whose transaction rolled back (its row was never committed). Downstream
 * consumers therefore deduplicate by event id (statements.ts).
 */
import type pg from "pg";
import { noFailpoints, type FailpointHook } from "#kit/failpoints";
import { todo } from "#kit/todo";
import { decodeEvent, EventRejected, type WalletEvent } from "./events.ts";
import type { EventPublisher } from "./publisher.ts";
import { inTransaction } from "./transactions.ts";

/** What the relay tells whoever watches it (a log, a metric, a test). */
export type RelayReport =
  | { kind: "event-refused"; outboxId: string; reason: string }
  | { kind: "batch-failed"; error: unknown };

export interface RelayOptions {
  publisher: EventPublisher;
  /** How many rows one batch takes at most. */
  batchSize?: number;
  /** "after-publish": Kafka has the batch, the rows are not yet marked sent. */
  points?: FailpointHook;
  report?: (report: RelayReport) => void;
}

export interface BatchOutcome {
  /** Rows published and marked sent. */
  sent: number;
  /** Rows refused (not an event this relay can publish) and marked failed. */
  failed: number;
}

/** The outbox rows as the relay reads them. BIGSERIAL comes back from pg as a string. */
interface OutboxRow {
  id: string;
  payload: string;
}

/**
 * Task 2 — publish the outbox, then mark it sent.
 * In one transaction: take the oldest `batchSize` pending rows (ORDER BY id, locked FOR
 * UPDATE), decode each payload (decodeEvent). A payload that is not an event this relay
 * knows is marked 'failed' with the reason and reported — kept, never dropped — and the
 * relay goes on. Publish the good ones in outbox order, reach "after-publish", then mark
 * them 'sent'. Returns how many rows were sent and how many refused.
 */
export async function relayBatch(pool: pg.Pool, { publisher, batchSize = 100, points = noFailpoints, report = reportToConsole }: RelayOptions): Promise<BatchOutcome> {
  return todo("Task 2 — publish the outbox, then mark it sent: the oldest pending rows, in id order, locked for this batch; a row that is not a readable event is marked failed with its reason, reported, and does not stop the others; the rest are published in one call, \"after-publish\" is reached, and only then are they marked sent — a crash in between publishes them again, never loses them");
}

// ---------------------------------------------------------------------------
// Given: the relay as a process — a loop around relayBatch, with a clean shutdown.

export interface RunningRelay {
  /** Asks the loop to stop, and resolves once the batch in progress (if any) has finished. */
  stop(): Promise<void>;
  /** How many batches have finished so far. */
  readonly batches: number;
}

export interface RelayLoopOptions extends RelayOptions {
  /** How long the loop rests when the outbox is empty or a batch failed. */
  idleMs?: number;
}

/**
 * Runs relayBatch again and again: straight away while there is work, every `idleMs` when
 * the outbox is empty. A failed batch (Kafka down, a lost connection) is reported and tried
 * again after a rest; its rows stay pending, so nothing is lost.
 */
export function startRelay(pool: pg.Pool, { idleMs = 50, ...options }: RelayLoopOptions): RunningRelay {
  const report = options.report ?? reportToConsole;
  let stopping = false;
  let batches = 0;
  let wake: (() => void) | undefined;

  const rest = () =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, idleMs);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  const loop = (async () => {
    while (!stopping) {
      try {
        const { sent, failed } = await relayBatch(pool, options);
        batches += 1;
        if (sent + failed === 0 && !stopping) await rest();
      } catch (error) {
        report({ kind: "batch-failed", error });
        if (!stopping) await rest();
      }
    }
  })();

  return {
    async stop() {
      stopping = true;
      wake?.();
      await loop;
    },
    get batches() {
      return batches;
    },
  };
}

function reportToConsole(report: RelayReport): void {
  switch (report.kind) {
    case "event-refused":
      console.error(`[relay] outbox row ${report.outboxId} refused and kept as failed: ${report.reason}`);
      return;
    case "batch-failed":
      console.error(`[relay] a batch failed and will be tried again: ${String(report.error)}`);
      return;
    default:
      report satisfies never;
  }
}
