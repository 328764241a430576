/**
 * Bringing the compose file up on a room of laptops: pull first with visible progress, then
 * start, then wait while watching each container — a container that dies fails at once, with
 * its last log lines kept in the kit's state folder and shown in the error.
 * Every function takes the engine as an argument, so the tests drive them with a fake one.
 */
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parse } from "yaml";
import { composeFile, stateDir } from "../harness/paths.ts";
import { composeProjectName, type ContainerState, type DockerEngine } from "./docker-engine.ts";
import { ServiceUnavailable } from "./errors.ts";
import type { ServiceName } from "./types.ts";

type Log = (line: string) => void;

/** Where a failed container's last lines are kept: nothing the kit or Compose does removes them. */
export const dockerLogDir = path.join(stateDir, "docker");

/**
 * Docker Hub refused a pull because this address pulled too often (HTTP 429, "toomanyrequests").
 * A ServiceUnavailable, so the commands print its message and fixes without a stack trace.
 */
export class PullRefused extends ServiceUnavailable {
  constructor(readonly image: string, output: string) {
    super(
      "services",
      `Docker Hub refused to send ${image}: too many pulls from this network's address (anonymous pulls are limited per IP address, and everyone at a venue shares one)`,
      [
        "log in to Docker Hub, which raises the limit (a free account will do): `docker login`, then run again",
        "or pull at home before the workshop: `npm run services -- --pull`",
        `or load the images from the instructor's file for this laptop's processor: \`docker load -i ${imagesFile()}\``,
        "or run the services without Docker (Java 17+ and Maven): `KIT_NO_DOCKER=1 npm run services`",
      ],
      output,
    );
  }
}

/**
 * The instructor's images file (README: before the day) for a processor: one file per architecture,
 * since a laptop's engine runs only images of its own. Node's arch names the Docker platform's.
 */
export function imagesFile(arch: string = process.arch): string {
  return `es-kafka-workshop-images-${arch === "arm64" ? "arm64" : "amd64"}.tar`;
}

/** The images of the given services, as the compose file pins them. */
export function composeImages(services: readonly ServiceName[], file = composeFile): string[] {
  const compose = parse(readFileSync(file, "utf8")) as { services?: Record<string, { image?: string }> };
  return services.map((service) => {
    const image = compose.services?.[service]?.image;
    if (!image) throw new Error(`docker-compose.yml: services.${service}.image is missing`);
    return image;
  });
}

/**
 * Pulls the images the engine does not have yet, one at a time, saying which and how big.
 * `force` pulls them all again (the engine then downloads only the layers that changed).
 */
export async function pullImages(engine: DockerEngine, images: readonly string[], { log, force = false }: { log: Log; force?: boolean }): Promise<void> {
  for (const [index, image] of images.entries()) {
    const before = await engine.imageSize(image);
    if (before !== undefined && !force) {
      log(`✓ ${image} is already here (${formatBytes(before)})`);
      continue;
    }
    log(`Pulling ${image} (${index + 1} of ${images.length})…`);
    const result = await engine.pull(image);
    if (!result.ok) {
      if (isRateLimited(result.output)) throw new PullRefused(image, result.output);
      // The command went missing between the engine check and the pull (or a test's fake engine says so).
      if (/spawn \S+ ENOENT/.test(result.output)) {
        throw new ServiceUnavailable("services", "a Docker engine answers, but the `docker` command is not installed", [
          "install the Docker CLI with Compose v2 (Docker Desktop has both; with Podman: the podman-docker package, and docker-compose)",
          "or run the services without Docker (Java 17+ and Maven): `KIT_NO_DOCKER=1 npm run services`",
        ]);
      }
      throw new ServiceUnavailable("services", `Docker could not pull ${image}`, [
        "check the network (a proxy or a captive portal?), then run again: `npm run services -- --pull`",
        "or run the services without Docker (Java 17+ and Maven): `KIT_NO_DOCKER=1 npm run services`",
      ], result.output);
    }
    const after = await engine.imageSize(image);
    log(`✓ ${image} pulled${after === undefined ? "" : ` (${formatBytes(after)})`}`);
  }
}

/** Docker Hub's answer to too many pulls, as the Docker CLI and Podman print it. */
export function isRateLimited(output: string): boolean {
  return /toomanyrequests|pull rate limit|429 Too Many Requests/i.test(output);
}

