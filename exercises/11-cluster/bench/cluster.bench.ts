/**
 * What durability costs on the three-broker cluster, and how long a failover takes.
 *
 * - Produce latency and throughput, acks 1 against acks -1, on the same RF 3 topic (min ISR 2):
 *   acks -1 waits for a follower to fetch the record, acks 1 for the leader's page cache only.
 * - Failover: from the SIGKILL of a partition's leader to the first acks -1 write that succeeds
 *   (the controller notices after broker.session.timeout.ms = 4 s, then elects; the client must
 *   learn the new leader). Each kill is followed by a restart and a full ISR before the next.
 * - The cluster itself: its start time (full size only: the cluster is stopped and started
 *   again) and each node's resident memory.
 */
import { benchMode, benchSize, measure, perSecond, report, summarize, summaryRows, timeEach, type BenchRow } from "#kit/bench";
import { clusterBrokerIds, holdCluster, residentMemory, restartClusterTimed, clusterTest as test, type ClusterContext } from "#kit/cluster";
import { eventually, expect } from "#kit/testing";

holdCluster();

const durable = { replicationFactor: 3, configEntries: [{ name: "min.insync.replicas", value: "2" }] };

/** Waits for all three replicas in sync; returns the leader. */
async function fullIsr(cluster: ClusterContext, topic: string): Promise<number> {
  const state = await eventually(
    async () => {
      const found = await cluster.partition(topic);
      expect(found.isr).toHaveLength(3);
      return found;
    },
    { timeoutMs: 60_000, intervalMs: 200, what: `all three replicas of ${topic} in sync` },
  );
  return state.leader;
}

test("acks 1 against acks -1 on RF 3: latency and throughput", async ({ cluster }) => {
  const topic = await cluster.topic("acks", durable);
  await fullIsr(cluster, topic);
  const producer = await cluster.producer({ idempotent: false });
  const rows: BenchRow[] = [];
  for (const acks of [1, -1] as const) {
    const latency = await timeEach(benchSize(1_000), () => producer.send({ topic, acks, messages: [{ key: "k", value: "x".repeat(100) }] }));
    rows.push(...summaryRows(`acks ${acks}: one 100-byte record, sent and acknowledged`, summarize(latency)));
    const records = benchSize(50_000);
    const batch = 100;
    const { ms } = await measure(async () => {
      const sends = Array.from({ length: Math.ceil(records / batch) }, () => Array.from({ length: batch }, () => ({ key: "k", value: "x".repeat(100) })));
      // Four sends in flight at a time, as a busy service would have.
      for (let i = 0; i < sends.length; i += 4) await Promise.all(sends.slice(i, i + 4).map((messages) => producer.send({ topic, acks, messages })));
    });
    rows.push({ label: `acks ${acks}: throughput (batches of ${batch}, 4 in flight)`, value: perSecond(Math.ceil(records / batch) * batch, ms), unit: "records/s" });
  }
  const offsets = await cluster.admin.fetchTopicOffsets(topic);
  expect(Number(offsets[0]?.high)).toBe(2 * (benchSize(1_000) + 1 + Math.ceil(benchSize(50_000) / 100) * 100));
  report({ step: "11-cluster", title: "acks 1 against acks -1 on three replicas", rows, notes: ["one partition, replication factor 3, min.insync.replicas 2, every broker on this machine (replication costs a loopback round trip, not a network's)"] });
});

test("failover: from a leader's SIGKILL to the first acks -1 write", async ({ cluster }) => {
  const samples: number[] = [];
  const kills = benchMode() === "full" ? 10 : 1;
  for (let i = 0; i < kills; i++) {
    const topic = await cluster.topic(`failover-${i}`, durable);
    const leader = await fullIsr(cluster, topic);
    const producer = await cluster.producer({ idempotent: true, maxInFlightRequests: 1, retry: { retries: 2, initialRetryTime: 50 } }, cluster.kafkaOn(clusterBrokerIds, { retries: 1, requestTimeout: 5_000 }));
    await producer.send({ topic, acks: -1, messages: [{ value: "before" }] });
    const killedAt = performance.now();
    await cluster.control.kill(clusterBrokerIds.find((id) => id === leader)!);
    for (const deadline = killedAt + 60_000; ; ) {
      if (performance.now() > deadline) throw new Error(`no acks -1 write went through within 60 s of killing broker ${leader}`);
      try {
        await producer.send({ topic, acks: -1, messages: [{ value: "after" }] });
        break;
      } catch {
        // Not yet: the controller has not fenced the dead broker, or the client has not learned the new leader.
      }
    }
    samples.push(performance.now() - killedAt);
    await producer.disconnect();
    await cluster.control.heal();
  }
  const summary = summarize(samples);
  report({
    step: "11-cluster",
    title: "failover time",
    rows: [...summaryRows("leader killed → first acks -1 write acknowledged", summary, ["median", "p95", "max"])],
    notes: [`${summary.count} kills (SIGKILL of the partition's leader); broker.session.timeout.ms=4000, broker.heartbeat.interval.ms=500; the client retries at once`],
  });
});

test("the cluster: start time and resident memory", async () => {
  const rows: BenchRow[] = [];
  if (benchMode() === "full") {
    rows.push({ label: "start (four JVMs, until three brokers serve clients)", value: (await restartClusterTimed()) / 1000, unit: "s" });
  }
  const notes: string[] = [];
  const memory = residentMemory();
  if (memory) {
    for (const { node, mb } of memory) rows.push({ label: `resident memory, ${node}`, value: mb, unit: "MB" });
    rows.push({ label: "resident memory, whole cluster", value: memory.reduce((sum, { mb }) => sum + mb, 0), unit: "MB" });
  } else {
    notes.push("resident memory: `docker stats` shows it for the cluster's containers");
  }
  if (benchMode() !== "full") notes.push("start time: measured by npm run bench 11 only (it stops and starts the cluster)");
  report({ step: "11-cluster", title: "the cluster itself", rows: rows.length > 0 ? rows : [{ label: "nothing measured on this path", value: 0, unit: "" }], notes });
});
