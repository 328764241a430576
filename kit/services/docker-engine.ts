/**
 * What the Docker path asks of a Docker engine, as one small interface, and its implementation
 * with the `docker` command-line tool.
 *
 * Why the CLI and not testcontainers' DockerComposeEnvironment.up(): up() shows nothing while it
 * pulls (compose output only under DEBUG), waits only on containers that were running when it
 * listed them (a container that died at start keeps the health status "starting" until the 180 s
 * run out), and then runs `compose down -v`, which removes the dead container's logs with it.
 * The CLI pulls with the attendee's `docker login` and shows progress, follows the active Docker
 * context (Colima, Rancher Desktop, Podman), and leaves a failed container where it is, so the
 * kit can read its logs. "Is there an engine?" is asked of the same CLI (docker.ts), and so is
 * `services:down`, so every step talks to the one engine the attendee's `docker` talks to.
 *
 * The kit's tests drive the Docker path with a fake engine that implements this interface
 * (kit/tests/docker-path.test.ts): no machine here has a Docker engine.
 */
import { execFile, spawn } from "node:child_process";
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { composeFile, rootDir } from "../harness/paths.ts";

/** One container of the compose project, as `docker compose ps` reports it. */
export interface ContainerState {
  service: string;
  id: string;
  /** created, running, restarting, paused, exited, dead. */
  state: string;
  /** starting, healthy, unhealthy; "" when the service has no health check. */
  health: string;
  exitCode: number;
  /** The compose file's configuration this container was created from (its config-hash label). */
  configHash: string;
}

export interface CommandResult {
  ok: boolean;
  /** What the command wrote to stderr (and stdout, where it is not shown live): the reason it failed. */
  output: string;
}

export interface DockerEngine {
  /** The image's size in bytes when the engine has it, undefined when it must be pulled. */
  imageSize(image: string): Promise<number | undefined>;
  /** Pulls an image, showing the engine's own per-layer progress as it goes. */
  pull(image: string): Promise<CommandResult>;
  /** `docker compose up -d --no-recreate`: creates and starts what is missing, waits for nothing. */
  up(services: readonly string[]): Promise<CommandResult>;
  /** The project's containers, running or not. */
  containers(): Promise<ContainerState[]>;
  /** A container's last lines of output (stdout and stderr). */
  logs(id: string, lines: number): Promise<string>;
  /** The configuration hash of each service in the compose file as it is now ({} if Compose cannot say). */
  configHashes(): Promise<Record<string, string>>;
  /** `docker compose down -v`: removes the project's containers, network and anonymous volumes. */
  down(): Promise<CommandResult>;
}

/** The compose file's project name (its top-level `name:`); every command addresses these containers. */
export const composeProjectName = "es-kafka-workshop";

const commandTimeoutMs = 60_000;

/** The engine behind the `docker` command (Docker Desktop, Colima, Rancher Desktop, Podman's docker). */
export function dockerCli(docker = "docker"): DockerEngine {
  const compose = (...args: string[]) => ["compose", "-p", composeProjectName, "-f", composeFile, ...args];
  return {
    async imageSize(image) {
      const result = await capture(docker, ["image", "inspect", "--format", "{{.Size}}", image]);
      const size = Number(result.stdout.trim());
      return result.ok && Number.isFinite(size) && result.stdout.trim() !== "" ? size : undefined;
    },
    pull(image) {
      // stdout is the terminal: docker draws its per-layer progress bars (with sizes) there.
      // stderr is read as well as shown, to recognise why a pull was refused.
      return new Promise((resolve) => {
        let stderr = "";
        const child = spawn(docker, ["pull", image], { cwd: rootDir, stdio: ["ignore", "inherit", "pipe"], windowsHide: true });
        child.stderr.on("data", (chunk: Buffer) => {
          stderr += chunk.toString();
          process.stderr.write(chunk);
        });
        child.on("error", (error) => resolve({ ok: false, output: `${stderr}${error.message}` }));
        child.on("close", (code) => resolve({ ok: code === 0, output: stderr.trim() }));
      });
    },
    async up(services) {
      const result = await capture(docker, compose("up", "-d", "--no-recreate", ...services), 300_000);
      return { ok: result.ok, output: `${result.stdout}\n${result.stderr}`.trim() };
    },
    async containers() {
      const result = await capture(docker, compose("ps", "--all", "--format", "json"));
      return result.ok ? parseComposePs(result.stdout) : [];
    },
    logs(id, lines) {
      return captureInterleaved(docker, ["logs", "--tail", String(lines), id]);
    },
    async configHashes() {
      const result = await capture(docker, compose("config", "--hash", "*"));
      return result.ok ? parseConfigHashes(result.stdout) : {};
    },
    async down() {
      // The services hold nothing worth keeping: no graceful 10-second wait per container, and the
      // volumes go too (Postgres and Kafka data would otherwise pile up as anonymous volumes).
      const result = await capture(docker, compose("down", "-v", "-t", "1"), 120_000);
      return { ok: result.ok, output: `${result.stdout}\n${result.stderr}`.trim() };
    },
  };
}