export interface WaitOptions {
  log: Log;
  timeoutMs: number;
  pollMs?: number;
  /** How often to say what is still starting, so a long first start is not taken for a hang. */
  reportEveryMs?: number;
  logDir?: string;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/**
 * Waits until each service's container is healthy (or running, for one without a health check).
 * Fails at once when one has exited, died or been marked unhealthy, and at the deadline otherwise;
 * either way the failing containers' last log lines are saved under `logDir` and shown.
 */
export async function waitHealthy(engine: DockerEngine, services: readonly ServiceName[], options: WaitOptions): Promise<void> {
  const { log, timeoutMs, pollMs = 500, reportEveryMs = 10_000, logDir = dockerLogDir } = options;
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const started = now();
  let lastReport = started;
  for (;;) {
    const containers = await engine.containers();
    const byService = new Map(containers.map((container) => [container.service, container]));
    const failed = services.map((service) => byService.get(service)).find((container) => container !== undefined && hasFailed(container));
    if (failed) throw await containerFailed(engine, failed, logDir, describeFailure(failed));

    const waiting = services.filter((service) => !isReady(byService.get(service)));
    if (waiting.length === 0) return;
    if (now() - started >= timeoutMs) {
      const stuck = waiting.map((service) => byService.get(service)).find((container) => container !== undefined);
      const reason = `${waiting.join(", ")} did not become healthy within ${Math.round(timeoutMs / 1000)} s`;
      if (stuck) throw await containerFailed(engine, stuck, logDir, reason);
      throw new ServiceUnavailable("services", `${reason}: Compose created no container for ${waiting.join(", ")}`, [
        `see what Compose did: docker compose -p ${composeProjectName} ps --all`,
      ]);
    }
    if (now() - lastReport >= reportEveryMs) {
      lastReport = now();
      log(`  still starting: ${waiting.map((service) => `${service} (${byService.get(service)?.health || byService.get(service)?.state || "not created"})`).join(", ")} · ${Math.round((now() - started) / 1000)} s`);
    }
    await sleep(pollMs);
  }
}

/** The services whose running container was created from another version of the compose file. */
export async function staleServices(engine: DockerEngine, services: readonly string[]): Promise<string[]> {
  const containers = (await engine.containers()).filter((container) => services.includes(container.service));
  if (containers.length === 0) return [];
  const current = await engine.configHashes();
  return containers
    .filter((container) => container.configHash && current[container.service] && container.configHash !== current[container.service])
    .map((container) => container.service);
}

/** The sha256 of docker-compose.yml as it is now: recorded in services.json when Docker starts the stack. */
export function composeFileHash(file = composeFile): string {
  return createHash("sha256").update(readFileSync(file)).digest("hex");
}

/**
 * The warning for services found running that Docker started from another version of the compose
 * file, or undefined. ensureServices asks this on every run that finds the stack up, which asks
 * neither the engine nor Compose (whose `config --hash` older versions lack): the file's hash
 * recorded at the start against the file's hash now. A record without a hash (from a kit before
 * this check) says nothing either way.
 */
export function composeChangedWarning(
  found: ReadonlyArray<{ name: string; origin: string }>,
  records: Partial<Record<string, { origin: string; composeHash?: string }>>,
  currentHash: () => string = composeFileHash,
): string | undefined {
  const fromDocker = found.filter((service) => service.origin === "docker" && records[service.name]?.composeHash);
  if (fromDocker.length === 0) return undefined;
  const now = currentHash();
  const stale = fromDocker.filter((service) => records[service.name]!.composeHash !== now).map((service) => service.name);
  return stale.length > 0 ? staleWarning(stale) : undefined;
}

export function staleWarning(stale: readonly string[]): string {
  return `! docker-compose.yml changed since the ${stale.join(", ")} container${stale.length === 1 ? " was" : "s were"} created, and a running container keeps its old settings.\n    → apply the change: npm run services:down, then npm run services`;
}

function isReady(container: ContainerState | undefined): boolean {
  if (!container || container.state !== "running") return false;
  return container.health === "healthy" || container.health === "";
}

function hasFailed(container: ContainerState): boolean {
  return ["exited", "dead"].includes(container.state) || container.health === "unhealthy";
}

function describeFailure(container: ContainerState): string {
  if (container.health === "unhealthy") return `its health check kept failing`;
  // 137 is SIGKILL: on a container that nothing stopped, the kernel's out-of-memory killer.
  if (container.exitCode === 137) return `its container was killed (exit code 137), most likely out of memory`;
  return `its container stopped at start (exit code ${container.exitCode})`;
}

async function containerFailed(engine: DockerEngine, container: ContainerState, logDir: string, reason: string): Promise<ServiceUnavailable> {
  const output = await engine.logs(container.id, 200).catch(() => "");
  mkdirSync(logDir, { recursive: true });
  const logFile = path.join(logDir, `${container.service}.log`);
  writeFileSync(logFile, output);
  const last = output.trimEnd().split("\n").slice(-20).join("\n");
  const fixes = [
    `its last 200 log lines are in ${logFile}`,
    ...(container.exitCode === 137 ? ["give the Docker VM more memory (2 GiB at least; Docker Desktop: Settings → Resources; `colima start --memory 4`; `podman machine set --memory 4096`)"] : []),
    "start afresh: npm run services:down, then npm run services",
  ];
  return new ServiceUnavailable(container.service as ServiceName, reason, fixes, last ? `Last lines of its log:\n${last}` : "It logged nothing.");
}

export function formatBytes(bytes: number): string {
  if (bytes >= 2 ** 30) return `${(bytes / 2 ** 30).toFixed(1)} GiB`;
  if (bytes >= 2 ** 20) return `${Math.round(bytes / 2 ** 20)} MiB`;
  return `${Math.max(1, Math.round(bytes / 2 ** 10))} KiB`;
}
