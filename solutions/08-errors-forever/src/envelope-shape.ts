/**
 * Given: the shape of an event at schema version 2, and that number. envelope.ts (which reads and
 * writes events) and upcast.ts (which turns version 1 into this) both need it; kept apart so
 * that neither imports the other in a loop. envelope.ts exports all of it again.
 */
import type { WalletEvent } from "./domain.ts";

/** The version of the envelope and event shapes this code writes. */
export const SCHEMA_VERSION = 2;

export interface EventMetadata {
  /** Unique per event: lets a consumer recognise a redelivered event, and a correction name a deposit. */
  eventId: string;
  /** The stream the event belongs to; also the Kafka key, so an account's events stay in order. */
  accountId: string;
  /** When it happened, ISO 8601 in UTC, as stamped by the writer's clock. */
  occurredAt: string;
  schemaVersion: typeof SCHEMA_VERSION;
  /** The command that caused it. */
  causationId: string;
  /** The conversation it belongs to: the first command's id, carried along by everything that follows. */
  correlationId: string;
}

export type EventEnvelope<E extends WalletEvent = WalletEvent> = E & { metadata: EventMetadata };

/** Where a record sits in Kafka: its partition and offset. */
export interface Position {
  partition: number;
  offset: number;
}

/** An event as read back from the log: the envelope and where it was found. */
export type RecordedEvent = EventEnvelope & { position: Position };
