/**
 * Where step 11's three-broker cluster listens, on both paths (native and Docker's `cluster`
 * profile): ports next to the single broker's 19092/19093, never the same ones, so both run
 * side by side and the single-broker steps never pay for the cluster.
 */
export const clusterControllerId = 10;
export const clusterBrokerIds = [1, 2, 3] as const;
export type ClusterBrokerId = (typeof clusterBrokerIds)[number];
export type ClusterNodeId = ClusterBrokerId | typeof clusterControllerId;

export const clusterPorts = {
  controller: 19190,
  /** What clients dial: broker 1, 2 and 3. */
  brokers: [19191, 19192, 19193],
  /** Replication between brokers (natively on loopback too; inside Docker, the container network). */
  internal: [19291, 19292, 19293],
} as const;

/** The cluster's client addresses, broker 1 first. */
export const clusterBrokers: string[] = clusterPorts.brokers.map((port) => `127.0.0.1:${port}`);

/** The client address of one broker. */
export function brokerAddress(id: ClusterBrokerId): string {
  return clusterBrokers[(clusterBrokerIds as readonly number[]).indexOf(id)]!;
}

/** Docker's name for a node of the cluster (docker-compose.yml, profile `cluster`). */
export function composeServiceOf(id: ClusterNodeId): string {
  return id === clusterControllerId ? "cluster-controller" : `cluster-broker-${id}`;
}
