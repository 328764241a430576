// Copy of exercises/05-event-sourcing/src/envelope.ts: keep the two equal (the kit checks it).
/**
 * Given: how an event travels and is kept — the domain event, wrapped in an envelope of
 * metadata, as JSON on the events topic.
 *
 *   { "type": "MoneyDeposited", "data": { "accountId": "alice", "amount": 100 },
 *     "metadata": { "eventId": "…", "accountId": "alice", "occurredAt": "2026-…Z",
 *                   "schemaVersion": 1, "causationId": "<command id>", "correlationId": "…" } }
 *
 * The envelope is a WalletEvent with metadata added, so evolve folds envelopes as they are.
 * Everything read back from Kafka is parsed here with zod: a record that is not a valid
 * event is a MalformedEvent that says what was wrong, never a crash further in.
 */
import { z } from "zod";
import { walletEventTypes, type WalletEvent } from "./domain.ts";
import { accountIdSchema, amountSchema, firstReason, idSchema } from "./input.ts";

/** The version of the envelope and event shapes this code writes and reads. */
export const SCHEMA_VERSION = 1;

export interface EventMetadata {
  /** Unique per event: lets a consumer recognise a redelivered event. */
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

/** Time and ids come from outside the domain: tests pass a fixed clock, production the system's. */
export interface Stamp {
  now(): Date;
  newId(): string;
}

export const systemStamp: Stamp = { now: () => new Date(), newId: () => crypto.randomUUID() };

/** Wraps the events one command decided in envelopes: one id each, one time, one cause. */
export function envelop(
  events: readonly WalletEvent[],
  { accountId, causationId, correlationId = causationId, stamp = systemStamp }: { accountId: string; causationId: string; correlationId?: string; stamp?: Stamp },
): EventEnvelope[] {
  const occurredAt = stamp.now().toISOString();
  return events.map((event) => ({
    ...event,
    metadata: { eventId: stamp.newId(), accountId, occurredAt, schemaVersion: SCHEMA_VERSION, causationId, correlationId },
  }));
}

/** A record of the events topic that is not a valid event: kept with what was wrong, never thrown further. */
export class MalformedEvent extends Error {
  override readonly name = "MalformedEvent";

  constructor(
    readonly raw: string,
    readonly reason: string,
  ) {
    super(`malformed event: ${reason}`);
  }
}

const metadataSchema = z.object({
  eventId: idSchema,
  accountId: accountIdSchema,
  occurredAt: z.iso.datetime({ error: "occurredAt must be an ISO 8601 UTC time" }),
  schemaVersion: z.literal(SCHEMA_VERSION, { error: (issue) => `unsupported schema version ${JSON.stringify(issue.input)}: this code reads version ${SCHEMA_VERSION}` }),
  causationId: idSchema,
  correlationId: idSchema,
});

const moneyData = z.object({ accountId: accountIdSchema, amount: amountSchema });

const envelopeSchema = z.discriminatedUnion(
  "type",
  [
    z.object({ type: z.literal("AccountOpened"), data: z.object({ accountId: accountIdSchema }), metadata: metadataSchema }),
    z.object({ type: z.literal("MoneyDeposited"), data: moneyData, metadata: metadataSchema }),
    z.object({ type: z.literal("MoneyWithdrawn"), data: moneyData, metadata: metadataSchema }),
  ],
  { error: (issue) => `unknown event type ${JSON.stringify((issue.input as { type?: unknown } | undefined)?.type)}: expected one of ${walletEventTypes.join(", ")}` },
);

/** An event from its JSON text, checked; a MalformedEvent saying what was wrong otherwise. */
export function parseEvent(raw: string): EventEnvelope {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (error) {
    throw new MalformedEvent(raw, `not JSON: ${(error as Error).message}`);
  }
  const result = envelopeSchema.safeParse(json);
  if (!result.success) throw new MalformedEvent(raw, firstReason(result.error));
  const event = result.data;
  if (event.data.accountId !== event.metadata.accountId) {
    throw new MalformedEvent(raw, `data.accountId ${JSON.stringify(event.data.accountId)} is not the stream's, ${JSON.stringify(event.metadata.accountId)}`);
  }
  return event;
}

/** The Kafka record of an event: keyed by account, so all of an account's events land in one partition, in order. */
export function toRecord(event: EventEnvelope): { key: string; value: string; headers: Record<string, string> } {
  return { key: event.metadata.accountId, value: JSON.stringify(event), headers: { "event-type": event.type } };
}
