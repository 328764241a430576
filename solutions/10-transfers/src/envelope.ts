/**
 * Given: how events travel and are kept — a domain event in an envelope of metadata, as JSON.
 *
 * Two topics, two kinds of stream:
 *   accounts topic   AccountEvent, keyed by account id: one account's events in one partition
 *   transfers topic  TransferEvent, keyed by transfer id: the process's own record
 *
 * Everything read back is parsed with zod: a record that is not a valid event is a
 * MalformedEvent saying what was wrong, never a crash further in.
 */
import { z } from "zod";
import { accountEventTypes, type AccountEvent } from "./domain.ts";
import { transferEventTypes, type TransferEvent } from "./transfer.ts";
import { accountIdSchema, amountSchema, firstReason, idSchema } from "./input.ts";

export interface EventMetadata {
  /** Unique per event. */
  eventId: string;
  /** The stream the event belongs to — an account id or a transfer id — and its Kafka key. */
  streamId: string;
  /** When it happened, ISO 8601 in UTC, as stamped by the writer's clock. */
  occurredAt: string;
  /** What caused it: a command id, or for a leg, the transfer id and the leg ("t-1/debit"). */
  causationId: string;
  /** The conversation it belongs to: a transfer's legs all carry the transfer id. */
  correlationId: string;
}

export type Envelope<E> = E & { metadata: EventMetadata };
export type AccountEnvelope = Envelope<AccountEvent>;
export type TransferEnvelope = Envelope<TransferEvent>;

/** Where a record sits in Kafka. */
export interface Position {
  partition: number;
  offset: number;
}

export type Recorded<E> = E & { position: Position };

/** Time and ids come from outside the domain: tests may pass a fixed clock. */
export interface Stamp {
  now(): Date;
  newId(): string;
}

export const systemStamp: Stamp = { now: () => new Date(), newId: () => crypto.randomUUID() };

/** Wraps one decision's events, all of one stream, in envelopes. */
export function envelop<E>(
  events: readonly E[],
  { streamId, causationId, correlationId = causationId, stamp = systemStamp }: { streamId: string; causationId: string; correlationId?: string; stamp?: Stamp },
): Array<Envelope<E>> {
  const occurredAt = stamp.now().toISOString();
  return events.map((event) => ({ ...event, metadata: { eventId: stamp.newId(), streamId, occurredAt, causationId, correlationId } }));
}

/** A record that is not a valid event: kept with what was wrong. */
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
  streamId: idSchema,
  occurredAt: z.iso.datetime({ error: "occurredAt must be an ISO 8601 UTC time" }),
  causationId: idSchema,
  correlationId: idSchema,
});

const account = z.object({ accountId: accountIdSchema });
const money = account.extend({ amount: amountSchema });
const leg = money.extend({ transferId: idSchema });
const request = z.object({ transferId: idSchema, from: accountIdSchema, to: accountIdSchema, amount: amountSchema });

const accountEventSchema = z.discriminatedUnion(
  "type",
  [
    z.object({ type: z.literal("AccountOpened"), data: account, metadata: metadataSchema }),
    z.object({ type: z.literal("MoneyDeposited"), data: money, metadata: metadataSchema }),
    z.object({ type: z.literal("AccountFrozen"), data: account.extend({ reason: z.string() }), metadata: metadataSchema }),
    z.object({ type: z.literal("TransferDebited"), data: leg, metadata: metadataSchema }),
    z.object({ type: z.literal("TransferCredited"), data: leg, metadata: metadataSchema }),
    z.object({ type: z.literal("TransferRefunded"), data: leg.extend({ reason: z.string() }), metadata: metadataSchema }),
  ],
  { error: (issue) => `unknown account event type ${JSON.stringify((issue.input as { type?: unknown } | undefined)?.type)}: expected one of ${accountEventTypes.join(", ")}` },
);

const transferEventSchema = z.discriminatedUnion(
  "type",
  [
    z.object({ type: z.literal("TransferRequested"), data: request, metadata: metadataSchema }),
    z.object({ type: z.literal("TransferCompleted"), data: request, metadata: metadataSchema }),
    z.object({ type: z.literal("TransferFailed"), data: request.extend({ reason: z.string(), refunded: z.boolean() }), metadata: metadataSchema }),
  ],
  { error: (issue) => `unknown transfer event type ${JSON.stringify((issue.input as { type?: unknown } | undefined)?.type)}: expected one of ${transferEventTypes.join(", ")}` },
);

function parseWith<S extends z.ZodType>(schema: S, raw: string, streamOf: (event: z.infer<S>) => string): z.infer<S> {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (error) {
    throw new MalformedEvent(raw, `not JSON: ${(error as Error).message}`);
  }
  const result = schema.safeParse(json);
  if (!result.success) throw new MalformedEvent(raw, firstReason(result.error));
  const event = result.data as z.infer<S> & { metadata: EventMetadata };
  if (streamOf(event) !== event.metadata.streamId) {
    throw new MalformedEvent(raw, `the event is about ${JSON.stringify(streamOf(event))}, not its stream ${JSON.stringify(event.metadata.streamId)}`);
  }
  return event;
}

/** An account event from its JSON text, checked. */
export function parseAccountEvent(raw: string): AccountEnvelope {
  return parseWith(accountEventSchema, raw, (event) => event.data.accountId);
}

/** A transfer event from its JSON text, checked. */
export function parseTransferEvent(raw: string): TransferEnvelope {
  return parseWith(transferEventSchema, raw, (event) => event.data.transferId);
}

/** The Kafka record of an event: keyed by its stream, so a stream's events stay in one partition, in order. */
export function toRecord(event: Envelope<{ type: string }>): { key: string; value: string; headers: Record<string, string> } {
  return { key: event.metadata.streamId, value: JSON.stringify(event), headers: { "event-type": event.type } };
}
