/**
 * Given: what a projection can meet on the events topic, and how it tells a poison record
 * from a bug.
 *
 * A poison record is one that will fail the same way on every attempt, because the record
 * itself is wrong: it is not an event, or it is an event the read model cannot apply.
 * Retrying it is pointless, and stopping on it stalls every record behind it in its
 * partition. Such failures are PoisonRecord errors, and only those go to the dead-letter
 * topic. Anything else — the database down, a bug, an open task — is not the
 * record's fault: the projection stops and the record is tried again.
 */
import type { KafkaMessage } from "#kit/kafka";
import { MalformedEvent, parseEvent, type EventEnvelope, type RecordedEvent } from "./envelope.ts";

/** A record and where it was read. */
export interface SourceRecord {
  topic: string;
  partition: number;
  message: KafkaMessage;
}

/** A record that fails because of what it holds, every time: the dead-letter topic's business. */
export abstract class PoisonRecord extends Error {
  abstract override readonly name: string;

  constructor(
    /** What is wrong with the record, for whoever looks at the dead-letter topic. */
    readonly reason: string,
  ) {
    super(reason);
  }
}

/** The record cannot be read as an event of this stream. */
export class UnreadableRecord extends PoisonRecord {
  override readonly name = "UnreadableRecord";

  constructor(
    readonly where: { topic: string; partition: number; offset: number },
    reason: string,
  ) {
    super(reason);
    this.message = `unreadable record at ${where.topic}/${where.partition}/${where.offset}: ${reason}`;
  }
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

/** The event a record holds, checked; an UnreadableRecord saying why not. */
export function readRecord({ topic, partition, message }: SourceRecord): RecordedEvent {
  const position = { partition, offset: Number(message.offset) };
  const refuse = (reason: string) => new UnreadableRecord({ topic, ...position }, reason);
  if (message.value === null) throw refuse("the record has no value (a tombstone): an events topic holds events, never deletions");
  if (message.value.length === 0) throw refuse("the record's value is empty");
  let text: string;
  try {
    text = utf8.decode(message.value);
  } catch {
    throw refuse(`the record's value is not UTF-8 text (${message.value.length} bytes)`);
  }
  let event: EventEnvelope;
  try {
    event = parseEvent(text);
  } catch (error) {
    if (error instanceof MalformedEvent) throw refuse(error.reason);
    throw error;
  }
  const key = message.key?.toString("utf8");
  if (key !== event.metadata.accountId) {
    // The key chose the partition: an event under another key may be out of order with its account's other events.
    throw refuse(`the record's key ${JSON.stringify(key ?? null)} is not the event's account ${JSON.stringify(event.metadata.accountId)}`);
  }
  return { ...event, position };
}
