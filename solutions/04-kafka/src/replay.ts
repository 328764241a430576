/**
 * Replaying the log: a consumer group that has never committed anything starts wherever
 * `fromBeginning` tells it. With `fromBeginning: true` it reads the whole history, while
 * every other group goes on from its own committed offsets, untouched.
 */
import type { Admin, Consumer } from "#kit/kafka";
import { receive, type Delivery } from "./consumer.ts";

export interface Replay {
  /** A consumer of a group that has never committed anything; the caller disconnects it. */
  consumer: Consumer;
  admin: Admin;
  topic: string;
}

/**
 * Task 3 — replay the whole history with a new group.
 * Every event of `topic` from its first offset up to the end of each partition as it was when
 * the replay started, in the order of each partition. Stops the consumer (consumer.stop())
 * once every partition is caught up, and resolves with what it read. Malformed records are
 * skipped (they still count towards catching up).
 */
export async function replayHistory({ consumer, admin, topic }: Replay): Promise<Delivery[]> {
  // The end of each partition now: the offset the next record will get. Records written
  // after this belong to the live stream, not to the history being replayed.
  const ends = await admin.fetchTopicOffsets(topic);
  const behind = new Map(ends.filter(({ low, high }) => BigInt(high) > BigInt(low)).map(({ partition, high }) => [partition, BigInt(high)]));
  const deliveries: Delivery[] = [];
  if (behind.size === 0) return deliveries;

  let caughtUp!: () => void;
  const done = new Promise<void>((resolve) => (caughtUp = resolve));
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ topic, partition, message }) => {
      const received = receive(topic, partition, message);
      if (received.kind === "event") deliveries.push(received.delivery);
      const end = behind.get(partition);
      if (end !== undefined && BigInt(message.offset) + 1n >= end) {
        behind.delete(partition);
        if (behind.size === 0) caughtUp();
      }
    },
  });
  await done;
  await consumer.stop();
  return deliveries;
}
