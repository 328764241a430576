/**
 * Step 11's three-broker cluster: found or started on demand (only that step's tests, its
 * benchmark and `npm run services -- --cluster` ask for it), left up between runs, stopped by
 * `npm run services:down`. With a Docker engine it is docker-compose.yml's `cluster` profile;
 * without one, four JVMs from Kafka's jars (native-cluster.ts).
 *
 * Its nodes are controlled the same way on both paths (`nodeControl`): kill, pause, resume,
 * restart, wipe — by signal to a process natively, by `docker compose` on a container.
 */
import { execFile } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { composeFile, rootDir, stateDir } from "../harness/paths.ts";
import { clusterBrokerIds, clusterBrokers, clusterControllerId, composeServiceOf, type ClusterBrokerId, type ClusterNodeId } from "./cluster-config.ts";
import { composeProjectName, hasDockerEngine } from "./docker.ts";
import { ServiceUnavailable } from "./errors.ts";
import { clusterHome, nodeLogFile, nodePid, startNativeCluster, startNode, stopNode, wipeNode } from "./native-cluster.ts";
import { listedBrokers } from "./listed-brokers.ts";
import { describeError, splitHostPort } from "./probe.ts";
import { withServicesLock } from "./state.ts";

const execFileAsync = promisify(execFile);

export type ClusterOrigin = "native" | "docker";

const originFile = path.join(stateDir, "cluster-origin.json");

/** How the running cluster was started, or undefined when the kit has not started one. */
export function clusterOrigin(): ClusterOrigin | undefined {
  try {
    return (JSON.parse(readFileSync(originFile, "utf8")) as { origin: ClusterOrigin }).origin;
  } catch {
    return undefined;
  }
}

function recordOrigin(origin: ClusterOrigin): void {
  mkdirSync(stateDir, { recursive: true });
  writeFileSync(originFile, JSON.stringify({ origin, startedAt: new Date().toISOString() }) + "\n");
}

/** The cluster's brokers, started if they are not all up. Resolves when all three serve clients. */
export async function ensureCluster({ log = console.error }: { log?: (line: string) => void } = {}): Promise<{ brokers: string[]; origin: ClusterOrigin; startedMs: number }> {
  // One starter at a time, as for the other services: two runs started together start one cluster.
  return withServicesLock(() => startCluster(log));
}

async function startCluster(log: (line: string) => void): Promise<{ brokers: string[]; origin: ClusterOrigin; startedMs: number }> {
  const started = Date.now();
  let origin = clusterOrigin();
  if ((await liveBrokers()) === clusterBrokerIds.length && origin) return { brokers: clusterBrokers, origin, startedMs: 0 };
  origin ??= (await hasDockerEngine()) ? "docker" : "native";
  log(`Starting the three-broker Kafka cluster (${origin === "docker" ? "docker-compose.yml, profile cluster" : "native: one controller, three brokers"}) on ${clusterBrokers.join(",")}…`);
  if (origin === "docker") await compose(["up", "-d", "--wait", ...allNodes().map(composeServiceOf)]);
  else await startNativeCluster(log);
  recordOrigin(origin);
  await waitForBrokers(clusterBrokerIds.length, 120_000);
  const startedMs = Date.now() - started;
  log(`Cluster ready in ${(startedMs / 1000).toFixed(1)} s`);
  return { brokers: clusterBrokers, origin, startedMs };
}

/** Stops the cluster if the kit started it: brokers first (a controlled shutdown needs the controller), then the controller. */
export async function stopCluster(log: (line: string) => void = console.log): Promise<boolean> {
  const origin = clusterOrigin();
  if (!origin) return false;
  log("Stopping the kit's three-broker Kafka cluster…");
  if (origin === "docker") {
    await compose(["rm", "--stop", "--force", "-v", ...allNodes().map(composeServiceOf)]);
  } else {
    await Promise.all(clusterBrokerIds.map((id) => stopNode(id)));
    await stopNode(clusterControllerId);
  }
  rmSync(originFile, { force: true });
  return true;
}

/** How many brokers the cluster's metadata lists as alive right now (0 when none answers). */
export async function liveBrokers(): Promise<number> {
  return (await askLiveBrokers()).count;
}

/**
 * Each broker whose port is open is asked in turn, alone, until one answers: a port opens
 * before its broker serves requests (and a restarted one is busy recovering its logs), so one
 * slow broker must not hide the others. The question names no topic (listed-brokers.ts says
 * why kafkajs cannot ask it). When none answers, `why` says what each one said.
 */
async function askLiveBrokers(): Promise<{ ids: number[]; count: number; why: string }> {
  const reasons: string[] = [];
  for (const broker of clusterBrokers) {
    const [host, port] = splitHostPort(broker);
    try {
      const ids = await listedBrokers(host, Number(port));
      return { ids, count: ids.length, why: "" };
    } catch (error) {
      reasons.push(`${broker}: ${describeError(error)}`);
    }
  }
  return { ids: [], count: 0, why: reasons.join("; ") };
}

