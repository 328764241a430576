/**
 * Test helpers of step 04: events to write, inboxes to see what consumers got, group
 * members that notice a rebalance quickly, a consumer that dies on cue, and the group's
 * bookmarks (committed offsets) read through the admin client.
 */
import type { Admin, Consumer } from "#kit/kafka";
import { Failpoints, InjectedFailure, type FreshKafka } from "#kit/testing";
import type { MalformedRecord } from "../src/errors.ts";
import { encodeEvent, label, type AccountEvent } from "../src/events.ts";
import type { Delivery, Handlers } from "../src/consumer.ts";

/**
 * Deposits, numbered per account in the order given: deposits("alice", "bob", "alice") is
 * alice#1, bob#1, alice#2 — each of 100 cents more than the last of its account.
 */
export function deposits(...accountIds: string[]): AccountEvent[] {
  const counts = new Map<string, number>();
  return accountIds.map((accountId) => {
    const sequence = (counts.get(accountId) ?? 0) + 1;
    counts.set(accountId, sequence);
    return { type: "deposited", accountId, sequence, amount: 100 * sequence };
  });
}

/**
 * Writes events as plain records keyed by account, acknowledged by every in-sync replica:
 * the tests set up their logs this way, so that they need no task's code but their own.
 */
export async function write(kafka: FreshKafka, topic: string, events: AccountEvent[]): Promise<void> {
  const producer = await kafka.producer();
  await producer.send({ topic, acks: -1, messages: events.map((event) => ({ key: event.accountId, value: encodeEvent(event) })) });
}

/** What one consumer received, in the order it received it. */
export class Inbox implements Handlers {
  readonly deliveries: Delivery[] = [];
  readonly malformed: MalformedRecord[] = [];

  onEvent = (delivery: Delivery): void => {
    this.deliveries.push(delivery);
  };

  onMalformed = (error: MalformedRecord): void => {
    this.malformed.push(error);
  };

  /** ["alice#1", "bob#1", …] in the order received. */
  labels(): string[] {
    return this.deliveries.map(({ event }) => label(event));
  }

  labelsOf(accountId: string): string[] {
    return this.deliveries.filter(({ event }) => event.accountId === accountId).map(({ event }) => label(event));
  }

  /** The partitions the events of `accountId` were read from. */
  partitionsOf(accountId: string): Set<number> {
    return new Set(this.deliveries.filter(({ event }) => event.accountId === accountId).map(({ partition }) => partition));
  }
}

/**
 * A member of a consumer group that notices a rebalance within a tenth of a second. kafkajs
 * learns that the group is rebalancing from a heartbeat's answer, and sends one every 3 s
 * by default: a second member's join would wait that long for the first to come back.
 */
export function groupMember(kafka: FreshKafka, groupId: string): Consumer {
  return kafka.consumer({ groupId, heartbeatInterval: 100 });
}

/** The partitions of `topic` a consumer holds, as its latest group join reported them. */
export function assignmentOf(consumer: Consumer, topic: string): { partitions(): number[] } {
  let partitions: number[] = [];
  consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
    partitions = [...(payload.memberAssignment[topic] ?? [])].sort((a, b) => a - b);
  });
  return { partitions: () => partitions };
}

/**
 * A process that dies, as kafkajs sees it. kafkajs retries a handler that throws; a failure
 * marked `retriable = false` is not retried: the consumer crashes, leaves its group and is
 * not restarted — the in-flight record is neither finished nor committed.
 */
export class ConsumerDied extends InjectedFailure {
  readonly retriable = false;
}

/** Failpoints where the `nth` time code reaches `point`, the consumer dies. */
export function dieAt(point: string, nth: number): Failpoints {
  const points = new Failpoints();
  return points.on(point, () => {
    if (points.timesReached(point) === nth) throw new ConsumerDied(point);
  });
}

/** Resolves when `consumer` has crashed, saying whether kafkajs will restart it. */
export function crashOf(consumer: Consumer): Promise<{ restart: boolean }> {
  return new Promise((resolve) => {
    const remove = consumer.on(consumer.events.CRASH, ({ payload }) => {
      remove();
      resolve({ restart: payload.restart });
    });
  });
}

/** The group's committed offset of each partition of `topic` ("-1": nothing committed). */
export async function committedOffsets(admin: Admin, groupId: string, topic: string): Promise<Record<number, string>> {
  const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] });
  return Object.fromEntries((offsets?.partitions ?? []).map(({ partition, offset }) => [partition, offset]));
}

/**
 * How many records of each partition of `topic` the group has not committed yet, for the
 * partitions where that is more than zero: `{}` when the group is caught up.
 */
export async function lagOf(admin: Admin, groupId: string, topic: string): Promise<Record<number, number>> {
  const committed = await committedOffsets(admin, groupId, topic);
  const lag: Record<number, number> = {};
  for (const { partition, high } of await admin.fetchTopicOffsets(topic)) {
    const next = Number(committed[partition] ?? "-1");
    const behind = Number(high) - Math.max(next, 0);
    if (behind > 0) lag[partition] = behind;
  }
  return lag;
}
