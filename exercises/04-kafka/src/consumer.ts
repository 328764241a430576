/**
 * Reading the log: turning records into events, and the two ways a consumer can order
 * "process the record" and "commit its offset".
 *
 * A committed offset is the group's bookmark: the offset of the NEXT record to read. A
 * consumer that restarts (or a member that takes over a partition) starts from it. What
 * happens to the record in flight when a consumer dies depends on which comes first.
 */
import { noFailpoints, type FailpointHook } from "#kit/failpoints";
import type { Consumer, KafkaMessage } from "#kit/kafka";
import { todo } from "#kit/todo";
import { MalformedRecord } from "./errors.ts";
import { decodeEvent, type AccountEvent } from "./events.ts";

/** One event as a consumer received it, with where it sits in the log. */
export interface Delivery {
  topic: string;
  partition: number;
  offset: string;
  event: AccountEvent;
}

export interface Handlers {
  /** Called once per event, in the order of its partition. */
  onEvent(delivery: Delivery): void | Promise<void>;
  /** Called for a record that holds no valid event; the consumer then goes on past it. */
  onMalformed?(error: MalformedRecord): void | Promise<void>;
}

export interface Subscription extends Handlers {
  topic: string;
}

export type Received = { kind: "event"; delivery: Delivery } | { kind: "malformed"; error: MalformedRecord };

/** Given: what a record holds — an event, or the reason it holds none. Never throws. */
export function receive(topic: string, partition: number, message: KafkaMessage): Received {
  const decoded = decodeEvent(message.value);
  return decoded.ok
    ? { kind: "event", delivery: { topic, partition, offset: message.offset, event: decoded.event } }
    : { kind: "malformed", error: new MalformedRecord(topic, partition, message.offset, decoded.reason) };
}

/**
 * Given: hands what was received to the right handler. A malformed record is reported, not
 * thrown: a throw would make kafkajs retry the same record forever and stall its partition.
 */
export async function dispatch(received: Received, handlers: Handlers): Promise<void> {
  switch (received.kind) {
    case "event":
      return handlers.onEvent(received.delivery);
    case "malformed":
      return handlers.onMalformed?.(received.error);
    default:
      return unreachable(received);
  }
}

/** Given: the offset to commit after a record: the next one to read, not the one just read. */
export function nextOffset(offset: string): string {
  return (BigInt(offset) + 1n).toString();
}

/**
 * Given: connects `consumer`, subscribes to `topic` from the beginning (for a group that has
 * committed nothing yet) and hands every record to `handlers`, with kafkajs's automatic
 * commits. Resolves once the consumer has joined its group; consuming goes on until the
 * consumer is stopped or disconnected.
 */
export async function startConsuming(consumer: Consumer, { topic, ...handlers }: Subscription): Promise<void> {
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    eachMessage: ({ topic, partition, message }) => dispatch(receive(topic, partition, message), handlers),
  });
}

/**
 * Task 2 — commit after processing.
 * Like startConsuming, but with automatic commits turned off: for each record, hand it to
 * the handlers first, then reach the "before-commit" failpoint, then commit the offset
 * after it (nextOffset). A consumer that restarts resumes after the last record it
 * committed; one that dies between processing and committing gets that record again.
 */
export async function processThenCommit(
  consumer: Consumer,
  subscription: Subscription,
  points: FailpointHook = noFailpoints,
): Promise<void> {
  return todo("Task 2 — commit after processing: a record's offset is committed only once it was processed (kafkajs must not commit on its own), with \"before-commit\" reached in between; the committed offset is the next one to read");
}

/**
 * Given, and wrong on purpose: commits each record's offset BEFORE processing it. A
 * consumer that dies at "after-commit" has moved the bookmark past a record it never
 * processed: the record is lost for this group. Compare with Task 2.
 */
export async function commitThenProcess(
  consumer: Consumer,
  { topic, ...handlers }: Subscription,
  points: FailpointHook = noFailpoints,
): Promise<void> {
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    autoCommit: false,
    eachMessage: async ({ topic, partition, message }) => {
      await consumer.commitOffsets([{ topic, partition, offset: nextOffset(message.offset) }]);
      await points.reach("after-commit");
      await dispatch(receive(topic, partition, message), handlers);
    },
  });
}

function unreachable(value: never): never {
  throw new TypeError(`unexpected ${JSON.stringify(value)}`);
}
