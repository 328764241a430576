/**
 * The doctor's Docker and Kafka checks: the sockets of engines the `docker` command does not look for
 * (computed per platform, so checked here for macOS, Linux and Windows alike), the DOCKER_HOST
 * line for each shell, images not pulled yet, a compose file changed under running containers,
 * and a Kafka on the kit's port that the kit did not start.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, inject, test } from "vitest";
import { composeFile } from "../harness/paths.ts";
import type { ContainerState, DockerEngine } from "../services/docker-engine.ts";
import { dockerChecks, dockerHostLine, isDefaultHost, otherEngineSockets, parseContextHost, type Machine } from "../services/docker-doctor.ts";
import { composeImages } from "../services/docker-start.ts";
import { identifyKafka, judgeKafka, kitClusterIds } from "../services/kafka-identity.ts";

const mac: Machine = { platform: "darwin", home: "/Users/ada", uid: 501, tmpDir: "/var/folders/xy/T" };
const linux: Machine = { platform: "linux", home: "/home/ada", uid: 1000, xdgRuntimeDir: "/run/user/1000" };
const windows: Machine = { platform: "win32", home: "C:\\Users\\Ada Lovelace" };
const noEnv = { env: {} };

describe("engines the kit does not find by itself", () => {
  test("macOS: Colima, Rancher Desktop, OrbStack and Podman's sockets", () => {
    expect(otherEngineSockets(mac).map((socket) => `${socket.engine}: ${socket.host}`)).toEqual([
      "Colima: unix:///Users/ada/.colima/default/docker.sock",
      "Colima: unix:///Users/ada/.config/colima/default/docker.sock",
      "Rancher Desktop: unix:///Users/ada/.rd/docker.sock",
      "OrbStack: unix:///Users/ada/.orbstack/run/docker.sock",
      "Podman: unix:///var/folders/xy/T/podman/podman-machine-default-api.sock",
      "Podman: unix:///Users/ada/.local/share/containers/podman/machine/podman.sock",
      "Podman: unix:///Users/ada/.local/share/containers/podman/machine/qemu/podman.sock",
    ]);
  });

  test("Linux: the same, and Podman's rootless and system services", () => {
    expect(otherEngineSockets(linux).map((socket) => socket.path).slice(-2)).toEqual(["/run/user/1000/podman/podman.sock", "/run/podman/podman.sock"]);
  });

  test("Windows: Podman's named pipe (Docker Desktop and Rancher Desktop serve docker_engine, Docker's own pipe)", () => {
    expect(otherEngineSockets(windows)).toEqual([{ engine: "Podman", path: "\\\\.\\pipe\\podman-machine-default", host: "npipe:////./pipe/podman-machine-default" }]);
  });

  test("the DOCKER_HOST line in each platform's shell", () => {
    expect(dockerHostLine("unix:///Users/ada/.colima/default/docker.sock", "darwin")).toBe("export DOCKER_HOST=unix:///Users/ada/.colima/default/docker.sock");
    expect(dockerHostLine("npipe:////./pipe/podman-machine-default", "win32")).toBe('$env:DOCKER_HOST = "npipe:////./pipe/podman-machine-default"');
  });

  test("reads the active Docker context's endpoint, and knows Docker's own", () => {
    expect(parseContextHost("unix:///Users/ada/.colima/default/docker.sock\n")).toBe("unix:///Users/ada/.colima/default/docker.sock");
    expect(parseContextHost("\n")).toBeUndefined();
    expect(isDefaultHost("unix:///var/run/docker.sock", mac)).toBe(true);
    expect(isDefaultHost("unix:///Users/ada/.docker/run/docker.sock", mac)).toBe(true);
    expect(isDefaultHost("unix:///Users/ada/.colima/default/docker.sock", mac)).toBe(false);
  });

  test("no engine found, but Colima's socket is there: the doctor prints the line to set", async () => {
    const checks = await dockerChecks(false, {
      ...noEnv,
      machine: mac,
      exists: (file) => file === "/Users/ada/.colima/default/docker.sock",
      contextHost: async () => undefined,
    });
    expect(checks).toEqual([
      {
        level: "warn",
        what: "a Colima engine is here (unix:///Users/ada/.colima/default/docker.sock), where the `docker` command does not look",
        fix: "to use it, set DOCKER_HOST in this shell (and your shell's profile): export DOCKER_HOST=unix:///Users/ada/.colima/default/docker.sock",
      },
    ]);
  });

  test("the active context names an engine elsewhere: the kit follows it, so that engine is not running", async () => {
    const checks = await dockerChecks(false, { ...noEnv, machine: linux, exists: () => true, contextHost: async () => "unix:///home/ada/.lima/docker/sock/docker.sock" });
    expect(checks).toEqual([
      {
        level: "warn",
        what: "the active Docker context points at an engine that does not answer (unix:///home/ada/.lima/docker/sock/docker.sock)",
        fix: "start that engine (Colima: `colima start`; Rancher Desktop, OrbStack or Podman Desktop: open it), or go back to Docker's own: `docker context use default`",
      },
    ]);
  });

  test("nothing anywhere, or DOCKER_HOST already set: nothing to add", async () => {
    expect(await dockerChecks(false, { ...noEnv, machine: mac, exists: () => false, contextHost: async () => "unix:///var/run/docker.sock" })).toEqual([]);
    expect(await dockerChecks(false, { env: { DOCKER_HOST: "unix:///x.sock" }, machine: mac, exists: () => true, contextHost: async () => undefined })).toEqual([]);
  });
});

describe("with an engine", () => {
  const images = composeImages(["postgres", "redis", "kafka"]);
  const engine = (present: string[], containers: ContainerState[] = [], hashes: Record<string, string> = {}): DockerEngine => ({
    imageSize: async (image) => (present.includes(image) ? 1 : undefined),
    pull: async () => ({ ok: true, output: "" }),
    up: async () => ({ ok: true, output: "" }),
    containers: async () => containers,
    logs: async () => "",
    configHashes: async () => hashes,
    down: async () => ({ ok: true, output: "" }),
  });

  test("images not pulled yet: pull them before the workshop", async () => {
    const checks = await dockerChecks(true, { engine: engine([images[0]!]), composeAnswers: async () => true });
    expect(checks).toEqual([
      {
        level: "warn",
        what: `not pulled yet: ${images[1]}, ${images[2]}`,
        fix: "pull them before the workshop, at home: `npm run services -- --pull` (a venue's shared address soon meets Docker Hub's pull limit)",
      },
    ]);
  });

  test("all pulled, and a container older than the compose file", async () => {
    const kafka: ContainerState = { service: "kafka", id: "k", state: "running", health: "healthy", exitCode: 0, configHash: "old" };
    const checks = await dockerChecks(true, { engine: engine(images, [kafka], { kafka: "new" }), composeAnswers: async () => true });
    expect(checks).toEqual([
      { level: "ok", what: `the images are pulled: ${images.join(", ")}` },
      {
        level: "warn",
        what: "docker-compose.yml changed since the kafka container was created, and a running container keeps its old settings.",
        fix: "apply the change: npm run services:down, then npm run services",
      },
    ]);
  });

  test("no Compose v2: say what to install", async () => {
    const checks = await dockerChecks(true, { engine: engine(images), composeAnswers: async () => false });
    expect(checks.map((check) => check.level)).toEqual(["fail"]);
    expect(checks[0]?.what).toBe("Docker Compose v2 (`docker compose`) is missing");
  });
});

describe("a Kafka on the kit's port that the kit did not start", () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  test("the kit's cluster ids: the compose file's, and each native broker's storage", () => {
    const states = mkdtempSync(path.join(os.tmpdir(), "kit-kafka-"));
    dirs.push(states);
    mkdirSync(path.join(states, "4.4.0", "data"), { recursive: true });
    writeFileSync(path.join(states, "4.4.0", "data", "meta.properties"), "#\nnode.id=1\ncluster.id=nativeClusterId123\nversion=1\n");
    expect(kitClusterIds(composeFile, states)).toEqual(["hDjjU3yvaPc7j3UdkUDhQw", "nativeClusterId123"]);
  });

  test("the kit's own broker is named as such; another is a warning with the fix", () => {
    expect(judgeKafka("127.0.0.1:19092", { clusterId: "abc", brokers: 1 }, ["abc"])).toEqual({ level: "ok", what: "the Kafka at 127.0.0.1:19092 is the kit's own (cluster id abc, 1 broker)" });
    expect(judgeKafka("127.0.0.1:19092", { clusterId: "redpanda.42", brokers: 3 }, ["abc"])).toEqual({
      level: "warn",
      what: "the Kafka at 127.0.0.1:19092 was not started by this kit (cluster id redpanda.42, 3 brokers): another Kafka-compatible server on the kit's port, which the kit would use as it is",
      fix: "if it is left over from something else, stop it (`lsof -i :19092`, or `netstat -ano | findstr 19092` on Windows, finds it) and the kit starts its own; to use it on purpose, set KAFKA_BROKERS=127.0.0.1:19092",
    });
  });

  test("identifies a real broker by its cluster id, and nothing where nothing listens", async () => {
    const identity = await identifyKafka(inject("services").kafkaBrokers);
    expect(identity?.clusterId).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(identity?.brokers).toBe(1);
    expect(await identifyKafka(["127.0.0.1:1"])).toBeUndefined();
  });
});
