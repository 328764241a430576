/**
 * Given: how an event travels and is kept — step 05's envelope, at schema version 2.
 *
 *   { "type": "MoneyDeposited", "data": { "accountId": "alice", "amount": 100, "currency": "EUR" },
 *     "metadata": { "eventId": "…", "accountId": "alice", "occurredAt": "2026-…Z",
 *                   "schemaVersion": 2, "causationId": "<command id>", "correlationId": "…" } }
 *
 * What changed from step 05: this code writes version 2 (money events carry their currency;
 * DepositCorrected is new). The log still holds version 1 events, written by step 05's code,
 * and always will: `parseEvent` reads a record's version first, checks it against the schema
 * of that version, and upcasts a version 1 event to version 2 (upcast.ts). The bytes on the
 * log are never rewritten. A version this code does not know (a newer writer's) is a
 * MalformedEvent that says so.
 */
import { z } from "zod";
import { walletEventTypes, type WalletEvent } from "./domain.ts";
import { accountIdSchema, amountSchema, firstReason, idSchema } from "./input.ts";
import { SCHEMA_VERSION, type EventEnvelope, type Position, type RecordedEvent } from "./envelope-shape.ts";
import { upcast, eventV1Schema } from "./upcast.ts";

/** The versions this code reads: its own, and the ones it can upcast. */
export const READABLE_VERSIONS = [1, 2] as const;

export { SCHEMA_VERSION, type EventEnvelope, type EventMetadata, type Position, type RecordedEvent } from "./envelope-shape.ts";

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
  schemaVersion: z.literal(SCHEMA_VERSION),
  causationId: idSchema,
  correlationId: idSchema,
});

const currencySchema = z.string({ error: "the currency must be a string, e.g. \"EUR\"" }).regex(/^[A-Z]{3}$/, { error: "the currency must be an ISO 4217 code, e.g. \"EUR\"" });
const moneyData = z.object({ accountId: accountIdSchema, amount: amountSchema, currency: currencySchema });
/**
 * What a corrected deposit counts for. A correction may say a deposit should have been 0: it
 * never happened (recorded twice, say). So a deposit may count for 0, and a later correction
 * of it says so in `recordedAmount`: both amounts of a DepositCorrected may be 0.
 */
const countedAmountSchema = (what: string) =>
  z.number({ error: `${what} must be a number of cents` }).int({ error: `${what} must be a whole number of cents` }).nonnegative({ error: `${what} must not be negative` });

const envelopeSchema = z.discriminatedUnion(
  "type",
  [
    z.object({ type: z.literal("AccountOpened"), data: z.object({ accountId: accountIdSchema }), metadata: metadataSchema }),
    z.object({ type: z.literal("MoneyDeposited"), data: moneyData, metadata: metadataSchema }),
    z.object({ type: z.literal("MoneyWithdrawn"), data: moneyData, metadata: metadataSchema }),
    z.object({
      type: z.literal("DepositCorrected"),
      data: z.object({
        accountId: accountIdSchema,
        depositId: idSchema,
        recordedAmount: countedAmountSchema("the recorded amount"),
        correctAmount: countedAmountSchema("the correct amount"),
        currency: currencySchema,
        reason: z.string().min(1, { error: "a correction must give its reason" }),
      }),
      metadata: metadataSchema,
    }),
    z.object({ type: z.literal("AccountFrozen"), data: z.object({ accountId: accountIdSchema, reason: z.string().min(1, { error: "a freeze must give its reason" }) }), metadata: metadataSchema }),
    z.object({ type: z.literal("AccountUnfrozen"), data: z.object({ accountId: accountIdSchema }), metadata: metadataSchema }),
  ],
  { error: (issue) => `unknown event type ${JSON.stringify((issue.input as { type?: unknown } | undefined)?.type)}: expected one of ${walletEventTypes.join(", ")}` },
);

/**
 * An event from its JSON text, checked, at the current version; a MalformedEvent saying what
 * was wrong otherwise. Version 1 is checked against version 1's schema, then upcast.
 */
export function parseEvent(raw: string): EventEnvelope {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (error) {
    throw new MalformedEvent(raw, `not JSON: ${(error as Error).message}`);
  }
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    throw new MalformedEvent(raw, `an event must be a JSON object, got ${Array.isArray(json) ? "an array" : json === null ? "null" : typeof json}`);
  }
  const metadata = (json as { metadata?: unknown }).metadata;
  if (typeof metadata !== "object" || metadata === null) throw new MalformedEvent(raw, "the event has no metadata object");
  const version = (metadata as { schemaVersion?: unknown }).schemaVersion;
  let event: EventEnvelope;
  if (version === 1) {
    const old = eventV1Schema.safeParse(json);
    if (!old.success) throw new MalformedEvent(raw, `version 1: ${firstReason(old.error)}`);
    event = upcast(old.data);
  } else if (version === SCHEMA_VERSION) {
    const current = envelopeSchema.safeParse(json);
    if (!current.success) throw new MalformedEvent(raw, firstReason(current.error));
    event = current.data;
  } else {
    throw new MalformedEvent(raw, `unsupported schema version ${JSON.stringify(version)}: this code reads versions ${READABLE_VERSIONS.join(" and ")}`);
  }
  if (event.data.accountId !== event.metadata.accountId) {
    throw new MalformedEvent(raw, `data.accountId ${JSON.stringify(event.data.accountId)} is not the stream's, ${JSON.stringify(event.metadata.accountId)}`);
  }
  return event;
}

/**
 * An event this code was about to append that its own readers would refuse. Once on the log it
 * would stay there for ever, skipped by every reader and dead-lettered by every projection: a
 * bug of the writer, stopped before the append.
 */
export class UnwritableEvent extends Error {
  override readonly name = "UnwritableEvent";

  constructor(
    readonly event: EventEnvelope,
    readonly reason: string,
  ) {
    super(`not appending ${event.type} ${event.metadata.eventId} of account ${JSON.stringify(event.metadata.accountId)}: its readers would refuse it: ${reason}`);
  }
}

/** Checks that `parseEvent` reads `event` back from its record, or throws UnwritableEvent: the writer appends only what its readers accept. */
export function assertReadable(event: EventEnvelope): void {
  try {
    parseEvent(toRecord(event).value);
  } catch (error) {
    if (error instanceof MalformedEvent) throw new UnwritableEvent(event, error.reason);
    throw error;
  }
}

/** The Kafka record of an event: keyed by account, so all of an account's events land in one partition, in order. */
export function toRecord(event: EventEnvelope): { key: string; value: string; headers: Record<string, string> } {
  return { key: event.metadata.accountId, value: JSON.stringify(event), headers: { "event-type": event.type } };
}
