/**
 * How long joining a consumer group takes, on this machine's broker (configured for tests:
 * no initial rebalance delay, one offsets partition).
 *
 * - A lone member of a fresh group: FindCoordinator, JoinGroup, SyncGroup, with nobody to wait for.
 * - A second member of a running group: the group rebalances, and the join completes only when
 *   the first member has rejoined — which it does when a heartbeat tells it to. kafkajs sends
 *   a heartbeat every 3 s by default, so the heartbeat interval, not the broker, sets that time.
 */
import { benchSize, measure, report, summarize, summaryRows } from "#kit/bench";
import type { Consumer } from "#kit/kafka";
import { expect, test, type FreshKafka } from "#kit/testing";

/** Connects, subscribes and runs `consumer`; kafkajs's run() resolves once it has joined and been given partitions. */
async function join(consumer: Consumer, topic: string): Promise<number[]> {
  let partitions: number[] = [];
  const remove = consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => (partitions = payload.memberAssignment[topic] ?? []));
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({ eachMessage: async () => {} });
  remove();
  return partitions;
}

async function secondMemberJoins(kafka: FreshKafka, topic: string, count: number, heartbeatInterval: number): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    const groupId = kafka.groupId(`pair-${heartbeatInterval}-${i}`);
    const first = kafka.consumer({ groupId, heartbeatInterval });
    const second = kafka.consumer({ groupId, heartbeatInterval });
    await join(first, topic);
    const { ms, result: partitions } = await measure(() => join(second, topic));
    expect(partitions).toHaveLength(1); // two partitions, two members: one each
    samples.push(ms);
    await Promise.all([first.disconnect(), second.disconnect()]);
  }
  return samples;
}

test("consumer group join: a lone member, and a second member (rebalance)", async ({ kafka }) => {
  const topic = await kafka.topic("join", { numPartitions: 2 });
  const lone: number[] = [];
  for (let i = 0, count = benchSize(30); i < count; i++) {
    const consumer = kafka.consumer({ groupId: kafka.groupId(`lone-${i}`) });
    const { ms, result: partitions } = await measure(() => join(consumer, topic));
    expect(partitions).toEqual([0, 1]);
    lone.push(ms);
    await consumer.disconnect();
  }
  const fast = await secondMemberJoins(kafka, topic, benchSize(10), 100);
  const slow = await secondMemberJoins(kafka, topic, benchSize(5), 3_000);

  const [alone, quick, default3s] = [summarize(lone), summarize(fast), summarize(slow)];
  report({
    step: "04-kafka",
    title: "consumer group join time",
    rows: [
      ...summaryRows("lone member joins a fresh group", alone),
      ...summaryRows("second member joins (heartbeat 100 ms)", quick),
      ...summaryRows("second member joins (kafkajs default heartbeat 3 s)", default3s, ["median"]),
    ],
    notes: [
      `${alone.count} lone joins (connect + subscribe + run until partitions are assigned); ${quick.count} and ${default3s.count} two-member rebalances`,
      "broker: group.initial.rebalance.delay.ms=0 (the default 3 s would add 3 s to every first join)",
    ],
  });
});