/** The node ids of the brokers the cluster lists as alive (unfenced) right now; [] when none answers. */
export async function liveBrokerIds(): Promise<number[]> {
  return (await askLiveBrokers()).ids;
}

/** Waits until the controller lists `count` live (unfenced) brokers. */
export async function waitForBrokers(count: number, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const seen = await askLiveBrokers();
    if (seen.count >= count) return;
    if (Date.now() > deadline) {
      throw new ServiceUnavailable("kafka", `the cluster lists ${seen.count} of ${count} brokers after ${timeoutMs / 1000} s${seen.why ? ` (${seen.why})` : ""}`, [
        `read the nodes' logs in ${clusterHome()}`,
        "start afresh: npm run services:down, then run again",
      ]);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

// ---------------------------------------------------------------------------
// Controlling one node, the same way on both paths.

export interface NodeControl {
  /** SIGKILL: the process dies at once, mid-write, with no controlled shutdown. */
  kill(id: ClusterNodeId): Promise<void>;
  /** SIGSTOP: frozen, connections open, answering nothing — a stalled follower. */
  pause(id: ClusterNodeId): Promise<void>;
  /** SIGCONT: carries on where it stopped. */
  resume(id: ClusterNodeId): Promise<void>;
  /** Starts a killed node again (formatting it first if its disk was wiped). */
  restart(id: ClusterNodeId): Promise<void>;
  /** Deletes a killed node's data directory: it restarts empty. */
  wipe(id: ClusterNodeId): Promise<void>;
  /** Resumes every paused node and restarts every dead one: the cluster as a test expects to find it. */
  heal(): Promise<void>;
  /** Where each node's log is, for an error message. */
  logOf(id: ClusterNodeId): string;
}

export function nodeControl(origin: ClusterOrigin = clusterOrigin() ?? "native"): NodeControl {
  return origin === "docker" ? dockerControl : nativeControl;
}

const nativeControl: NodeControl = {
  async kill(id) {
    signal(id, "SIGKILL");
    const pid = nodePid(id);
    // Until the kernel has reaped it, the pid is still "alive": wait, so a restart starts afresh.
    const deadline = Date.now() + 10_000;
    while (pid && nodePid(id) === pid && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
  },
  async pause(id) {
    signal(id, "SIGSTOP");
  },
  async resume(id) {
    signal(id, "SIGCONT");
  },
  async restart(id) {
    await startNode(id);
  },
  async wipe(id) {
    wipeNode(id);
  },
  async heal() {
    for (const id of allNodes()) {
      const pid = nodePid(id);
      if (pid) process.kill(pid, "SIGCONT");
      else await startNode(id);
    }
    await waitForBrokers(clusterBrokerIds.length);
  },
  logOf: nodeLogFile,
};

function signal(id: ClusterNodeId, name: NodeJS.Signals): void {
  const pid = nodePid(id);
  if (!pid) throw new Error(`cluster node ${id} is not running (no live process): restart it first`);
  process.kill(pid, name);
}

const dockerControl: NodeControl = {
  kill: (id) => compose(["kill", "-s", "SIGKILL", composeServiceOf(id)]).then(() => {}),
  pause: (id) => compose(["pause", composeServiceOf(id)]).then(() => {}),
  resume: (id) => compose(["unpause", composeServiceOf(id)]).then(() => {}),
  // `up` recreates a container removed by wipe(), and starts a killed one.
  restart: (id) => compose(["up", "-d", "--wait", composeServiceOf(id)]).then(() => {}),
  // The container and its anonymous volume go: the next `up` formats a new one with the same cluster id.
  wipe: (id) => compose(["rm", "--force", "-v", composeServiceOf(id)]).then(() => {}),
  async heal() {
    for (const id of allNodes()) await compose(["unpause", composeServiceOf(id)]).catch(() => {}); // fails for a node not paused
    await compose(["up", "-d", "--wait", ...allNodes().map(composeServiceOf)]);
    await waitForBrokers(clusterBrokerIds.length);
  },
  logOf: (id) => `docker compose -p ${composeProjectName} logs ${composeServiceOf(id)}`,
};

function allNodes(): ClusterNodeId[] {
  return [clusterControllerId, ...clusterBrokerIds];
}

async function compose(args: string[]): Promise<string> {
  try {
    const { stdout } = await execFileAsync("docker", ["compose", "-p", composeProjectName, "-f", composeFile, "--profile", "cluster", ...args], { cwd: rootDir, timeout: 180_000 });
    return stdout;
  } catch (error) {
    throw new ServiceUnavailable("kafka", `docker compose ${args.join(" ")} failed: ${describeError(error)}`, [
      `see why: docker compose -p ${composeProjectName} --profile cluster logs`,
    ]);
  }
}

export { brokerAddress, clusterBrokerIds, clusterBrokers, clusterControllerId, type ClusterBrokerId, type ClusterNodeId } from "./cluster-config.ts";
