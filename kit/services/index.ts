/**
 * Finds or starts the workshop's services, in the order of the root README's "How the kit
 * finds the services":
 *
 *   1. the environment: DATABASE_URL, REDIS_URL, KAFKA_BROKERS (an instructor's cluster, CI);
 *   2. what the kit started before and is still up (services stay up between runs);
 *   3. a Docker engine: docker-compose.yml, brought up with the `docker` command (docker.ts);
 *   4. native: a Postgres/Redis already listening locally, or started from local binaries,
 *      and a real Kafka broker run from Apache Kafka's jars;
 *   5. otherwise: one ServiceUnavailable error naming what is missing and how to fix it.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { composeUp, hasDockerEngine, stopDockerStack } from "./docker.ts";
import { composeChangedWarning, composeFileHash } from "./docker-start.ts";
import { kitDatabaseUrl, kitKafkaBrokers, kitRedisUrl } from "./config.ts";
import { ServiceUnavailable, serviceTitle } from "./errors.ts";
import { findLocalPostgres, findLocalRedis, startPrivatePostgres, startPrivateRedis } from "./local.ts";
import { startNativeKafka } from "./native-kafka.ts";
import { stopWithoutSignals } from "./stop-windows.ts";
import { probeKafka, probePostgres, probeRedis, redact, type ProbeResult } from "./probe.ts";
import { forgetStarted, isProcessAlive, readStarted, recordStarted, withServicesLock } from "./state.ts";
import { allServices, type FoundService, type ServiceName, type ServiceUrls } from "./types.ts";
import { BadServiceUrl, checkDatabaseUrl, checkRedisUrl, parseKafkaBrokers, servicesFromEnvironment, serviceVariables, type ServiceVariable } from "./urls.ts";

export { ServiceUnavailable } from "./errors.ts";
export { redact } from "./probe.ts";
export { BadServiceUrl } from "./urls.ts";
export type { FoundService, ServiceName, ServiceUrls } from "./types.ts";

type Log = (line: string) => void;

export interface EnsureOptions {
  log?: Log;
  /** Print where each service was found even when nothing had to be started. */
  verbose?: boolean;
}

export async function ensureServices({ log = console.error, verbose = false }: EnsureOptions = {}): Promise<{ urls: ServiceUrls; found: FoundService[] }> {
  return withServicesLock(async () => {
    const found = new Map<ServiceName, FoundService>();
    let startedSomething = false;

    for (const service of await fromEnvironment()) found.set(service.name, service);
    for (const service of await alreadyRunning(missing(found))) found.set(service.name, service);
    // A running container keeps the settings it was created with: say so when the file changed since.
    const changed = composeChangedWarning([...found.values()], readStarted());
    if (changed) log(changed);

    if (missing(found).length > 0 && (await hasDockerEngine())) {
      log("Starting the services with Docker (docker-compose.yml)…");
      const toStart = missing(found);
      const url = (name: ServiceName) => (name === "postgres" ? kitDatabaseUrl : name === "redis" ? kitRedisUrl : kitKafkaBrokers.join(","));
      // Recorded once the containers exist, before the wait that may fail: services:down removes them either way.
      const record = () => {
        const composeHash = composeFileHash();
        for (const name of toStart) recordStarted(name, { origin: "docker", url: url(name), startedAt: new Date().toISOString(), composeHash });
      };
      await composeUp(toStart, { log, onUp: record });
      startedSomething = true;
      for (const name of toStart) found.set(name, { name, url: url(name), origin: "docker" });
    }

    if (!found.has("postgres")) {
      const local = await findLocalPostgres();
      if (!local) startedSomething = true;
      found.set("postgres", { name: "postgres", url: local ?? (await startPrivatePostgres(log)), origin: local ? "local" : "native" });
    }
    if (!found.has("redis")) {
      const local = await findLocalRedis();
      if (!local) startedSomething = true;
      found.set("redis", { name: "redis", url: local ?? (await startPrivateRedis(log)), origin: local ? "local" : "native" });
    }
    if (!found.has("kafka")) {
      startedSomething = true;
      found.set("kafka", { name: "kafka", url: (await startNativeKafka(log)).join(","), origin: "native" });
    }

    const services = allServices.map((name) => found.get(name)!);
    if (verbose || startedSomething) log(describeFound(services));
    return { urls: toUrls(services), found: services };
  });
}

/** Stops what the kit started (never a service you run yourself, nor one from the environment). */
export async function stopServices(log: Log = console.log): Promise<void> {
  await withServicesLock(async () => {
    const started = readStarted();
    const recorded = Object.values(started).some((service) => service?.origin === "docker");
    const stoppedDocker = await stopDockerStack({ recorded, log });
    if (Object.keys(started).length === 0) {
      log(stoppedDocker ? "Stopped." : "The kit has no services running that it started.");
      return;
    }
    for (const name of allServices) {
      const service = started[name];
      if (!service) continue;
      if (service.origin === "native") {
        log(`Stopping the kit's ${serviceTitle(name)}…`);
        if (process.platform === "win32") await stopWithoutSignals(name, service); // no signals there
        // Postgres: SIGINT to the postmaster is pg_ctl's "fast" shutdown, without needing pg_ctl on the PATH.
        else if (name === "postgres" && service.dataDir) await stopProcess(postmasterPid(service.dataDir), "SIGINT");
        else await stopProcess(service.pid);
      }
      forgetStarted(name);
    }
    log("Stopped.");
  });
}

