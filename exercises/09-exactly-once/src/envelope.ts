/**
 * Given: step 05's event envelope, with two additions this step needs.
 *
 *   metadata.version         the event's place in its account's stream: 1 for AccountOpened,
 *                            then 2, 3, … with no gap and no repeat. Kafka does not check it
 *                            (it has no "append if the stream is still at version N"); a
 *                            reader can (Task 1), and a database with a unique constraint can
 *                            refuse a second event with the same number (Task 2).
 *   metadata.idempotencyKey  the key the client sent with the command, if any, and
 *   metadata.requestHash     a digest of what it asked for: a new owner of the account finds
 *                            in the log which keys were already used, and for what (Task 5).
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
  /** The event's number in its account's stream: 1, 2, 3, … */
  version: number;
  /** When it happened, ISO 8601 in UTC, as stamped by the writer's clock. */
  occurredAt: string;
  schemaVersion: typeof SCHEMA_VERSION;
  /** The command that caused it. */
  causationId: string;
  /** The conversation it belongs to. */
  correlationId: string;
  /** The client's idempotency key, when the command carried one. */
  idempotencyKey?: string;
  /** A digest of the command the key was first used for (idempotency.ts). */
  requestHash?: string;
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

export interface EnvelopeOptions {
  accountId: string;
  causationId: string;
  correlationId?: string;
  /** The version of the last event already in the account's stream (0 for a new account). */
  afterVersion: number;
  idempotencyKey?: string;
  requestHash?: string;
  stamp?: Stamp;
}

/** Wraps the events one command decided in envelopes: one id each, one time, one cause, the next versions. */
export function envelop(events: readonly WalletEvent[], options: EnvelopeOptions): EventEnvelope[] {
  const { accountId, causationId, correlationId = causationId, afterVersion, idempotencyKey, requestHash, stamp = systemStamp } = options;
  const occurredAt = stamp.now().toISOString();
  return events.map((event, index) => ({
    ...event,
    metadata: {
      eventId: stamp.newId(),
      accountId,
      version: afterVersion + index + 1,
      occurredAt,
      schemaVersion: SCHEMA_VERSION,
      causationId,
      correlationId,
      ...(idempotencyKey === undefined ? {} : { idempotencyKey, requestHash }),
    },
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
  version: z.number().int({ error: "version must be a whole number" }).positive({ error: "version must be 1 or more" }),
  occurredAt: z.iso.datetime({ error: "occurredAt must be an ISO 8601 UTC time" }),
  schemaVersion: z.literal(SCHEMA_VERSION, { error: (issue) => `unsupported schema version ${JSON.stringify(issue.input)}: this code reads version ${SCHEMA_VERSION}` }),
  causationId: idSchema,
  correlationId: idSchema,
  idempotencyKey: idSchema.optional(),
  requestHash: z.string().optional(),
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
