/**
 * The Docker path (path 3 of the root README's "How the kit finds the services"):
 * docker-compose.yml brought up with the Docker CLI (docker-engine.ts says why not
 * testcontainers' compose environment) and left running between test runs so that watch mode
 * stays instant. testcontainers finds the engine and takes it down.
 *
 * testcontainers is imported lazily: loading it takes about half a second, which the
 * environment and native paths should not pay.
 */
import path from "node:path";
import os from "node:os";
import { existsSync } from "node:fs";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { rootDir, composeFile } from "../harness/paths.ts";
import { composeProjectName, dockerCli, type DockerEngine } from "./docker-engine.ts";
import { composeImages, pullImages, staleServices, staleWarning, waitHealthy } from "./docker-start.ts";
import { kitDatabaseUrl, kitKafkaBrokers, kitRedisUrl } from "./config.ts";
import { ServiceUnavailable } from "./errors.ts";
import { allServices, type ServiceName, type ServiceUrls } from "./types.ts";

const execFileAsync = promisify(execFile);

export { composeProjectName } from "./docker-engine.ts";

/**
 * How long the engine probe may take. A machine with no engine fails in well under a second
 * (no socket: nothing to wait for); this bound is for an engine that accepts the connection and
 * never answers, as a stuck Docker Desktop does. It also covers Node's start and loading
 * testcontainers on a slow laptop, so it must not be tight.
 */
const engineProbeTimeoutMs = 5_000;

/** Generous: Kafka takes a while on a first start, on a loaded laptop, after the images are pulled. */
const healthyTimeoutMs = 180_000;

/** testcontainers' own runtime detection, run in a child Node process (see hasDockerEngine). */
const engineProbeScript =
  'require("testcontainers").getContainerRuntimeClient().then(() => process.exit(0), () => process.exit(1));';

/**
 * True only when a Docker engine answers. Uses testcontainers' own detection (DOCKER_HOST,
 * ~/.testcontainers.properties, the usual sockets), so "yes" here means composeUp can talk to it.
 * `KIT_NO_DOCKER=1` forces the other paths, e.g. to try the native one on a laptop with Docker.
 *
 * The probe runs in a child process because a request to an engine that never answers cannot
 * be cancelled: in this process it would keep Node alive (a CLI would never exit) long after
 * we stopped waiting. A child is simply killed at the deadline.
 */
export async function hasDockerEngine(): Promise<boolean> {
  if (process.env.KIT_NO_DOCKER === "1") return false;
  if (!anyEngineToAsk()) return false;
  try {
    await execFileAsync(process.execPath, ["-e", engineProbeScript], {
      cwd: rootDir, // where node_modules/testcontainers is
      timeout: engineProbeTimeoutMs,
      killSignal: "SIGKILL",
    });
    return true;
  } catch {
    return false; // no engine, an engine that did not answer in time, or no testcontainers
  }
}

export interface ComposeUpOptions {
  log?: (line: string) => void;
  engine?: DockerEngine;
  timeoutMs?: number;
}

/**
 * Starts the workshop's services, or reuses them when they already run, and waits until each
 * one's health check passes. Returns where they listen (the same fixed ports as the native path).
 * `services` limits it to some of them, e.g. when the others come from the environment.
 *
 * In three visible stages (docker-start.ts): pull what is missing, with progress; `compose up`
 * with --no-recreate (a second run finds the containers running and keeps them); wait while
 * watching each container, so one that dies at start fails at once with its last log lines.
 */
export async function composeUp(services: readonly ServiceName[] = allServices, { log = console.error, engine = dockerCli(), timeoutMs = healthyTimeoutMs }: ComposeUpOptions = {}): Promise<ServiceUrls> {
  await pullImages(engine, composeImages(services), { log });
  const stale = await staleServices(engine, services);
  if (stale.length > 0) log(staleWarning(stale));
  const up = await engine.up(services);
  if (!up.ok) {
    throw (await composeMissing(up.output)) ??
      new ServiceUnavailable("services", "`docker compose up` failed", [
        `see what Compose says: docker compose -p ${composeProjectName} up -d`,
        "start afresh: npm run services:down, then npm run services",
      ], up.output);
  }
  log(`Waiting for ${services.join(", ")} to be healthy…`);
  await waitHealthy(engine, services, { log, timeoutMs });
  return { databaseUrl: kitDatabaseUrl, redisUrl: kitRedisUrl, kafkaBrokers: [...kitKafkaBrokers] };
}

/** Stops and removes what composeUp started: containers, network, and their anonymous volumes. */
export async function composeDown(): Promise<void> {
  const { getContainerRuntimeClient } = await import("testcontainers");
  const client = await getContainerRuntimeClient();
  // The services hold nothing worth keeping, so no graceful 10-second wait per container, and
  // the volumes go too (Postgres and Kafka data would otherwise pile up as anonymous volumes).
  await client.compose.down(
    { filePath: rootDir, files: composeFileName(), projectName: composeProjectName },
    { removeVolumes: true, timeout: 1_000 },
  );
}

/**
 * Whether any of the places testcontainers 11 looks for an engine exists (its runtime strategies:
 * DOCKER_HOST, ~/.testcontainers.properties, the Docker sockets; on Windows a named pipe, which
 * cannot be checked this cheaply). When none does, there is nothing to ask: an instant no, with
 * no child process, on CI machines and laptops without Docker.
 */
function anyEngineToAsk(): boolean {
  if (process.platform === "win32" || process.env.DOCKER_HOST) return true;
  const home = os.homedir();
  const xdgRuntimeDir = process.env.XDG_RUNTIME_DIR;
  return [
    path.join(home, ".testcontainers.properties"),
    "/var/run/docker.sock",
    xdgRuntimeDir ? path.join(xdgRuntimeDir, "docker.sock") : undefined,
    path.join(home, ".docker", "run", "docker.sock"),
    path.join(home, ".docker", "desktop", "docker.sock"),
    path.join("/run", "user", String(os.userInfo().uid), "docker.sock"),
  ].some((candidate) => candidate !== undefined && existsSync(candidate));
}

function composeFileName(): string {
  return path.relative(rootDir, composeFile);
}

/**
 * testcontainers runs `docker compose` (Compose v2). Without it the failure reads
 * "'compose' is not a docker command"; say instead what to install.
 */
async function composeMissing(output: string): Promise<Error | undefined> {
  try {
    await execFileAsync("docker", ["compose", "version"], { timeout: 10_000 });
    return undefined;
  } catch {
    return new ServiceUnavailable(
      "services",
      "a Docker engine answers, but Docker Compose v2 (`docker compose`) is missing",
      [
        "install Docker Desktop, or on Linux the docker-compose-plugin package",
        "or run the services without Docker: KIT_NO_DOCKER=1",
      ],
      `docker compose up failed with: ${output}`,
    );
  }
}
