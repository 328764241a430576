/**
 * A consumer group shares a topic's partitions among its members: each partition has one
 * reader in the group at a time, so per-partition order survives. When a member leaves,
 * the group rebalances, and another member carries on from the leaver's committed offsets.
 *
 * The tests wait for group joins (GROUP_JOIN events) and for offsets, never for time.
 */
import { encodeEvent, label } from "../src/events.ts";
import { startConsuming } from "../src/consumer.ts";
import { describe, eventually, expect, proves, test, tradeoff, until, type FreshKafka } from "#kit/testing";
import { Inbox, assignmentOf, deposits, groupMember, lagOf } from "./helpers.ts";

const PARTITIONS = [0, 1, 2, 3];

/** One account per partition, placed explicitly, so every partition has work: acct-0 → partition 0, … */
async function writeRound(kafka: FreshKafka, topic: string, round: number): Promise<string[]> {
  const producer = await kafka.producer();
  const events = PARTITIONS.flatMap((partition) =>
    deposits(...Array<string>(round).fill(`acct-${partition}`)).slice(-1).map((event) => ({ event, partition })),
  );
  await producer.send({
    topic,
    acks: -1,
    messages: events.map(({ event, partition }) => ({ key: event.accountId, value: encodeEvent(event), partition })),
  });
  return events.map(({ event }) => label(event));
}

/** Two members of one group on `topic`, started one after the other, each with its inbox and assignment. */
async function twoMembers(kafka: FreshKafka, topic: string) {
  const groupId = kafka.groupId("members");
  const members = [groupMember(kafka, groupId), groupMember(kafka, groupId)].map((consumer) => ({
    consumer,
    inbox: new Inbox(),
    assignment: assignmentOf(consumer, topic),
  }));
  for (const { consumer, inbox } of members) await startConsuming(consumer, { topic, ...inbox });
  // The first member joined alone and held all four partitions; the second's join made the
  // group rebalance. Wait until both hold their share of the same generation.
  await until(() => members.every(({ assignment }) => assignment.partitions().length === 2), {
    what: "both members to hold two partitions each",
  });
  const [first, second] = members as [(typeof members)[number], (typeof members)[number]];
  return { groupId, first, second };
}

describe(tradeoff("a consumer group splits partitions among its members and rebalances"), () => {
  test(
    "GIVEN a topic of four partitions WHEN two members of one group consume it THEN each holds two partitions, none shared, and reads only the events of its own",
    async ({ kafka, annotate }) => {
      const topic = await kafka.topic("accounts", { numPartitions: 4 });
      const { first, second } = await twoMembers(kafka, topic);

      expect([...first.assignment.partitions(), ...second.assignment.partitions()].sort()).toEqual(PARTITIONS);

      const written = await writeRound(kafka, topic, 1);
      await until(() => first.inbox.deliveries.length + second.inbox.deliveries.length >= written.length, {
        what: "the four events to be read",
      });
      await annotate(`4 partitions, 2 members: partitions ${first.assignment.partitions().join(",")} read ${first.inbox.deliveries.length} events, ${second.assignment.partitions().join(",")} read ${second.inbox.deliveries.length}`);
      for (const { inbox, assignment } of [first, second]) {
        expect(inbox.deliveries).toHaveLength(2);
        expect(inbox.deliveries.every(({ partition }) => assignment.partitions().includes(partition))).toBe(true);
      }
    },
  );

  test(
    "GIVEN two members that have read and committed everything WHEN one leaves with events waiting in its partitions THEN the other takes its partitions over and reads them: every event read once, none lost",
    proves("downstream-sees-every-change", "consumer group, committed offsets", "holds"),
    async ({ kafka, annotate }) => {
      const topic = await kafka.topic("accounts", { numPartitions: 4 });
      const { groupId, first, second } = await twoMembers(kafka, topic);
      const firstRound = await writeRound(kafka, topic, 1);
      await until(() => first.inbox.deliveries.length + second.inbox.deliveries.length >= firstRound.length, {
        what: "the first round to be read",
      });
      await eventually(async () => expect(await lagOf(kafka.admin, groupId, topic)).toEqual({}), {
        what: "the group to commit the first round",
      });

      // The second member stops fetching, and events arrive in its partitions that it never reads.
      second.consumer.pause([{ topic }]);
      const leaversPartitions = second.assignment.partitions();
      const secondRound = await writeRound(kafka, topic, 2);
      await until(() => first.inbox.deliveries.length >= 4, { what: "the first member to read its share of round two" });
      // What is left uncommitted is exactly the leaver's share of round two: one event per partition.
      await eventually(
        async () => expect(await lagOf(kafka.admin, groupId, topic)).toEqual(Object.fromEntries(leaversPartitions.map((p) => [p, 1]))),
        { what: "the first member to commit its share of round two" },
      );

      await second.consumer.disconnect(); // leaves the group: a rebalance
      await until(() => first.assignment.partitions().length === 4, { what: "the first member to take over all partitions" });
      await until(() => first.inbox.deliveries.length >= 6, { what: "the leaver's waiting events to be read" });

      expect(second.inbox.deliveries.map(({ partition }) => partition).every((p) => leaversPartitions.includes(p))).toBe(true);
      const readByAnyone = [...first.inbox.labels(), ...second.inbox.labels()].sort();
      await annotate(`a member left with ${leaversPartitions.length} partitions waiting: the other took over ${first.assignment.partitions().length} partitions; ${readByAnyone.length} of ${firstRound.length + secondRound.length} events read, ${new Set(readByAnyone).size === readByAnyone.length ? 0 : readByAnyone.length - new Set(readByAnyone).size} twice`);
      expect(readByAnyone).toEqual([...firstRound, ...secondRound].sort());
    },
  );
});
