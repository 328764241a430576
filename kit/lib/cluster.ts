/**
 * #kit/cluster — step 11's three-broker cluster, for its tests and its benchmark.
 *
 *   import { clusterTest as test, holdCluster } from "#kit/cluster";
 *   holdCluster();                       // at the top of the file
 *   test("…", async ({ cluster }) => { await cluster.control.kill(leader); … });
 *
 * `holdCluster()` starts the cluster if it is not up (only the files that call it pay for it)
 * and holds it for the file: the files that kill and pause its brokers run one at a time,
 * whatever vitest runs in parallel. Every test gets the cluster whole — paused brokers
 * resumed, dead ones restarted — and leaves it whole, pass or fail.
 */
import { execFileSync } from "node:child_process";
import { performance } from "node:perf_hooks";
import { afterAll, beforeAll } from "vitest";
import { brokerAddress, clusterBrokerIds, clusterBrokers, clusterControllerId, clusterOrigin, ensureCluster, liveBrokerIds, nodeControl, stopCluster, type ClusterBrokerId, type ClusterNodeId, type NodeControl } from "../services/cluster.ts";
import { nodePid } from "../services/native-cluster.ts";
import { acquireLock } from "../services/state.ts";
import { eventually } from "./eventually.ts";
import { createKafka, defaultProducerConfig, type Admin, type Consumer, type ConsumerConfig, type ITopicConfig, type Kafka, type Producer, type ProducerConfig } from "./kafka.ts";
import { topicPrefix } from "./names.ts";
import { test } from "./testing.ts";

export { brokerAddress, clusterBrokerIds, clusterBrokers, clusterControllerId, liveBrokerIds, type ClusterBrokerId, type NodeControl };

/** How long a file may wait for another file that holds the cluster (each holds it for a minute or two). */
const holdTimeoutMs = 20 * 60_000;

/** Starts the cluster if needed and holds it for this test file (see above). Call it once, at the top. */
export function holdCluster(): void {
  let release: (() => void) | undefined;
  beforeAll(async () => {
    release = await acquireLock("cluster", { timeoutMs: holdTimeoutMs });
    await ensureCluster();
    await nodeControl().heal();
  }, holdTimeoutMs + 180_000);
  afterAll(async () => {
    try {
      await nodeControl().heal();
    } finally {
      release?.();
    }
  }, 180_000);
}

export interface PartitionState {
  leader: number;
  isr: number[];
  replicas: number[];
}

export interface ClusterContext {
  /** The cluster's client addresses. */
  brokers: string[];
  /** kill, pause, resume, restart, wipe a node — by process natively, by container on Docker. */
  control: NodeControl;
  /** A client that knows all three brokers. */
  kafka: Kafka;
  admin: Admin;
  /**
   * A client that talks to `ids` only, with a short request timeout. While a broker is paused,
   * any request that reaches it waits for the request timeout (30 s by default): aim clients at
   * the brokers that answer.
   */
  kafkaOn(ids: readonly ClusterBrokerId[], options?: { requestTimeout?: number; retries?: number }): Kafka;
  /** Creates a topic with a unique name and waits until every partition has a leader; returns its name. */
  topic(name: string, options?: Omit<ITopicConfig, "topic">): Promise<string>;
  groupId(name: string): string;
  /** A connected producer on `kafka` (all brokers unless given), disconnected after the test. */
  producer(config?: ProducerConfig, kafka?: Kafka): Promise<Producer>;
  consumer(config: ConsumerConfig, kafka?: Kafka): Consumer;
  /** Leader, ISR and replicas of one partition, as the brokers `ids` see it. */
  partition(topic: string, partition?: number, ids?: readonly ClusterBrokerId[]): Promise<PartitionState>;
}

