/**
 * The Docker path (path 3 of the root README's "How the kit finds the services"):
 * docker-compose.yml brought up with the Docker CLI (docker-engine.ts says why not
 * testcontainers' compose environment) and left running between test runs so that watch mode
 * stays instant. The same CLI answers "is there an engine?" and takes the stack down, so no
 * step can talk to another engine than the others do.
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { composeProjectName, dockerCli, type DockerEngine } from "./docker-engine.ts";
import { composeImages, pullImages, staleServices, staleWarning, waitHealthy } from "./docker-start.ts";
import { kitDatabaseUrl, kitKafkaBrokers, kitRedisUrl } from "./config.ts";
import { ServiceUnavailable } from "./errors.ts";
import { allServices, type ServiceName, type ServiceUrls } from "./types.ts";

const execFileAsync = promisify(execFile);

export { composeProjectName } from "./docker-engine.ts";

/**
 * How long the engine probe may take. A machine with no engine fails at once (no `docker`
 * command, or no socket: nothing to wait for); this bound is for an engine that accepts the
 * connection and never answers, as a stuck Docker Desktop does.
 */
const engineProbeTimeoutMs = 5_000;

/** Generous: Kafka takes a while on a first start, on a loaded laptop, after the images are pulled. */
const healthyTimeoutMs = 180_000;

/**
 * True only when a Docker engine answers the `docker` command: the CLI follows DOCKER_HOST and the
 * active Docker context (Colima, Rancher Desktop, Podman), exactly as the commands that pull,
 * start and stop the stack will. `KIT_NO_DOCKER=1` forces the other paths, e.g. to try the
 * native one on a laptop with Docker.
 *
 * `docker version` prints the server's version only when the engine answered; the timeout kills
 * the CLI when an engine never answers, which would otherwise keep this process waiting.
 */
export async function hasDockerEngine(docker = "docker"): Promise<boolean> {
  if (process.env.KIT_NO_DOCKER === "1") return false;
  try {
    const { stdout } = await execFileAsync(docker, ["version", "--format", "{{.Server.Version}}"], {
      timeout: engineProbeTimeoutMs,
      killSignal: "SIGKILL",
      windowsHide: true,
    });
    return stdout.trim() !== "";
  } catch {
    return false; // no docker command, no engine, or an engine that did not answer in time
  }
}

export interface ComposeUpOptions {
  log?: (line: string) => void;
  engine?: DockerEngine;
  timeoutMs?: number;
  /**
   * Called as soon as `compose up` has created the containers, before waiting for them: from then
   * on there is something for `npm run services:down` to remove, even if the wait fails.
   */
  onUp?: () => void;
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
export async function composeUp(services: readonly ServiceName[] = allServices, { log = console.error, engine = dockerCli(), timeoutMs = healthyTimeoutMs, onUp }: ComposeUpOptions = {}): Promise<ServiceUrls> {
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
  onUp?.();
  log(`Waiting for ${services.join(", ")} to be healthy…`);
  await waitHealthy(engine, services, { log, timeoutMs });
  return { databaseUrl: kitDatabaseUrl, redisUrl: kitRedisUrl, kafkaBrokers: [...kitKafkaBrokers] };
}

/** Stops and removes what composeUp started: containers, network, and their anonymous volumes. */
export async function composeDown(engine: DockerEngine = dockerCli()): Promise<void> {
  const result = await engine.down();
  if (!result.ok) {
    throw new ServiceUnavailable("services", "`docker compose down` failed", [
      `see what Compose says: docker compose -p ${composeProjectName} down -v`,
    ], result.output);
  }
}

export interface StopStackOptions {
  /** Whether services.json records a service the kit started with Docker. */
  recorded: boolean;
  log: (line: string) => void;
  engine?: DockerEngine;
  engineAnswers?: () => Promise<boolean>;
}

/**
 * `npm run services:down`'s Docker part: takes the compose project down when the kit recorded a
 * Docker start, and also when it recorded none but the engine lists a container of the project
 * (a start that failed before it was recorded, a deleted kit/.state): the stack is the kit's by
 * its project name. Returns whether it took the stack down.
 */
export async function stopDockerStack({ recorded, log, engine = dockerCli(), engineAnswers = hasDockerEngine }: StopStackOptions): Promise<boolean> {
  if (!recorded && !((await engineAnswers()) && (await engine.containers()).length > 0)) return false;
  log("Stopping the Docker services (docker-compose.yml)…");
  await composeDown(engine);
  return true;
}

/**
 * The kit runs `docker compose` (Compose v2, the CLI plugin). Without it the failure reads
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
