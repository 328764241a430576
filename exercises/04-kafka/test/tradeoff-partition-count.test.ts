/**
 * "Same key, same partition" holds only while the partition count stays the same. The
 * partitioner hashes the key modulo the number of partitions: add partitions to a topic and
 * a key's new records may go elsewhere, while its old ones stay where they were. The account's
 * events then sit in two partitions, and nothing orders the two.
 */
import { encodeEvent, type AccountEvent } from "../src/events.ts";
import type { Producer } from "#kit/kafka";
import { describe, eventually, expect, test, tradeoff } from "#kit/testing";
import { deposits } from "./helpers.ts";

describe(tradeoff("add partitions later and keys move"), () => {
  test(
    "GIVEN alice#1 and alice#2 on a topic of two partitions WHEN the topic grows to three and alice#3, alice#4 are written THEN they land on another partition: alice's events sit in two partitions, with no order between them",
    async ({ kafka, annotate }) => {
      const topic = await kafka.topic("accounts", { numPartitions: 2 });
      const [first, second, third, fourth] = deposits("alice", "alice", "alice", "alice") as [AccountEvent, AccountEvent, AccountEvent, AccountEvent];
      // The partition the broker put each event in, as the send's acknowledgement reports it.
      const partitionsOf = async (producer: Producer, events: AccountEvent[]) => {
        const partitions: number[] = [];
        for (const event of events) {
          const [sent] = await producer.send({ topic, acks: -1, messages: [{ key: event.accountId, value: encodeEvent(event) }] });
          partitions.push(sent!.partition);
        }
        return partitions;
      };

      const before = await partitionsOf(await kafka.producer(), [first, second]);

      await kafka.admin.createPartitions({ topicPartitions: [{ topic, count: 3 }] });
      // The new partition is ready when it answers ListOffsets; a producer created after that
      // reads metadata with three partitions (one created before would keep two until its
      // metadata refresh, metadataMaxAge: five minutes by default).
      await eventually(
        async () => {
          const offsets = await kafka.admin.fetchTopicOffsets(topic);
          if (offsets.length !== 3) throw new Error(`${offsets.length} partitions`);
        },
        { timeoutMs: 20_000, what: `${topic} to have three partitions` },
      );
      const after = await partitionsOf(await kafka.producer(), [third, fourth]);

      // The hash of "alice" is 1 modulo 2 and 0 modulo 3: the same key, another partition.
      await annotate(`alice's key: partition ${before.join(", ")} on 2 partitions, then ${after.join(", ")} on 3`);
      expect(before).toEqual([1, 1]);
      expect(after).toEqual([0, 0]);
      const ends = Object.fromEntries((await kafka.admin.fetchTopicOffsets(topic)).map(({ partition, high }) => [partition, high]));
      // Partition 0 holds #3 and #4, partition 1 holds #1 and #2: a consumer may read #3 before #1.
      expect(ends).toEqual({ 0: "2", 1: "2", 2: "0" });
    },
  );
});