/**
 * `docker compose ps --format json`: one JSON object per line since Compose 2.21, one JSON array
 * before. Labels come as one "key=value,key=value" string.
 */
export function parseComposePs(stdout: string): ContainerState[] {
  const text = stdout.trim();
  if (!text) return [];
  const rows = (text.startsWith("[") ? [text] : text.split("\n")).flatMap(parseJsonRows);
  return rows.map((row) => ({
    service: String(row.Service ?? ""),
    id: String(row.ID ?? row.Name ?? ""),
    state: String(row.State ?? "").toLowerCase(),
    health: String(row.Health ?? "").toLowerCase(),
    exitCode: Number(row.ExitCode ?? 0),
    configHash: labelValue(String(row.Labels ?? ""), "com.docker.compose.config-hash"),
  }));
}

/**
 * The rows in one line of `ps` output. A line that is not JSON (a warning Compose prints about the
 * file, a newer format's extra line) is skipped: one odd line must not hide the containers' state.
 */
function parseJsonRows(line: string): Array<Record<string, unknown>> {
  if (!line.trim()) return [];
  try {
    const value = JSON.parse(line) as unknown;
    const rows = Array.isArray(value) ? value : [value];
    return rows.filter((row): row is Record<string, unknown> => typeof row === "object" && row !== null);
  } catch {
    return [];
  }
}

/** `docker compose config --hash "*"`: one "service hash" line per service. */
export function parseConfigHashes(stdout: string): Record<string, string> {
  return Object.fromEntries(
    stdout
      .split("\n")
      .map((line) => line.trim().split(/\s+/))
      .filter((parts): parts is [string, string] => parts.length === 2 && /^[0-9a-f]{16,}$/.test(parts[1] ?? "")),
  );
}

function labelValue(labels: string, key: string): string {
  const entry = labels.split(",").find((pair) => pair.startsWith(`${key}=`));
  return entry ? entry.slice(key.length + 1) : "";
}

function capture(command: string, args: string[], timeout = commandTimeoutMs): Promise<{ ok: boolean; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(command, args, { cwd: rootDir, timeout, maxBuffer: 16 * 2 ** 20, windowsHide: true }, (error, stdout, stderr) => {
      resolve({ ok: !error, stdout: String(stdout), stderr: `${String(stderr)}${error && !stderr ? error.message : ""}` });
    });
  });
}

/**
 * A command's stdout and stderr as one text, in the order it wrote them: both go to one file, so a
 * container's last lines (`docker logs` replays its stdout to stdout and its stderr to stderr) read
 * as the container wrote them, not all of one stream and then all of the other.
 */
function captureInterleaved(command: string, args: string[], timeout = commandTimeoutMs): Promise<string> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "kit-docker-logs-"));
  const file = path.join(dir, "output");
  const fd = openSync(file, "w");
  return new Promise<string>((resolve) => {
    const child = spawn(command, args, { cwd: rootDir, stdio: ["ignore", fd, fd], timeout, windowsHide: true });
    let done = false;
    // A command that cannot start (ENOENT) reports "error", and may or may not report "close".
    const finish = (failure = "") => {
      if (done) return;
      done = true;
      closeSync(fd);
      const output = readFileSync(file, "utf8");
      rmSync(dir, { recursive: true, force: true });
      resolve(`${output}${failure}`);
    };
    child.on("error", (error) => finish(error.message));
    child.on("close", () => finish());
  });
}
