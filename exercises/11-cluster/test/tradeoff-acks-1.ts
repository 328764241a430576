/**
 * What acks 1 costs. The followers are paused (SIGSTOP) until they drop out of the ISR; the
 * leader then acknowledges 50 records on its own and is killed (SIGKILL). The 50 exist on no
 * other machine. What happens next is a topic setting: an unclean election hands the partition
 * to a stale follower (available, 50 acknowledged records gone), a clean one waits for the old
 * leader (unavailable, nothing lost).
 */
import { lost, readNumbered, writeNumbered } from "../src/numbered.ts";
import { clusterBrokerIds, type ClusterBrokerId, type ClusterContext } from "#kit/cluster";
import { describe, eventually, expect, proves, tradeoff } from "#kit/testing";
import { clusterTimeoutMs, groupCoordinator, ledBy, rolesOf, test, waitForFullIsr, waitForPartition } from "./helpers.ts";



interface AfterTheLeaderDied {
  topic: string;
  leader: ClusterBrokerId;
  followers: ClusterBrokerId[];
  /** 0…99, written with acks -1 while all three were in sync. */
  replicated: number[];
  /** 100…149, acknowledged by the leader alone with acks 1. */
  leaderOnly: number[];
}

async function acksOneThenTheLeaderDies(cluster: ClusterContext): Promise<AfterTheLeaderDied> {
  // The leader that dies is not the broker coordinating consumer groups: the test reads the
  // topic back with a group, and the coordinator's own partition would go through the same ordeal.
  const coordinator = await groupCoordinator(cluster);
  const chosen = clusterBrokerIds.find((id) => id !== coordinator)!;
  // Three replicas, but one in sync is enough to take a write (min.insync.replicas=1).
  const topic = await cluster.topic("acks-1", ledBy(chosen, [{ name: "min.insync.replicas", value: "1" }]));
  await waitForFullIsr(cluster, topic);
  const { leader, followers } = await rolesOf(cluster, topic);
  const everyone = await cluster.producer();
  const replicated = await writeNumbered(everyone, topic, 100, { acks: -1 });
  await everyone.disconnect();

  for (const follower of followers) await cluster.control.pause(follower);
  // Only the leader is asked: a request to a paused broker would wait for its timeout.
  await waitForPartition(cluster, topic, "the paused followers to drop out of the ISR", (state) => expect(state.isr).toEqual([leader]), [leader]);
  const alone = await cluster.producer({}, cluster.kafkaOn([leader]));
  const leaderOnly = await writeNumbered(alone, topic, 50, { acks: 1, from: 100 });
  await alone.disconnect();

  await cluster.control.kill(leader);
  for (const follower of followers) await cluster.control.resume(follower);
  expect(replicated.acknowledged).toHaveLength(100);
  expect(leaderOnly.acknowledged).toHaveLength(50);
  return { topic, leader, followers, replicated: replicated.acknowledged, leaderOnly: leaderOnly.acknowledged };
}

describe(tradeoff("acks 1: the leader's word alone"), () => {
  test(
    "GIVEN 50 records acknowledged with acks 1 by a leader whose followers had fallen behind WHEN it dies and unclean leader election is enabled THEN a stale follower leads and the 50 acknowledged records are gone, also once the old leader is back",
    { ...proves("acknowledged-writes-survive-server-loss", "three brokers, acks 1, unclean election", "broken"), timeout: clusterTimeoutMs },
    async ({ cluster, annotate }) => {
      const { topic, leader, followers, replicated, leaderOnly } = await acksOneThenTheLeaderDies(cluster);
      const survivors = cluster.kafkaOn(followers);
      // kafkajs sends a config change to the broker it thinks is the controller, which may be the
      // dead one until the cluster has fenced it: asked again until a live broker takes it.
      await eventually(
        async () => {
          const admin = survivors.admin();
          await admin.connect();
          try {
            await admin.alterConfigs({ validateOnly: false, resources: [{ type: 2, name: topic, configEntries: [{ name: "unclean.leader.election.enable", value: "true" }] }] });
          } finally {
            await admin.disconnect();
          }
        },
        { timeoutMs: 30_000, intervalMs: 250, what: "the topic to allow an unclean election" },
      );

      const elected = await waitForPartition(cluster, topic, "a stale follower to be elected", (state) => expect(followers).toContain(state.leader), followers);
      // The old leader comes back — as a follower of the stale one, and cuts its own log to match:
      // the 50 records it alone had are gone from every broker now. (It also brings back the
      // consumer groups' coordinator, which the paused followers had left to it alone.)
      await cluster.control.restart(leader);
      await waitForFullIsr(cluster, topic);
      const read = await readNumbered(cluster.kafka, topic, cluster.groupId("reader"));

      await annotate(`leader ${leader} killed · follower ${elected.leader} elected uncleanly · old leader back as a follower · ${replicated.length + leaderOnly.length} acknowledged · ${read.numbers.length} read · ${lost(leaderOnly, read).length} of ${leaderOnly.length} acks-1 records lost`);
      expect(lost(replicated, read)).toEqual([]);
      expect(lost(leaderOnly, read)).toHaveLength(50);
      expect(read.numbers).toHaveLength(100);
    },
  );

  test(
    "GIVEN the same 50 records acknowledged with acks 1 WHEN the leader dies and unclean leader election is disabled (the default) THEN the partition has no leader until the old one returns, and then all 150 are there",
    { ...proves("acknowledged-writes-survive-server-loss", "three brokers, acks 1, no unclean election", "holds"), timeout: clusterTimeoutMs },
    async ({ cluster, annotate }) => {
      const { topic, leader, followers, replicated, leaderOnly } = await acksOneThenTheLeaderDies(cluster);
      // Both followers alive and in the cluster again, and still neither may lead: they are not in the ISR.
      const stalled = await waitForPartition(cluster, topic, "the followers to be back, the partition leaderless", (state) => {
        expect(state.isr).toEqual([leader]);
        expect(followers).not.toContain(state.leader);
      }, followers);
      const refused = await writeNumbered(await cluster.producer({}, cluster.kafkaOn(followers, { retries: 1 })), topic, 1, { acks: 1, from: 1000 });

      await cluster.control.restart(leader);
      await waitForPartition(cluster, topic, "the old leader to lead again", (state) => expect(state.leader).toBe(leader));
      const read = await readNumbered(cluster.kafka, topic, cluster.groupId("reader"));

      await annotate(`leader ${leader} killed · while it was down: leader ${stalled.leader}, ISR [${stalled.isr.join(", ")}], ${refused.failed.length} of 1 write refused · it returned · ${read.numbers.length} of ${replicated.length + leaderOnly.length} read`);
      expect(refused.acknowledged).toEqual([]);
      expect(lost([...replicated, ...leaderOnly], read)).toEqual([]);
      expect(read.numbers).toHaveLength(150);
    },
  );
});
