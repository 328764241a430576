/**
 * Task 1: durable settings. Replication factor 3, min.insync.replicas 2, acks -1 and an
 * idempotent producer: the partition's leader is killed (SIGKILL) while writes are in flight,
 * and every acknowledged record is read back — once.
 */
import { durableProducerConfig, durableTopic } from "../src/durability.ts";
import { lost, readNumbered, writeNumbered } from "../src/numbered.ts";
import { describe, expect, proves, task } from "#kit/testing";
import { clusterTimeoutMs, rolesOf, test, waitForFullIsr, waitForPartition } from "./helpers.ts";


describe(task(1, "choose durable settings"), () => {
  test("GIVEN the durable topic settings THEN the topic has three replicas, needs two in sync, and never elects a stale leader", async ({ cluster }) => {
    const topic = await cluster.topic("settings", durableTopic());
    const state = await waitForFullIsr(cluster, topic);
    expect(state.replicas).toEqual([1, 2, 3]);
    const described = await cluster.admin.describeConfigs({ resources: [{ type: 2, name: topic, configNames: ["min.insync.replicas", "unclean.leader.election.enable"] }], includeSynonyms: false });
    const entries = Object.fromEntries(described.resources[0]!.configEntries.map((entry) => [entry.configName, entry.configValue]));
    expect(entries).toEqual({ "min.insync.replicas": "2", "unclean.leader.election.enable": "false" });
    expect(durableProducerConfig()).toMatchObject({ idempotent: true });
  });

  test(
    "GIVEN RF 3, min ISR 2, acks -1 and an idempotent producer WHEN the leader is killed (SIGKILL) right after the 100th of 200 acknowledgements THEN all 200 are acknowledged and read back, none twice",
    { ...proves("acknowledged-writes-survive-server-loss", "three brokers, acks -1, min ISR 2", "holds"), timeout: clusterTimeoutMs },
    async ({ cluster, annotate }) => {
      const topic = await cluster.topic("stream", durableTopic());
      await waitForFullIsr(cluster, topic);
      const { leader } = await rolesOf(cluster, topic);
      // kafkajs retries a connection to the dead leader on its own (the client's retries), without
      // asking who leads now: few of those, so its producer's retries — which do ask — take over.
      const producer = await cluster.producer(durableProducerConfig(), cluster.kafkaOn([1, 2, 3], { retries: 2, requestTimeout: 10_000 }));

      let killed = false;
      const written = await writeNumbered(producer, topic, 200, {
        acks: -1,
        // A send that kafkajs gave up on (its connection to the dead leader refused) is sent again.
        attempts: 10,
        // Killed from inside the stream, at an exact point: the 101st send meets a dead leader.
        onAcknowledged: async (count) => {
          if (count === 100 && !killed) {
            killed = true;
            await cluster.control.kill(leader);
          }
        },
      });
      const after = await waitForPartition(cluster, topic, "a new leader", (state) => expect(state.leader).not.toBe(leader));
      const read = await readNumbered(cluster.kafka, topic, cluster.groupId("reader"));

      await annotate(`leader ${leader} killed after 100 acks · ${written.acknowledged.length} acknowledged · ${written.resent} sends made again · ${read.numbers.length} read · ${read.duplicates} twice · ${lost(written.acknowledged, read).length} lost · new leader ${after.leader}`);
      expect(killed).toBe(true);
      expect(written.failed).toEqual([]);
      expect(written.acknowledged).toHaveLength(200);
      expect(lost(written.acknowledged, read)).toEqual([]);
      // Nothing was in flight when the leader died: the sends made again had never reached a
      // broker, and kafkajs's own retries are idempotent (the broker drops a batch it already has).
      expect(read.duplicates).toBe(0);
      expect(read.numbers).toHaveLength(200);
    },
  );
});
