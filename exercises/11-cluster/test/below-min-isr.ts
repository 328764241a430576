/**
 * Task 2: below min.insync.replicas, writes are refused — not lost, and not left hanging.
 * Two of the three brokers are killed; the producer gets the kit's own NotEnoughReplicas; one
 * broker returns, catches up, and the same write goes through.
 */
import { appendDurably, durableProducerConfig, durableTopic, NotEnoughReplicas } from "../src/durability.ts";
import { readNumbered } from "../src/numbered.ts";
import { describe, expect, failureOf, proves, task } from "#kit/testing";
import { clusterTimeoutMs, rolesOf, test, waitForFullIsr, waitForPartition } from "./helpers.ts";


describe(task(2, "refuse writes below min ISR with a typed error"), () => {
  test(
    "GIVEN RF 3 and min ISR 2 WHEN both followers are killed THEN appendDurably fails with NotEnoughReplicas and writes nothing; WHEN one follower returns THEN the write goes through",
    { ...proves("acknowledged-writes-survive-server-loss", "three brokers, acks -1, min ISR 2", "holds"), timeout: clusterTimeoutMs },
    async ({ cluster, annotate }) => {
      const topic = await cluster.topic("refused", durableTopic());
      await waitForFullIsr(cluster, topic);
      const { leader, followers } = await rolesOf(cluster, topic);
      // A client that talks to the leader alone, the one broker left standing.
      const producer = await cluster.producer(durableProducerConfig(), cluster.kafkaOn([leader], { retries: 2, requestTimeout: 10_000 }));
      await appendDurably(producer, topic, [{ key: "n", value: "0" }]);

      for (const follower of followers) await cluster.control.kill(follower);
      await waitForPartition(cluster, topic, "the ISR to shrink to the leader alone", (state) => expect(state.isr).toEqual([leader]), [leader]);
      const refused = await failureOf(() => appendDurably(producer, topic, [{ key: "n", value: "1" }]), NotEnoughReplicas);

      await cluster.control.restart(followers[0]!);
      await waitForPartition(cluster, topic, "the returning follower to be back in sync", (state) => expect(state.isr).toHaveLength(2), [leader]);
      await appendDurably(producer, topic, [{ key: "n", value: "2" }]);
      const read = await readNumbered(cluster.kafkaOn([leader, followers[0]!]), topic, cluster.groupId("reader"));

      await annotate(`followers ${followers.join(" and ")} killed · refused with ${refused.brokerError} · follower ${followers[0]} back · read ${read.numbers.join(", ")}`);
      expect(refused).toMatchObject({ code: "NOT_ENOUGH_REPLICAS", topic, brokerError: "NOT_ENOUGH_REPLICAS" });
      // Refused before it was written: the log holds the write before and the write after.
      expect(read.numbers).toEqual([0, 2]);
    },
  );
});
