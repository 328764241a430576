/**
 * The native path's three-broker cluster (step 11): one KRaft controller and three brokers,
 * each its own JVM run from the single broker's jars, each with its own data directory in
 * kit/.state/cluster/<version>/. The brokers hold no controller role, so one whose disk is
 * wiped is formatted again and rejoins from its peers.
 *
 * Each node is a process the kit knows by pid (kit/.state/cluster.json), so tests can kill
 * (SIGKILL), pause (SIGSTOP), resume (SIGCONT), restart and wipe one at an exact point.
 */
import { spawn } from "node:child_process";
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { kitDir, stateDir } from "../harness/paths.ts";
import { clusterBrokerIds, clusterControllerId, clusterPorts, type ClusterNodeId } from "./cluster-config.ts";
import { kafkaVersion } from "./config.ts";
import { ServiceUnavailable } from "./errors.ts";
import { brokerClasspath, kafkaStateDir, newClusterId, requireJava } from "./native-kafka.ts";
import { isPortOpen } from "./probe.ts";
import { isProcessAlive } from "./state.ts";
import { run } from "./tools.ts";

const nativeDir = path.join(kitDir, "services", "native");

/**
 * Small heaps and a simple collector, so the whole cluster stays well under 1.5 GB resident:
 * the controller holds only metadata; a broker's heap is mostly request buffers.
 */
const jvmOptions = {
  controller: ["-Xms32m", "-Xmx192m"],
  broker: ["-Xms64m", "-Xmx320m"],
  common: ["-XX:+UseSerialGC", "-XX:ReservedCodeCacheSize=64m", "-XX:MaxMetaspaceSize=128m", "-Djava.awt.headless=true"],
};

export interface NativeClusterState {
  clusterId: string;
  /** The pid of each node the kit started, by node id. */
  pids: Partial<Record<ClusterNodeId, number>>;
  startedAt: string;
}

const stateFile = path.join(stateDir, "cluster.json");

export function clusterHome(version = kafkaVersion()): string {
  return path.join(stateDir, "cluster", version);
}

function nodeDir(id: ClusterNodeId): string {
  return path.join(clusterHome(), id === clusterControllerId ? "controller" : `broker-${id}`);
}

export function nodeLogFile(id: ClusterNodeId): string {
  return path.join(nodeDir(id), "node.log");
}

export function readClusterState(): NativeClusterState | undefined {
  try {
    return JSON.parse(readFileSync(stateFile, "utf8")) as NativeClusterState;
  } catch {
    return undefined;
  }
}

function writeClusterState(state: NativeClusterState): void {
  mkdirSync(stateDir, { recursive: true });
  writeFileSync(stateFile, JSON.stringify(state, null, 2) + "\n");
}

export function forgetClusterState(): void {
  rmSync(stateFile, { force: true });
}

/** The cluster id, made once and kept: every node, and a wiped broker formatted again, must share it. */
function clusterId(): string {
  const file = path.join(clusterHome(), "cluster-id");
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  mkdirSync(clusterHome(), { recursive: true });
  const id = newClusterId();
  writeFileSync(file, id + "\n");
  return id;
}

export function nodePid(id: ClusterNodeId): number | undefined {
  const pid = readClusterState()?.pids[id];
  return isProcessAlive(pid) ? pid : undefined;
}

/** Starts every node that is not running (all four on a first start). */
export async function startNativeCluster(log: (line: string) => void): Promise<void> {
  const version = kafkaVersion();
  requireJava(version);
  const nodes = ([clusterControllerId, ...clusterBrokerIds] as ClusterNodeId[]).filter((id) => !nodePid(id));
  if (nodes.length === 0) return;
  // Fetched once here (on a cold machine), not by each of the four formats below at once.
  await brokerClasspath(version, kafkaStateDir(version), log);
  // Formatting is a JVM start per node: on a first start, the four run side by side.
  await Promise.all(nodes.map((id) => formatIfNeeded(id, log)));
  // The controller first (the brokers register with it), then the three brokers side by side.
  if (nodes.includes(clusterControllerId)) await startNode(clusterControllerId, log);
  await Promise.all(nodes.filter((id) => id !== clusterControllerId).map((id) => startNode(id, log)));
}

