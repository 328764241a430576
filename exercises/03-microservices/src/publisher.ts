/**
 * Given: how wallet events go to Kafka. One message per event, keyed by the account id:
 * Kafka keeps order within a partition, and a key always lands in the same partition, so
 * every service downstream sees one account's changes in the order they happened.
 */
import type { Message, Producer } from "#kit/kafka";
import { encodeEvent, type WalletEvent } from "./events.ts";

/** Where events go. The dual writes and the outbox relay both publish through one. */
export interface EventPublisher {
  /** Resolves once Kafka has acknowledged every event; rejects if it has not. */
  publish(events: readonly WalletEvent[]): Promise<void>;
}

export function kafkaPublisher(producer: Producer, topic: string): EventPublisher {
  return {
    async publish(events) {
      if (events.length === 0) return;
      // acks: -1 waits for every in-sync replica: "published" means written, not sent.
      await producer.send({ topic, acks: -1, messages: events.map(toMessage) });
    },
  };
}

export function toMessage(event: WalletEvent): Message {
  return {
    key: event.data.accountId,
    value: encodeEvent(event),
    headers: { "event-id": event.metadata.eventId, "event-type": event.type },
  };
}
