/**
 * Writing to the log. Kafka keeps order only inside a partition, and the partition of a
 * record is chosen from its key: give every event of one account the same key, and all of
 * them land in one partition, in the order they were sent.
 */
import type { Message, Producer, RecordMetadata } from "#kit/kafka";
import { encodeEvent, type AccountEvent } from "./events.ts";

/**
 * Task 1 — key each event by its account.
 * The record for `event`: its key is the account id, its value the encoded event (encodeEvent).
 */
export function toMessage(event: AccountEvent): Message {
  return { key: event.accountId, value: encodeEvent(event) };
}

/**
 * Task 1 — key each event by its account.
 * Sends `events` to `topic`, keyed by account, and resolves once the broker has acknowledged
 * them all (acks from every in-sync replica). Events of one account must reach the log in
 * the order of the array.
 */
export async function publish(producer: Producer, topic: string, events: AccountEvent[]): Promise<RecordMetadata[]> {
  // One send: kafkajs batches the messages per partition in array order. Separate sends
  // in flight at once could reach the broker in any order.
  return producer.send({ topic, acks: -1, messages: events.map(toMessage) });
}
