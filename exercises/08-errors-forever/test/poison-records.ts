/**
 * The records a projection of alice's events can meet on its topic and cannot use: the
 * test table of step 08. Each one is built from a valid deposit of alice's, spoiled in one
 * way, and says what the projection must answer.
 */
import type { KafkaMessage } from "#kit/kafka";
import { envelop, toRecord, type EventEnvelope } from "../src/envelope.ts";
import type { WalletEvent } from "../src/domain.ts";
import { fixedStamp } from "./helpers.ts";

export interface BadRecord {
  label: string;
  key: string | null;
  value: Buffer | null;
  /** The error the projection answers with: the record cannot be read, or the read model cannot apply it. */
  error: "UnreadableRecord" | "EventRefused";
  reason: RegExp;
}

/** A valid version 2 event of alice's, as a JSON object to spoil. */
export function aliceDeposit(amount = 100, eventId = "spoiled"): Record<string, unknown> {
  const stamp = { ...fixedStamp(), newId: () => eventId };
  const [event] = envelop([{ type: "MoneyDeposited", data: { accountId: "alice", amount, currency: "EUR" } }], { accountId: "alice", causationId: "c-1", stamp });
  return structuredClone(event!) as unknown as Record<string, unknown>;
}

const text = (json: unknown) => Buffer.from(JSON.stringify(json));
const spoil = (change: (event: Record<string, unknown>) => unknown) => text(change(aliceDeposit()));
const withData = (data: Record<string, unknown>) => spoil((event) => ({ ...event, data: { ...(event.data as object), ...data } }));
const withMetadata = (metadata: Record<string, unknown>) => spoil((event) => ({ ...event, metadata: { ...(event.metadata as object), ...metadata } }));

/** Records that cannot be read as events of alice's stream. */
export const unreadableRecords: BadRecord[] = [
  { label: "half a JSON document", key: "alice", value: Buffer.from('{"type":"MoneyDeposited","data":{"accou'), error: "UnreadableRecord", reason: /not JSON/ },
  { label: "an empty value", key: "alice", value: Buffer.alloc(0), error: "UnreadableRecord", reason: /empty/ },
  { label: "a null value (a tombstone)", key: "alice", value: null, error: "UnreadableRecord", reason: /no value/ },
  { label: "bytes that are not UTF-8 text", key: "alice", value: Buffer.from([0xff, 0xfe, 0x00, 0x41]), error: "UnreadableRecord", reason: /not UTF-8/ },
  { label: "a JSON array", key: "alice", value: text([1, 2, 3]), error: "UnreadableRecord", reason: /must be a JSON object, got an array/ },
  { label: "no metadata", key: "alice", value: spoil((event) => ({ ...event, metadata: undefined })), error: "UnreadableRecord", reason: /no metadata/ },
  { label: "an event type nobody knows", key: "alice", value: spoil((event) => ({ ...event, type: "MoneyTeleported" })), error: "UnreadableRecord", reason: /unknown event type "MoneyTeleported"/ },
  { label: "a negative amount", key: "alice", value: withData({ amount: -100 }), error: "UnreadableRecord", reason: /more than zero/ },
  { label: "an amount in a string", key: "alice", value: withData({ amount: "100" }), error: "UnreadableRecord", reason: /must be a number of cents, got string/ },
  { label: "a fraction of a cent", key: "alice", value: withData({ amount: 12.5 }), error: "UnreadableRecord", reason: /whole number of cents/ },
  { label: "a version 2 deposit with no currency", key: "alice", value: withData({ currency: undefined }), error: "UnreadableRecord", reason: /currency/ },
  { label: "schema version 3, from a newer writer", key: "alice", value: withMetadata({ schemaVersion: 3 }), error: "UnreadableRecord", reason: /unsupported schema version 3/ },
  { label: "no event id", key: "alice", value: withMetadata({ eventId: undefined }), error: "UnreadableRecord", reason: /eventId/ },
  { label: "data of another account than the metadata", key: "alice", value: withData({ accountId: "bob" }), error: "UnreadableRecord", reason: /not the stream's/ },
  { label: "a key that is another account's", key: "bob", value: text(aliceDeposit()), error: "UnreadableRecord", reason: /key "bob" is not the event's account "alice"/ },
];

/**
 * Valid events the read model cannot apply, given the history the Kafka test writes before
 * them (alice opened, and her first deposit, `first`).
 */
export function refusedEvents(first: EventEnvelope): BadRecord[] {
  const opened = eventOf({ type: "AccountOpened", data: { accountId: "alice" } }, "alice", "opened-again");
  const stranger = eventOf({ type: "MoneyDeposited", data: { accountId: "zed", amount: 100, currency: "EUR" } }, "zed", "zed-deposit");
  return [
    { label: "a deposit to an account never opened", key: "zed", value: Buffer.from(toRecord(stranger).value), error: "EventRefused", reason: /never opened/ },
    { label: "alice's account opened a second time", key: "alice", value: Buffer.from(toRecord(opened).value), error: "EventRefused", reason: /already opened/ },
    { label: "a copy of an event already applied", key: "alice", value: Buffer.from(toRecord(first).value), error: "EventRefused", reason: /already applied/ },
  ];
}

function eventOf(event: WalletEvent, accountId: string, eventId: string): EventEnvelope {
  return envelop([event], { accountId, causationId: "c-x", stamp: { ...fixedStamp(), newId: () => eventId } })[0]!;
}

/** A record as kafkajs hands it to a consumer. */
export function kafkaMessage({ key, value, offset = 0, headers = {} }: { key: string | null; value: Buffer | null; offset?: number; headers?: Record<string, string> }): KafkaMessage {
  return { key: key === null ? null : Buffer.from(key), value, offset: String(offset), timestamp: "1772442000000", attributes: 0, headers };
}
