/**
 * The machine check behind `npm run doctor` and the hub's doctor page: each check says what
 * it found and, when something is wrong, the fix. It starts nothing.
 */
import { existsSync, statfsSync } from "node:fs";
import { hasDockerEngine } from "./docker.ts";
import { inspectServices, redact } from "./index.ts";
import { kafkaVersion, kitPorts } from "./config.ts";
import { serviceTitle } from "./errors.ts";
import { kafkaLogFile } from "./native-kafka.ts";
import { isPortOpen } from "./probe.ts";
import { readStarted } from "./state.ts";
import { javaMajorVersion, mavenVersion } from "./tools.ts";
import { nodeCheck } from "./node-version.ts";
import { dockerChecks } from "./docker-doctor.ts";
import { identifyKafka, judgeKafka, kitClusterIds } from "./kafka-identity.ts";
import { rootDir } from "../harness/paths.ts";

export type CheckLevel = "ok" | "warn" | "fail";

export interface Check {
  level: CheckLevel;
  what: string;
  fix?: string;
}

/** The fix when a service set in the environment does not answer: `npm run services` cannot help there. */
export function unusableVariableFix(variable: string, title: string): string {
  return `fix ${variable} (is the service up, is the address right?), or unset it to let the kit find or start ${title}; npm run services does not replace a service the environment names`;
}

export async function checkMachine(): Promise<Check[]> {
  const checks: Check[] = [];
  const report = (level: CheckLevel, what: string, fix?: string) => checks.push({ level, what, ...(fix ? { fix } : {}) });

  checks.push(nodeCheck()); // package.json's engines.node, which the dependencies' own requirements keep true
  report(existsSync(`${rootDir}/node_modules/vitest`) ? "ok" : "fail", "dependencies installed", existsSync(`${rootDir}/node_modules/vitest`) ? undefined : "run `npm install`");

  const environment = ["DATABASE_URL", "REDIS_URL", "KAFKA_BROKERS"].filter((name) => process.env[name]);
  if (environment.length > 0) report("ok", `services from the environment: ${environment.join(", ")}`);

  const docker = await hasDockerEngine();
  const java = javaMajorVersion();
  const maven = mavenVersion();
  const version = kafkaVersion();
  const nativeKafkaReady = java !== undefined && java >= 17 && maven !== undefined;
  report(docker ? "ok" : "warn", docker ? "Docker engine answers: the kit will use docker-compose.yml" : "no Docker engine: the kit will use the native path", docker ? undefined : "that is fine if Java 17+ and Maven are installed (below); or start Docker Desktop / the docker service");
  checks.push(...(await dockerChecks(docker))); // images pulled, compose file applied; or an engine the kit does not look for
  if (!docker && !process.env.KAFKA_BROKERS) {
    report(java !== undefined && java >= 17 ? "ok" : "fail", java === undefined ? "Java: not found" : `Java ${java}`, java !== undefined && java >= 17 ? undefined : "install a JDK 17+ (`brew install openjdk@21`, `sudo apt-get install openjdk-17-jdk`, `winget install EclipseAdoptium.Temurin.21.JDK`) or set JAVA_HOME");
    report(maven ? "ok" : "fail", maven ? `Maven ${maven}` : "Maven: not found", maven ? undefined : "install Maven (`brew install maven`, `sudo apt-get install maven`, `winget install Apache.Maven`)");
    if (nativeKafkaReady) report("ok", `the native path can run Apache Kafka ${version} from Maven Central's jars`);
  }

  const services = await inspectServices();
  const started = readStarted();
  for (const service of services) {
    const title = serviceTitle(service.name);
    if (service.probe.ok) {
      const log = started[service.name]?.logFile;
      report("ok", `${title} answers at ${redact(service.url)} (${service.origin}): ${service.probe.detail}${log ? `\n    log: ${log}` : ""}`);
    } else if (service.variable) {
      // The environment chose this service, so the kit will not look elsewhere: every run fails until the variable changes.
      report("fail", `${title} from ${service.variable}=${redact(service.url)} does not answer: ${service.probe.reason}`, unusableVariableFix(service.variable, title));
    } else {
      report("warn", `${title} is not running at ${redact(service.url)}: ${service.probe.reason}`, "`npm run services` starts it (so do `npm test` and `npm run step`)");
    }
  }

  const kafka = services.find((service) => service.name === "kafka");
  if (kafka?.probe.ok && kafka.origin !== "environment") {
    const identity = await identifyKafka(kafka.url.split(","));
    if (identity) checks.push(judgeKafka(kafka.url, identity, kitClusterIds()));
  }

  for (const [name, port] of Object.entries(kitPorts)) {
    const used = await isPortOpen("127.0.0.1", port);
    const ours = services.some((service) => service.probe.ok && service.url.includes(`:${port}`)) || (name === "kafkaController" && services.some((service) => service.name === "kafka" && service.probe.ok));
    if (used && !ours) report("fail", `port ${port} (the kit's ${name}) is taken by another program`, `stop what listens on 127.0.0.1:${port} (\`lsof -i :${port}\` or \`netstat -ano | findstr ${port}\` finds it)`);
  }
  const kafkaDown = !services.find((service) => service.name === "kafka")?.probe.ok;
  if (kafkaDown && !docker && existsSync(kafkaLogFile(version))) report("warn", `the native broker last logged to ${kafkaLogFile(version)}`);

  try {
    const { bavail, bsize } = statfsSync(rootDir);
    const freeGiB = (bavail * bsize) / 2 ** 30;
    report(freeGiB > 2 ? "ok" : "warn", `${freeGiB.toFixed(1)} GiB free on the kit's disk`, freeGiB > 2 ? undefined : "free some disk space: Kafka, Docker images and the replay steps need a few GiB");
  } catch {
    // statfs is not everywhere; the disk check is a nicety.
  }
  return checks;
}
