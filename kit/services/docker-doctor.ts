/**
 * The doctor's Docker checks. With an engine: are the images pulled (before the workshop, not on
 * the venue's network), is Compose there, do the running containers match the compose file?
 * Without one that the `docker` command reaches: is there an engine it does not look for (Colima,
 * Rancher Desktop, Podman, OrbStack), and which DOCKER_HOST line makes the kit use it? Or does the
 * active Docker context point at an engine that is not running?
 *
 * The places are computed by pure functions of the platform, the home folder and the
 * environment, with path.posix or path.win32, so they are unit-tested on any machine.
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { dockerCli, type DockerEngine } from "./docker-engine.ts";
import { composeImages, staleServices, staleWarning } from "./docker-start.ts";
import { allServices } from "./types.ts";
import type { Check } from "./checkup.ts";

export interface Machine {
  platform: NodeJS.Platform;
  home: string;
  uid?: number;
  xdgRuntimeDir?: string;
  tmpDir?: string;
}

export interface EngineSocket {
  engine: string;
  /** The value for DOCKER_HOST. */
  host: string;
  /** The file (or Windows named pipe) that exists when the engine runs. */
  path: string;
}

/**
 * Where engines other than Docker Desktop and Docker Engine put their API socket. The `docker`
 * command looks only at DOCKER_HOST and the active context (by default /var/run/docker.sock, or
 * the docker_engine pipe on Windows), so it finds none of these unless their context is active.
 */
export function otherEngineSockets(machine: Machine): EngineSocket[] {
  if (machine.platform === "win32") {
    // Podman's machine serves its own pipe; Rancher Desktop (dockerd) and Docker Desktop serve docker_engine.
    return [{ engine: "Podman", path: "\\\\.\\pipe\\podman-machine-default", host: "npipe:////./pipe/podman-machine-default" }];
  }
  const p = path.posix;
  const unix = (engine: string, file: string | undefined): EngineSocket[] => (file ? [{ engine, path: file, host: `unix://${file}` }] : []);
  return [
    ...unix("Colima", p.join(machine.home, ".colima", "default", "docker.sock")),
    ...unix("Colima", p.join(machine.home, ".config", "colima", "default", "docker.sock")),
    ...unix("Rancher Desktop", p.join(machine.home, ".rd", "docker.sock")),
    ...unix("OrbStack", p.join(machine.home, ".orbstack", "run", "docker.sock")),
    // Podman machine on macOS: 5.x puts its API socket in the temp folder, 4.x in its data folder.
    ...unix("Podman", machine.platform === "darwin" && machine.tmpDir ? p.join(machine.tmpDir, "podman", "podman-machine-default-api.sock") : undefined),
    ...unix("Podman", p.join(machine.home, ".local", "share", "containers", "podman", "machine", "podman.sock")),
    ...unix("Podman", p.join(machine.home, ".local", "share", "containers", "podman", "machine", "qemu", "podman.sock")),
    // Podman on Linux: the rootless user service, then the system one.
    ...unix("Podman", machine.platform === "linux" && machine.xdgRuntimeDir ? p.join(machine.xdgRuntimeDir, "podman", "podman.sock") : undefined),
    ...unix("Podman", machine.platform === "linux" ? "/run/podman/podman.sock" : undefined),
  ];
}

/** The line that makes the kit (and the `docker` command) use that engine, in the platform's usual shell. */
export function dockerHostLine(host: string, platform: NodeJS.Platform): string {
  return platform === "win32" ? `$env:DOCKER_HOST = "${host}"` : `export DOCKER_HOST=${host}`;
}

/** `docker context inspect --format "{{.Endpoints.docker.Host}}"`: the active context's engine. */
export function parseContextHost(stdout: string): string | undefined {
  const host = stdout.trim().split("\n")[0]?.trim();
  return host && /^(unix|npipe|tcp|ssh):\/\//.test(host) ? host : undefined;
}

/** Docker's own hosts (Docker Engine, Docker Desktop, rootless Docker): not another engine's. */
export function isDefaultHost(host: string, machine: Machine): boolean {
  const p = path.posix;
  const defaults = [
    "unix:///var/run/docker.sock",
    `unix://${p.join(machine.home, ".docker", "run", "docker.sock")}`,
    `unix://${p.join(machine.home, ".docker", "desktop", "docker.sock")}`,
    ...(machine.xdgRuntimeDir ? [`unix://${p.join(machine.xdgRuntimeDir, "docker.sock")}`] : []),
    ...(machine.uid !== undefined ? [`unix:///run/user/${machine.uid}/docker.sock`] : []),
    "npipe:////./pipe/docker_engine",
  ];
  return defaults.includes(host);
}

