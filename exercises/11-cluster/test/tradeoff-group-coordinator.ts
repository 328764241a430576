/**
 * A consumer group's committed offsets live in __consumer_offsets, a replicated topic like any
 * other: when the broker coordinating the group dies, another replica takes over, and the group
 * resumes where it had committed.
 */
import { readNumbered, writeNumbered } from "../src/numbered.ts";
import { clusterBrokerIds } from "#kit/cluster";
import { describe, eventually, expect, proves, tradeoff } from "#kit/testing";
import { clusterTimeoutMs, groupCoordinator, test, waitForFullIsr, waitForPartition } from "./helpers.ts";


describe(tradeoff("a group outlives its coordinator"), () => {
  test(
    "GIVEN a group that read and committed 50 of 100 records WHEN the broker coordinating it is killed and 50 more are written THEN the group resumes on a new coordinator at offset 50: 150 read in all, none skipped, none twice",
    { ...proves("downstream-sees-every-change", "a consumer group on three brokers (its coordinator killed)", "holds"), timeout: clusterTimeoutMs },
    async ({ cluster, annotate }) => {
      const coordinator = await groupCoordinator(cluster);
      const others = clusterBrokerIds.filter((id) => id !== coordinator);
      const topic = await cluster.topic("feed", { replicationFactor: 3, configEntries: [{ name: "min.insync.replicas", value: "2" }] });
      await waitForFullIsr(cluster, topic);
      await writeNumbered(await cluster.producer(), topic, 100, { acks: -1 });
      const groupId = cluster.groupId("readers");

      // The first member reads 50 records, committing each one after it is handled, then leaves.
      const first: number[] = [];
      const firstMember = cluster.consumer({ groupId });
      await firstMember.connect();
      await firstMember.subscribe({ topic, fromBeginning: true });
      await firstMember.run({
        autoCommit: false,
        eachMessage: async ({ message, partition }) => {
          if (first.length >= 50) return; // not handled, not committed
          first.push(Number(message.value?.toString()));
          await firstMember.commitOffsets([{ topic, partition, offset: String(Number(message.offset) + 1) }]);
        },
      });
      await eventually(() => expect(first).toHaveLength(50), { timeoutMs: 30_000, what: "the first member to handle 50 records" });
      await firstMember.disconnect();

      await cluster.control.kill(coordinator);
      const offsets = await waitForPartition(cluster, "__consumer_offsets", "another broker to coordinate the groups", (state) => expect(others).toContain(state.leader), others);
      const survivors = cluster.kafkaOn(others, { retries: 8, requestTimeout: 10_000 });
      await writeNumbered(await cluster.producer({}, survivors), topic, 50, { acks: -1, from: 100 });

      // A new member of the same group, on the brokers left.
      const second: Array<{ number: number; offset: number }> = [];
      const secondMember = cluster.consumer({ groupId }, survivors);
      await secondMember.connect();
      await secondMember.subscribe({ topic, fromBeginning: true });
      await secondMember.run({ eachMessage: async ({ message }) => void second.push({ number: Number(message.value?.toString()), offset: Number(message.offset) }) });
      await eventually(() => expect(second.length).toBeGreaterThanOrEqual(100), { timeoutMs: 60_000, what: "the second member to read up to the end" });
      await secondMember.disconnect();

      const everything = [...first, ...second.map((record) => record.number)];
      await annotate(`coordinator ${coordinator} killed after 50 commits · broker ${offsets.leader} coordinates now · the group resumed at offset ${second[0]?.offset} · ${first.length} + ${second.length} read · ${everything.length - new Set(everything).size} twice`);
      expect(first).toEqual(Array.from({ length: 50 }, (_, i) => i));
      expect(second[0]?.offset).toBe(50);
      expect(second.map((record) => record.number)).toEqual(Array.from({ length: 100 }, (_, i) => i + 50));
      // The whole topic once each: nothing skipped (no gap), nothing twice.
      const read = await readNumbered(survivors, topic, cluster.groupId("check"));
      expect(read.numbers).toEqual(everything);
    },
  );
});
