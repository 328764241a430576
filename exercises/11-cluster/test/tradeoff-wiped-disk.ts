/**
 * A broker's disk is lost: its data directory is deleted while it is down, and it restarts
 * empty. What comes back depends on how many other brokers had the data.
 *
 * A lost disk takes a while to replace, and the tests force that too: the broker stays down
 * until the controller has fenced it (waitForFenced). Started again sooner, it would be
 * registered anew while still in its partitions' ISR, and the controller would strike it from
 * every ISR on the spot: a partition it was the only member of would stay leaderless for good
 * (unless an unclean election is allowed). That race, won on a fast machine and lost on a slow
 * one, is what failed these tests in a fresh-clone CI run.
 */
import { lost, readNumbered, writeNumbered } from "../src/numbered.ts";
import { clusterBrokerIds, type ClusterBrokerId, type ClusterContext } from "#kit/cluster";
import { describe, eventually, expect, proves, tradeoff } from "#kit/testing";
import { clusterTimeoutMs, groupCoordinator, rolesOf, test, waitForFenced, waitForFullIsr, waitForPartition } from "./helpers.ts";

/**
 * What the live brokers say of a partition whose only replica is down: kafkajs throws
 * LEADER_NOT_AVAILABLE for a partition with no leader, or the metadata still names the dead
 * broker. Either way no live broker leads it; anything else fails.
 */
async function leaderWhileDown(cluster: ClusterContext, topic: string, live: readonly ClusterBrokerId[]): Promise<string> {
  return eventually(
    async () => {
      try {
        const { leader } = await cluster.partition(topic, 0, live);
        expect(live).not.toContain(leader);
        return `no live leader (metadata names ${leader})`;
      } catch (error) {
        if (brokerErrorOf(error) === "LEADER_NOT_AVAILABLE") return "no leader (LEADER_NOT_AVAILABLE)";
        throw error;
      }
    },
    { timeoutMs: 60_000, intervalMs: 250, what: `no live broker to lead ${topic}` },
  );
}

/** The broker's error type, where kafkajs keeps it (on the error, or on what ended its retries). */
function brokerErrorOf(error: unknown): string | undefined {
  const { type, cause } = (error ?? {}) as { type?: unknown; cause?: unknown };
  return typeof type === "string" ? type : cause ? brokerErrorOf(cause) : undefined;
}

describe(tradeoff("a wiped disk"), () => {
  test(
    "GIVEN 100 records acknowledged by the only replica (replication factor 1, as on the single broker) WHEN its broker's disk is wiped and it restarts empty THEN the partition has no leader while it is down, and it leads it again empty: all 100 are gone",
    { ...proves("acknowledged-writes-survive-server-loss", "one replica (replication factor 1, as the single broker)", "broken"), timeout: clusterTimeoutMs },
    async ({ cluster, annotate }) => {
      const coordinator = await groupCoordinator(cluster);
      const broker = clusterBrokerIds.find((id) => id !== coordinator)!;
      const others = clusterBrokerIds.filter((id) => id !== broker);
      const topic = await cluster.topic("single-copy", { numPartitions: -1, replicationFactor: -1, replicaAssignment: [{ partition: 0, replicas: [broker] }] });
      const written = await writeNumbered(await cluster.producer(), topic, 100, { acks: -1 });

      await cluster.control.kill(broker);
      await waitForFenced(broker);
      // Fenced, the partition's only replica is gone: no live broker leads it.
      const down = await leaderWhileDown(cluster, topic, others);
      await cluster.control.wipe(broker);
      await cluster.control.restart(broker);
      // Back, and empty — and it leads again: the controller elects the last replica that led,
      // since none other is left to choose.
      const after = await waitForPartition(cluster, topic, "the wiped broker to lead again", (state) => expect(state.leader).toBe(broker));
      const read = await readNumbered(cluster.kafka, topic, cluster.groupId("reader"));

      await annotate(`${written.acknowledged.length} acknowledged by broker ${broker} alone · killed · while it was down: ${down} · its disk wiped · back empty, leader ${after.leader} · ${read.numbers.length} read · ${lost(written.acknowledged, read).length} lost`);
      expect(written.acknowledged).toHaveLength(100);
      expect(read.numbers).toEqual([]);
      expect(lost(written.acknowledged, read)).toHaveLength(100);
    },
  );

  test(
    "GIVEN 100 records on three replicas (RF 3, min ISR 2) WHEN a follower's disk is wiped while it is down, 50 more are written, and it restarts THEN it catches up from its peers and, once the other two are killed, serves all 150 on its own",
    { ...proves("acknowledged-writes-survive-server-loss", "three brokers, acks -1, min ISR 2", "holds"), timeout: clusterTimeoutMs },
    async ({ cluster, annotate }) => {
      // Step 11's durable settings, spelled out: this trade-off runs before Task 1 is done.
      await groupCoordinator(cluster); // the reader below needs the groups' offsets topic to exist, in sync
      const topic = await cluster.topic("three-copies", { replicationFactor: 3, configEntries: [{ name: "min.insync.replicas", value: "2" }] });
      await waitForFullIsr(cluster, topic);
      const { leader, followers } = await rolesOf(cluster, topic);
      const wiped = followers[0]!;
      const producer = await cluster.producer({}, cluster.kafkaOn([leader], { retries: 2, requestTimeout: 10_000 }));
      const before = await writeNumbered(producer, topic, 100, { acks: -1 });

      await cluster.control.kill(wiped);
      await waitForFenced(wiped);
      await cluster.control.wipe(wiped);
      const during = await writeNumbered(producer, topic, 50, { acks: -1, from: 100 });
      await cluster.control.restart(wiped);
      await waitForFullIsr(cluster, topic);
      // The groups' offsets too: the reader below needs a coordinator once the other two are gone.
      await waitForFullIsr(cluster, "__consumer_offsets");
      // Now the wiped broker is the only copy left standing: what it serves, it copied back.
      for (const other of clusterBrokerIds.filter((id) => id !== wiped)) await cluster.control.kill(other);
      await waitForPartition(cluster, topic, "the rejoined broker to lead alone", (state) => expect(state.leader).toBe(wiped), [wiped]);
      const read = await readNumbered(cluster.kafkaOn([wiped], { retries: 8, requestTimeout: 10_000 }), topic, cluster.groupId("reader"));

      const acknowledged = [...before.acknowledged, ...during.acknowledged];
      await annotate(`broker ${wiped} wiped while down · ${acknowledged.length} acknowledged · it rejoined and caught up · the other two killed · ${read.numbers.length} read from it alone · ${lost(acknowledged, read).length} lost`);
      expect(acknowledged).toHaveLength(150);
      expect(lost(acknowledged, read)).toEqual([]);
      expect(read.numbers).toHaveLength(150);
    },
  );
});