/** Starts one node (after a kill, or a wipe): formats its storage first if it has none. */
export async function startNode(id: ClusterNodeId, log: (line: string) => void = () => {}): Promise<number> {
  const running = nodePid(id);
  if (running) return running;
  const version = kafkaVersion();
  const { java } = requireJava(version);
  const classpath = await brokerClasspath(version, kafkaStateDir(version), log);
  await formatIfNeeded(id, log);
  const dir = nodeDir(id);
  const port = id === clusterControllerId ? clusterPorts.controller : clusterPorts.brokers[(clusterBrokerIds as readonly number[]).indexOf(id)]!;
  const consoleFile = path.join(dir, "node.out");
  const out = openSync(consoleFile, "a");
  const node = spawn(
    java,
    [
      ...(id === clusterControllerId ? jvmOptions.controller : jvmOptions.broker),
      ...jvmOptions.common,
      `-Dlog4j2.configurationFile=${path.join(nativeDir, "log4j2.yaml")}`,
      `-Dkit.logFile=${nodeLogFile(id)}`,
      "-cp",
      classpath,
      "kafka.Kafka",
      propertiesFile(id),
    ],
    { detached: true, stdio: ["ignore", out, out], windowsHide: true },
  );
  closeSync(out);
  let exited: number | null | undefined;
  node.on("exit", (code) => (exited = code));
  node.unref();
  const state = readClusterState() ?? { clusterId: clusterId(), pids: {}, startedAt: new Date().toISOString() };
  writeClusterState({ ...state, pids: { ...state.pids, [id]: node.pid } });

  const deadline = Date.now() + 120_000;
  while (!(await isPortOpen("127.0.0.1", port))) {
    if (exited !== undefined || Date.now() > deadline) {
      if (exited === undefined) node.kill("SIGKILL");
      throw new ServiceUnavailable("kafka", `cluster node ${id} ${exited !== undefined ? `exited with code ${exited}` : "did not listen within 120 s"}`, [
        `read ${nodeLogFile(id)} and ${consoleFile}`,
        `start afresh: npm run services:down, delete ${clusterHome()}, then run again`,
      ], tail(consoleFile) || tail(nodeLogFile(id)));
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return node.pid!;
}

/** SIGTERM (a controlled shutdown), SIGKILL if it takes longer than `graceMs`. */
export async function stopNode(id: ClusterNodeId, graceMs = 15_000): Promise<void> {
  const pid = nodePid(id);
  if (!pid) return;
  process.kill(pid, "SIGCONT"); // a paused node cannot handle SIGTERM
  process.kill(pid, "SIGTERM");
  const deadline = Date.now() + graceMs;
  while (isProcessAlive(pid) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
  if (isProcessAlive(pid)) process.kill(pid, "SIGKILL");
}

/** Deletes a stopped broker's data directory: the next start formats it again, empty. */
export function wipeNode(id: ClusterNodeId): void {
  if (nodePid(id)) throw new Error(`cluster node ${id} is running: kill it before wiping its disk`);
  rmSync(path.join(nodeDir(id), "data"), { recursive: true, force: true });
}

function propertiesFile(id: ClusterNodeId): string {
  return path.join(nodeDir(id), "server.properties");
}

/** Writes the node's properties from the template, and formats its storage when it has none. */
async function formatIfNeeded(id: ClusterNodeId, log: (line: string) => void): Promise<void> {
  const dir = nodeDir(id);
  const dataDir = path.join(dir, "data");
  mkdirSync(dir, { recursive: true });
  const isController = id === clusterControllerId;
  const index = (clusterBrokerIds as readonly number[]).indexOf(id);
  const values: Record<string, string> = {
    NODE_ID: String(id),
    QUORUM_VOTERS: `${clusterControllerId}@127.0.0.1:${clusterPorts.controller}`,
    CONTROLLER_PORT: String(clusterPorts.controller),
    PORT: String(clusterPorts.brokers[index] ?? ""),
    INTERNAL_PORT: String(clusterPorts.internal[index] ?? ""),
    // Properties files treat backslashes as escapes: Windows paths need forward slashes.
    DATA_DIR: dataDir.replaceAll("\\", "/"),
  };
  const template = readFileSync(path.join(nativeDir, isController ? "cluster-controller.properties" : "cluster-broker.properties"), "utf8");
  writeFileSync(propertiesFile(id), template.replace(/\$\{([A-Z_]+)\}/g, (_, key: string) => values[key] ?? ""));
  if (existsSync(path.join(dataDir, "meta.properties"))) return;

  const version = kafkaVersion();
  const { java } = requireJava(version);
  const classpath = await brokerClasspath(version, kafkaStateDir(version), log);
  const result = await run(java, ["-Xmx128m", "-XX:+UseSerialGC", "-cp", classpath, "kafka.tools.StorageTool", "format", "-t", clusterId(), "-c", propertiesFile(id), "--ignore-formatted"], { cwd: dir });
  if (result.code !== 0) {
    throw new ServiceUnavailable("kafka", `formatting cluster node ${id}'s storage failed`, [`delete ${dataDir} and run again`], `${result.stdout}\n${result.stderr}`.trim().slice(-2000));
  }
}

function tail(file: string, lines = 20): string {
  try {
    return readFileSync(file, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
  } catch {
    return "";
  }
}
