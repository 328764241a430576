/**
 * The dead-letter topic: where a projection parks a record it cannot process, so that its
 * partition moves on and the record is not lost.
 *
 * A dead letter is the original record — key and value byte for byte, its headers — plus
 * headers that say what went wrong and where it came from. Whoever watches the topic can
 * then fix the cause, and replay the record or compensate for it. The original position
 * also tells copies apart: a record sent twice (the projection crashed between the send and
 * moving its position) carries the same topic, partition and offset both times.
 */
import type { IHeaders, Message } from "#kit/kafka";
import type { PoisonRecord, SourceRecord } from "./record.ts";

/** The headers a dead letter adds to the original record's. */
export const DEAD_LETTER_HEADERS = {
  reason: "dead-letter-reason",
  error: "dead-letter-error",
  topic: "original-topic",
  partition: "original-partition",
  offset: "original-offset",
  timestamp: "original-timestamp",
} as const;

/**
 * Task 2 — send poison records to the dead-letter topic (1/2).
 * The message to put on the dead-letter topic for `source`, refused with `poison`: the
 * original key and value, unchanged (a null value stays null); the original headers; and,
 * as strings, DEAD_LETTER_HEADERS: the poison's reason and name, the original topic,
 * partition, offset and timestamp.
 */
export function deadLetterRecord(poison: PoisonRecord, { topic, partition, message }: SourceRecord): Message {
  const headers: IHeaders = {
    ...message.headers,
    [DEAD_LETTER_HEADERS.reason]: poison.reason,
    [DEAD_LETTER_HEADERS.error]: poison.name,
    [DEAD_LETTER_HEADERS.topic]: topic,
    [DEAD_LETTER_HEADERS.partition]: String(partition),
    [DEAD_LETTER_HEADERS.offset]: message.offset,
    [DEAD_LETTER_HEADERS.timestamp]: message.timestamp,
  };
  return { key: message.key, value: message.value, headers };
}
