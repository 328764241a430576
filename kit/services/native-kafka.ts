/**
 * The native path's Kafka: a real single-node Apache Kafka (KRaft, broker and controller
 * in one process) run with Java from Apache Kafka's own jars, fetched from Maven Central
 * by Maven. For machines without a Docker engine — CI among them.
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, openSync, readFileSync, writeFileSync, closeSync } from "node:fs";
import path from "node:path";
import { kitDir, stateDir } from "../harness/paths.ts";
import { kafkaVersion, kitKafkaBrokers } from "./config.ts";
import { probeKafka } from "./probe.ts";
import { recordStarted } from "./state.ts";
import { ServiceUnavailable } from "./errors.ts";
import { javaCommand, javaMajorVersion, mavenCommand, mavenVersion, run } from "./tools.ts";
import { classpathEntries } from "./platform.ts";

const nativeDir = path.join(kitDir, "services", "native");

/**
 * Small heap and a simple collector: a test broker starts in seconds and stays well under 1 GiB.
 * docker-compose.yml gives the container's broker the same heap (KAFKA_HEAP_OPTS; compose.test.ts).
 */
export const jvmOptions = ["-Xms128m", "-Xmx768m", "-XX:+UseSerialGC", "-Djava.awt.headless=true"];

export function kafkaStateDir(version = kafkaVersion()): string {
  return path.join(stateDir, "kafka", version);
}

export function kafkaLogFile(version = kafkaVersion()): string {
  return path.join(kafkaStateDir(version), "broker.log");
}

/** Starts the broker, or says precisely what is missing. Resolves when it answers. */
export async function startNativeKafka(log: (line: string) => void = console.error): Promise<string[]> {
  const version = kafkaVersion();
  const java = javaCommand();
  const major = javaMajorVersion(java);
  if (major === undefined || major < 17) {
    throw new ServiceUnavailable(
      "kafka",
      major === undefined ? `no Java found (tried "${java}")` : `Java ${major} found; Apache Kafka ${version} needs Java 17 or newer`,
      ["install a JDK 17+ (e.g. `brew install openjdk@21`, `sudo apt-get install openjdk-17-jdk`, `winget install EclipseAdoptium.Temurin.21.JDK`) or set JAVA_HOME", "or start Docker and run again"],
    );
  }
  const home = kafkaStateDir(version);
  mkdirSync(home, { recursive: true });
  const classpath = await brokerClasspath(version, home, log);
  const dataDir = path.join(home, "data");
  const propertiesFile = writeBrokerProperties(home, dataDir);
  if (!existsSync(path.join(dataDir, "meta.properties"))) {
    await formatStorage(java, classpath, propertiesFile, home, log);
  }

  const logFile = kafkaLogFile(version);
  const consoleFile = path.join(home, "broker.out");
  const out = openSync(consoleFile, "a");
  const startedAt = Date.now();
  log(`Starting Apache Kafka ${version} (native, Java ${major}) on ${kitKafkaBrokers.join(",")}; log: ${logFile}`);
  const broker = spawn(
    java,
    [...jvmOptions, `-Dlog4j2.configurationFile=${path.join(nativeDir, "log4j2.yaml")}`, `-Dkit.logFile=${logFile}`, "-cp", classpath, "kafka.Kafka", propertiesFile],
    { detached: true, stdio: ["ignore", out, out], windowsHide: true },
  );
  closeSync(out);
  let exited: number | null | undefined;
  broker.on("exit", (code) => (exited = code));
  broker.unref();

  const deadline = Date.now() + 120_000;
  for (;;) {
    const probe = await probeKafka(kitKafkaBrokers);
    if (probe.ok) break;
    if (exited !== undefined || Date.now() > deadline) {
      if (exited === undefined) broker.kill();
      throw new ServiceUnavailable("kafka", `the native broker ${exited !== undefined ? `exited with code ${exited}` : "did not answer within 120 s"}`, [
        `read ${logFile} and ${consoleFile}`,
        "`npm run doctor` checks the ports and Java",
      ], tail(consoleFile) || tail(logFile));
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  log(`Kafka ready in ${((Date.now() - startedAt) / 1000).toFixed(1)} s`);
  recordStarted("kafka", { origin: "native", url: kitKafkaBrokers.join(","), pid: broker.pid, logFile, startedAt: new Date().toISOString() });
  return kitKafkaBrokers;
}

/** Kafka's jars, downloaded once into Maven's local repository; the classpath is kept beside the data. */
async function brokerClasspath(version: string, home: string, log: (line: string) => void): Promise<string> {
  const classpathFile = path.join(home, "classpath.txt");
  if (existsSync(classpathFile)) {
    const classpath = readFileSync(classpathFile, "utf8").trim();
    // The jars live in ~/.m2: if someone cleaned it, fetch them again.
    if (classpathEntries(classpath, process.platform).every((jar) => existsSync(jar))) return classpath;
  }
  if (!mavenVersion()) {
    throw new ServiceUnavailable("kafka", "Maven (mvn) is not installed: the native path fetches Apache Kafka's jars with it", [
      "install Maven (`brew install maven`, `sudo apt-get install maven`, `winget install Apache.Maven`)",
      "or start Docker and run again",
    ]);
  }
  log(`Fetching Apache Kafka ${version} from Maven Central (once; about 45 MB)…`);
  const result = await run(mavenCommand(), [
    "-B", "-q", "-f", path.join(nativeDir, "pom.xml"),
    "dependency:build-classpath", `-Dkafka.version=${version}`, `-Dmdep.outputFile=${classpathFile}`,
  ]);
  if (result.code !== 0 || !existsSync(classpathFile)) {
    throw new ServiceUnavailable("kafka", `Maven could not fetch Apache Kafka ${version}`, ["check your network access to Maven Central, then run again"], `${result.stdout}\n${result.stderr}`.trim().slice(-2000));
  }
  return readFileSync(classpathFile, "utf8").trim();
}

function writeBrokerProperties(home: string, dataDir: string): string {
  const template = readFileSync(path.join(nativeDir, "broker.properties"), "utf8");
  // Properties files treat backslashes as escapes: Windows paths need forward slashes.
  const file = path.join(home, "server.properties");
  writeFileSync(file, template.replaceAll("${DATA_DIR}", dataDir.replaceAll("\\", "/")));
  return file;
}

/**
 * A new cluster id in Kafka's Uuid format: 16 random bytes, base64url, no padding. Like Kafka's own
 * Uuid.randomUuid, never one that starts with "-": the storage tool would read it as an option
 * (one id in 64 did, and the broker's first start failed with "expected one argument").
 */
export function newClusterId(random: () => Buffer = () => randomBytes(16)): string {
  for (;;) {
    const id = random().toString("base64url");
    if (!id.startsWith("-")) return id;
  }
}

/** KRaft storage must be formatted once with a cluster id before the first start. */
async function formatStorage(java: string, classpath: string, propertiesFile: string, home: string, log: (line: string) => void): Promise<void> {
  const clusterId = newClusterId();
  log(`Formatting Kafka storage (cluster ${clusterId})…`);
  const result = await run(java, [...jvmOptions, "-cp", classpath, "kafka.tools.StorageTool", "format", "-t", clusterId, "-c", propertiesFile, "--ignore-formatted"], { cwd: home });
  if (result.code !== 0) {
    throw new ServiceUnavailable("kafka", "formatting the Kafka storage failed", [`delete ${path.join(home, "data")} and run again`], `${result.stdout}\n${result.stderr}`.trim().slice(-2000));
  }
}

function tail(file: string, lines = 20): string {
  try {
    return readFileSync(file, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
  } catch {
    return "";
  }
}
