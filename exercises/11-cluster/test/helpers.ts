/**
 * Helpers of step 11's tests: who leads a partition, and waiting for the cluster to notice a
 * failure. Every wait polls with a deadline: a dead broker is noticed after the controller's
 * session timeout (4 s), a stalled follower after replica.lag.time.max.ms (2 s), and both are
 * seen by clients a little later.
 */
import { clusterBrokerIds, liveBrokerIds, type ClusterBrokerId, type ClusterContext, type PartitionState } from "#kit/cluster";
import { eventually, expect } from "#kit/testing";

export { clusterTest as test, holdCluster } from "#kit/cluster";

/** Long enough for a broker's death to be noticed, a leader elected, and a restarted broker to catch up. */
export const clusterTimeoutMs = 240_000;

export function asBroker(id: number): ClusterBrokerId {
  const broker = clusterBrokerIds.find((candidate) => candidate === id);
  if (broker === undefined) throw new Error(`${id} is not one of the cluster's brokers`);
  return broker;
}

/** The partition's leader and its two followers. */
export async function rolesOf(cluster: ClusterContext, topic: string): Promise<{ leader: ClusterBrokerId; followers: ClusterBrokerId[] }> {
  const { leader } = await cluster.partition(topic);
  return { leader: asBroker(leader), followers: clusterBrokerIds.filter((id) => id !== leader) };
}

/** Waits until the partition's state, as the brokers `ids` report it, passes `check`. */
export async function waitForPartition(
  cluster: ClusterContext,
  topic: string,
  what: string,
  check: (state: PartitionState) => void,
  ids: readonly ClusterBrokerId[] = clusterBrokerIds,
): Promise<PartitionState> {
  return eventually(
    async () => {
      const state = await cluster.partition(topic, 0, ids);
      check(state);
      return state;
    },
    { timeoutMs: 60_000, intervalMs: 250, what },
  );
}

/** Waits until every replica is back in sync. */
export function waitForFullIsr(cluster: ClusterContext, topic: string): Promise<PartitionState> {
  return waitForPartition(cluster, topic, `all three replicas of ${topic} to be in sync`, (state) => expect(state.isr).toEqual([1, 2, 3]));
}

/**
 * Waits until the controller has fenced `broker` (its metadata no longer lists it): a killed
 * broker stays registered until its session times out (4 s). A broker started again before that
 * re-registers as a "new incarnation" while still in its partitions' ISR, and the controller
 * takes a different path: a wiped one then loses its place in an ISR it was the only member
 * of, and its partition stays leaderless (seen in CI, where a JVM starts in 2 s). A test that
 * restarts a wiped broker waits for the fence first, so it sees the same path on every machine.
 */
export async function waitForFenced(broker: ClusterBrokerId): Promise<void> {
  // Asked without kafkajs: it cannot answer anything while a partition has no leader (#kit/cluster).
  await eventually(async () => expect(await liveBrokerIds()).not.toContain(broker), { timeoutMs: 60_000, intervalMs: 250, what: `the controller to fence broker ${broker}` });
}

/**
 * The broker that coordinates every consumer group: the leader of __consumer_offsets, which
 * the cluster has one partition of. Asking about a group makes Kafka create that topic.
 */
export async function groupCoordinator(cluster: ClusterContext): Promise<ClusterBrokerId> {
  await cluster.admin.describeGroups([cluster.groupId("find-coordinator")]);
  const { leader } = await waitForPartition(cluster, "__consumer_offsets", "the offsets topic to have a leader", (state) => expect(state.leader).toBeGreaterThan(0));
  return asBroker(leader);
}

/**
 * Topic settings that put the partition's leader on `leader` (the first replica of the
 * assignment is the preferred leader), so a test can choose which broker it kills.
 */
export function ledBy(leader: ClusterBrokerId, configEntries: Array<{ name: string; value: string }>) {
  // With an assignment, Kafka takes the count of partitions and replicas from it: -1 for both.
  return { numPartitions: -1, replicationFactor: -1, replicaAssignment: [{ partition: 0, replicas: [leader, ...clusterBrokerIds.filter((id) => id !== leader)] }], configEntries };
}