export const clusterTest = test.extend<{ cluster: ClusterContext }>({
  // eslint-disable-next-line no-empty-pattern
  cluster: async ({}, use) => {
    const control = nodeControl();
    await control.heal();
    const kafkaOn = (ids: readonly ClusterBrokerId[], { requestTimeout = 3_000, retries = 3 }: { requestTimeout?: number; retries?: number } = {}) =>
      createKafka({ brokers: ids.map(brokerAddress), clientId: "es-workshop-cluster", requestTimeout, retries, quiet: true });
    const kafka = createKafka({ brokers: clusterBrokers, clientId: "es-workshop-cluster", quiet: true });
    const admin = kafka.admin();
    await admin.connect();
    // A broker restarted by the last test is registered, but may not have caught up on the
    // groups' offsets yet: a test that then kills the other two would leave no coordinator.
    await eventually(
      async () => {
        const { topics } = await admin.fetchTopicMetadata({ topics: ["__consumer_offsets"] }).catch(() => ({ topics: [] }));
        for (const found of topics.flatMap((topic) => topic.partitions)) {
          if (found.isr.length < clusterBrokerIds.length) throw new Error(`__consumer_offsets[${found.partitionId}] has ISR [${found.isr.join(", ")}]`);
        }
      },
      { timeoutMs: 60_000, intervalMs: 250, what: "every broker to be in sync on the groups' offsets" },
    );
    const prefix = topicPrefix();
    const topics: string[] = [];
    const clients: Array<{ disconnect(): Promise<void> }> = [];
    const partition = async (topic: string, index = 0, ids: readonly ClusterBrokerId[] = clusterBrokerIds): Promise<PartitionState> => {
      const probe = kafkaOn(ids).admin();
      await probe.connect();
      try {
        const metadata = await probe.fetchTopicMetadata({ topics: [topic] });
        const found = metadata.topics[0]?.partitions.find((candidate) => candidate.partitionId === index);
        if (!found) throw new Error(`${topic} has no partition ${index}`);
        return { leader: found.leader, isr: [...found.isr].sort(), replicas: [...found.replicas].sort() };
      } finally {
        await probe.disconnect().catch(() => {});
      }
    };
    try {
      await use({
        brokers: clusterBrokers,
        control,
        kafka,
        admin,
        kafkaOn,
        async topic(name, options = {}) {
          const topic = `${prefix}.${name}`;
          await admin.createTopics({ topics: [{ numPartitions: 1, ...options, topic }], waitForLeaders: false });
          topics.push(topic);
          await eventually(() => admin.fetchTopicOffsets(topic), { timeoutMs: 20_000, what: `the partitions of ${topic} to be ready` });
          return topic;
        },
        groupId: (name) => `${prefix}.${name}`,
        async producer(config = {}, on = kafka) {
          const producer = on.producer({ ...defaultProducerConfig, ...config });
          clients.push(producer);
          await producer.connect();
          return producer;
        },
        consumer(config, on = kafka) {
          const consumer = on.consumer({ maxWaitTimeInMs: 100, ...config });
          clients.push(consumer);
          return consumer;
        },
        partition,
      });
    } finally {
      await Promise.allSettled(clients.map((client) => client.disconnect()));
      // Whole again before the topics go: deleting a topic needs every replica's broker.
      await control.heal();
      await admin.disconnect();
      await deleteTopics(topics);
    }
  },
});

/**
 * Deletes a test's topics with a client that never used them: kafkajs refreshes the metadata of
 * every topic a client has used before each request, and fails as a whole while one of them has
 * no leader — a test that failed half-way may leave one so. The test's own admin then deleted
 * nothing, and the leaderless topic outlived the test.
 */
async function deleteTopics(topics: string[]): Promise<void> {
  if (topics.length === 0) return;
  const admin = createKafka({ brokers: clusterBrokers, clientId: "es-workshop-cluster-cleanup", quiet: true }).admin();
  await admin.connect();
  try {
    await admin.deleteTopics({ topics });
  } finally {
    await admin.disconnect().catch(() => {});
  }
}

/** Stops the cluster and starts it again, for the benchmark: how long until three brokers serve clients. */
export async function restartClusterTimed(): Promise<number> {
  await stopCluster(() => {});
  const started = performance.now();
  await ensureCluster({ log: () => {} });
  return performance.now() - started;
}

/** Each node's resident memory in MB, natively (Docker: see `docker stats`); undefined where it cannot be read. */
export function residentMemory(): Array<{ node: string; mb: number }> | undefined {
  if (clusterOrigin() !== "native" || process.platform === "win32") return undefined;
  return ([clusterControllerId, ...clusterBrokerIds] as ClusterNodeId[]).map((id) => {
    const pid = nodePid(id);
    const kib = pid ? Number(execFileSync("ps", ["-o", "rss=", "-p", String(pid)], { encoding: "utf8" }).trim()) : 0;
    return { node: id === clusterControllerId ? "controller" : `broker ${id}`, mb: Math.round(kib / 1024) };
  });
}
