/**
 * Replaying the log: a consumer group that has never committed anything starts wherever
 * `fromBeginning` tells it. With `fromBeginning: true` it reads the whole history, while
 * every other group goes on from its own committed offsets, untouched.
 */
import type { Admin, Consumer } from "#kit/kafka";
import { todo } from "#kit/todo";
import type { Delivery } from "./consumer.ts";

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
  return todo("Task 3 — replay the whole history with a new group: every record from the first offset of every partition, up to the end each partition had when the replay began; then stop, and return them");
}