export interface DockerCheckDependencies {
  machine?: Machine;
  exists?: (file: string) => boolean;
  contextHost?: () => Promise<string | undefined>;
  engine?: DockerEngine;
  composeAnswers?: () => Promise<boolean>;
  env?: NodeJS.ProcessEnv;
}

export async function dockerChecks(engineAnswers: boolean, dependencies: DockerCheckDependencies = {}): Promise<Check[]> {
  const machine = dependencies.machine ?? thisMachine();
  if (!engineAnswers) return findOtherEngines(machine, dependencies);
  const checks: Check[] = [];
  const composeAnswers = await (dependencies.composeAnswers ?? (() => succeeds("docker", ["compose", "version"])))();
  if (!composeAnswers) {
    checks.push({ level: "fail", what: "Docker Compose v2 (`docker compose`) is missing", fix: "install Docker Desktop, or on Linux the docker-compose-plugin package; or run without Docker: KIT_NO_DOCKER=1" });
    return checks;
  }
  const engine = dependencies.engine ?? dockerCli();
  const images = composeImages(allServices);
  const missing: string[] = [];
  for (const image of images) if ((await engine.imageSize(image)) === undefined) missing.push(image);
  checks.push(
    missing.length === 0
      ? { level: "ok", what: `the images are pulled: ${images.join(", ")}` }
      : { level: "warn", what: `not pulled yet: ${missing.join(", ")}`, fix: "pull them before the workshop, at home: `npm run services -- --pull` (a venue's shared address soon meets Docker Hub's pull limit)" },
  );
  const stale = await staleServices(engine, allServices);
  if (stale.length > 0) {
    const [what = "", fix = ""] = staleWarning(stale).replace(/^! /, "").split("\n    → ");
    checks.push({ level: "warn", what, fix });
  }
  return checks;
}

async function findOtherEngines(machine: Machine, dependencies: DockerCheckDependencies): Promise<Check[]> {
  const exists = dependencies.exists ?? existsSync;
  const env = dependencies.env ?? process.env;
  if (env.DOCKER_HOST || env.KIT_NO_DOCKER === "1") return []; // an engine chosen, or Docker declined on purpose
  const found = otherEngineSockets(machine).filter((socket) => exists(socket.path));
  const context = await (dependencies.contextHost ?? activeContextHost)();
  if (context && !isDefaultHost(context, machine)) {
    // The `docker` command, and so the kit, already follows the active context: if it got no
    // answer, that engine is not running, and a DOCKER_HOST line pointing at it would not help.
    return [{
      level: "warn",
      what: `the active Docker context points at an engine that does not answer (${context})`,
      fix: "start that engine (Colima: `colima start`; Rancher Desktop, OrbStack or Podman Desktop: open it), or go back to Docker's own: `docker context use default`",
    }];
  }
  return found.slice(0, 1).map((socket) => ({
    level: "warn" as const,
    what: `a ${socket.engine} engine is here (${socket.host}), where the \`docker\` command does not look`,
    fix: `to use it, set DOCKER_HOST in this shell (and your shell's profile): ${dockerHostLine(socket.host, machine.platform)}`,
  }));
}

function thisMachine(): Machine {
  return {
    platform: process.platform,
    home: os.homedir(),
    ...(process.platform === "win32" ? {} : { uid: os.userInfo().uid }),
    ...(process.env.XDG_RUNTIME_DIR ? { xdgRuntimeDir: process.env.XDG_RUNTIME_DIR } : {}),
    ...(process.env.TMPDIR ? { tmpDir: process.env.TMPDIR } : {}),
  };
}

async function activeContextHost(): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile("docker", ["context", "inspect", "--format", "{{.Endpoints.docker.Host}}"], { timeout: 5_000, windowsHide: true }, (error, stdout) => {
      resolve(error ? undefined : parseContextHost(String(stdout)));
    });
  });
}

function succeeds(command: string, args: string[]): Promise<boolean> {
  return new Promise((resolve) => {
    execFile(command, args, { timeout: 10_000, windowsHide: true }, (error) => resolve(!error));
  });
}