export interface InspectedService {
  name: ServiceName;
  url: string;
  origin: string;
  probe: ProbeResult;
  /** Set when the environment chose it: then only fixing or unsetting that variable helps, not npm run services. */
  variable?: ServiceVariable;
}

/** Where each service would be found right now, without starting anything (for the doctor). A bad variable is a failed probe that says why. */
export async function inspectServices(): Promise<InspectedService[]> {
  const started = readStarted();
  const inspect = async (name: ServiceName, check: (value: string) => string, found: () => Promise<string>, probe: (url: string) => Promise<ProbeResult>): Promise<InspectedService> => {
    const variable = serviceVariables[name];
    const value = process.env[variable];
    if (!value) {
      const url = await found();
      return { name, url, origin: started[name]?.origin ?? "local", probe: await probe(url) };
    }
    try {
      const url = check(value);
      return { name, url, origin: "environment", variable, probe: await probe(url) };
    } catch (error) {
      if (!(error instanceof BadServiceUrl)) throw error;
      return { name, url: value, origin: "environment", variable, probe: { ok: false, reason: error.problem } };
    }
  };
  return [
    await inspect("postgres", checkDatabaseUrl, async () => (await findLocalPostgres()) ?? kitDatabaseUrl, probePostgres),
    await inspect("redis", checkRedisUrl, async () => (await findLocalRedis()) ?? kitRedisUrl, probeRedis),
    await inspect("kafka", (value) => parseKafkaBrokers(value).join(","), async () => kitKafkaBrokers.join(","), (url) => probeKafka(splitBrokers(url))),
  ];
}

// ---------------------------------------------------------------------------

async function fromEnvironment(): Promise<FoundService[]> {
  const found: FoundService[] = [];
  // A malformed variable is refused here, before any driver sees it (and prints it, password and all).
  const given = servicesFromEnvironment();
  const checks: Array<[ServiceName, string, string | undefined, (url: string) => Promise<ProbeResult>]> = [
    ["postgres", "DATABASE_URL", given.databaseUrl, probePostgres],
    ["redis", "REDIS_URL", given.redisUrl, probeRedis],
    ["kafka", "KAFKA_BROKERS", given.kafkaBrokers?.join(","), (url) => probeKafka(splitBrokers(url))],
  ];
  for (const [name, variable, url, probe] of checks) {
    if (!url) continue;
    const result = await probe(url);
    if (!result.ok) {
      throw new ServiceUnavailable(name, `${variable}=${redact(url)} did not answer (${result.reason})`, [
        `check that the service at ${variable} is up and reachable`,
        `or unset ${variable} to let the kit find or start one`,
      ]);
    }
    found.push({ name, url, origin: "environment" });
  }
  return found;
}

/** Services at the kit's own ports: started earlier by the kit (natively or with Docker), still up. */
async function alreadyRunning(names: ServiceName[]): Promise<FoundService[]> {
  const started = readStarted();
  const found: FoundService[] = [];
  for (const name of names) {
    const url = name === "postgres" ? kitDatabaseUrl : name === "redis" ? kitRedisUrl : kitKafkaBrokers.join(",");
    const probe = name === "postgres" ? probePostgres(url) : name === "redis" ? probeRedis(url) : probeKafka(kitKafkaBrokers);
    if ((await probe).ok) {
      const record = started[name];
      found.push({ name, url, origin: record?.origin ?? "local", ...(record?.logFile ? { logFile: record.logFile } : {}) });
    } else if (started[name]) {
      forgetStarted(name); // it was stopped or crashed since: start it again below
    }
  }
  return found;
}

function missing(found: Map<ServiceName, FoundService>): ServiceName[] {
  return allServices.filter((name) => !found.has(name));
}

/** The URLs the tests get, from the services found (or inspected). */
export function toUrls(services: Array<Pick<FoundService, "name" | "url">>): ServiceUrls {
  const url = (name: ServiceName) => services.find((service) => service.name === name)!.url;
  return { databaseUrl: url("postgres"), redisUrl: url("redis"), kafkaBrokers: splitBrokers(url("kafka")) };
}

export function describeFound(services: FoundService[]): string {
  return services.map((service) => `${serviceTitle(service.name)}: ${redact(service.url)} (${service.origin})`).join(" · ");
}

function splitBrokers(list: string): string[] {
  return list.split(",").map((broker) => broker.trim()).filter(Boolean);
}


function postmasterPid(dataDir: string): number | undefined {
  try {
    return Number(readFileSync(path.join(dataDir, "postmaster.pid"), "utf8").split("\n")[0]) || undefined;
  } catch {
    return undefined;
  }
}

async function stopProcess(pid: number | undefined, signal: NodeJS.Signals = "SIGTERM"): Promise<void> {
  if (!isProcessAlive(pid)) return;
  process.kill(pid!, signal);
  const deadline = Date.now() + 30_000;
  while (isProcessAlive(pid) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
  if (isProcessAlive(pid)) process.kill(pid!, "SIGKILL");
}
