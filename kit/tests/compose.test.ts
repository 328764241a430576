/**
 * docker-compose.yml, checked by construction: no Docker engine needed. What an attendee's laptop
 * would otherwise find out at the worst moment (a moving image tag, a port that clashes or is
 * open to the network, a service with no health check to wait on) fails here instead.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, inject, test } from "vitest";
import { parse } from "yaml";
import { composeFile, rootDir } from "../harness/paths.ts";
import { kitDatabaseUrl, kitKafkaBrokers, kitPorts } from "../services/config.ts";
import { composeProjectName } from "../services/docker.ts";
import { jvmOptions } from "../services/native-kafka.ts";

interface ComposeService {
  image?: string;
  ports?: Array<string | { host_ip?: string; published?: string | number; target?: number }>;
  environment?: Record<string, string | number | boolean | null> | string[];
  healthcheck?: { test?: string | string[]; disable?: boolean; interval?: string };
}
interface ComposeFile {
  name?: string;
  services: Record<string, ComposeService>;
}

const composeText = readFileSync(composeFile, "utf8");
const compose = parse(composeText) as ComposeFile;
const services = Object.entries(compose.services);

/** A service's environment as a map, whichever of the two Compose syntaxes the file uses. */
function environmentOf(service: ComposeService): Record<string, string> {
  const env = service.environment ?? {};
  if (Array.isArray(env)) {
    return Object.fromEntries(
      env.map((entry) => (entry.includes("=") ? [entry.slice(0, entry.indexOf("=")), entry.slice(entry.indexOf("=") + 1)] : [entry, ""])),
    );
  }
  return Object.fromEntries(Object.entries(env).map(([key, value]) => [key, String(value ?? "")]));
}

/** Each published port as host IP, host port and container port, from the short or the long syntax. */
function publishedPorts(service: ComposeService): Array<{ hostIp: string; hostPort: number; containerPort: number }> {
  return (service.ports ?? []).map((port) => {
    if (typeof port !== "string") {
      return { hostIp: port.host_ip ?? "", hostPort: Number(port.published), containerPort: Number(port.target) };
    }
    // "127.0.0.1:15432:5432" — with fewer parts there is no host IP (all interfaces), or no host port.
    const parts = port.replace(/\/(tcp|udp)$/, "").split(":");
    if (parts.length !== 3) return { hostIp: "", hostPort: Number(parts.at(-2)), containerPort: Number(parts.at(-1)) };
    return { hostIp: parts[0] ?? "", hostPort: Number(parts[1]), containerPort: Number(parts[2]) };
  });
}

describe("docker-compose.yml", () => {
  test("declares exactly the kit's three services, under the fixed project name docker.ts uses", () => {
    expect(Object.keys(compose.services).sort()).toEqual(["kafka", "postgres", "redis"]);
    expect(compose.name).toBe(composeProjectName);
  });

  test.each(services)("%s: its image is pinned to an exact version", (_name, service) => {
    expect(service.image).toBeDefined();
    expect(service.image).not.toMatch(/:latest$/);
    // A digit-dotted tag (17.10, 7.4.10): never a moving one like "17" or "7-alpine".
    expect(service.image).toMatch(/^[a-z0-9][a-z0-9./_-]*:\d+(\.\d+)+$/);
  });

  test.each(services)("%s: every published port is on 127.0.0.1 and off the default ports", (_name, service) => {
    const ports = publishedPorts(service);
    expect(ports.length).toBeGreaterThan(0);
    for (const port of ports) {
      expect(port.hostIp, "reachable from this machine only").toBe("127.0.0.1");
      expect([5432, 6379, 9092], "not a port people's own services already use").not.toContain(port.hostPort);
    }
  });

  test("publishes each service on the kit's port, the one the native path uses too (config.ts)", () => {
    const hostPorts = (name: string) => publishedPorts(compose.services[name] ?? {}).map((port) => port.hostPort);
    expect(hostPorts("postgres")).toEqual([kitPorts.postgres]);
    expect(hostPorts("redis")).toEqual([kitPorts.redis]);
    expect(hostPorts("kafka")).toEqual([kitPorts.kafka]);
  });

  test.each(services)("%s: has a health check to wait on", (_name, service) => {
    expect(service.healthcheck?.disable).not.toBe(true);
    expect(service.healthcheck?.test?.length).toBeGreaterThan(0);
  });

  test("Postgres: the credentials are the ones in the kit's DATABASE_URL", () => {
    const env = environmentOf(compose.services.postgres ?? {});
    const url = new URL(kitDatabaseUrl);
    expect(env.POSTGRES_USER).toBe(url.username);
    expect(env.POSTGRES_PASSWORD).toBe(url.password);
    expect(env.POSTGRES_DB).toBe(url.pathname.slice(1));
  });

  test("Kafka: the apache/kafka image at an X.Y.Z version (the native path downloads the same)", () => {
    expect(compose.services.kafka?.image).toMatch(/^apache\/kafka:\d+\.\d+\.\d+$/);
    // The native path reads the version from this exact line.
    expect(composeText).toMatch(/^\s*image: apache\/kafka:\d+\.\d+\.\d+\s*$/m);
  });

  test("Kafka: KRaft combined mode, no ZooKeeper anywhere", () => {
    const env = environmentOf(compose.services.kafka ?? {});
    const roles = (env.KAFKA_PROCESS_ROLES ?? "").split(",").map((role) => role.trim());
    expect(roles).toContain("broker");
    expect(roles).toContain("controller");
    expect(env.KAFKA_CONTROLLER_QUORUM_VOTERS).toBeDefined();
    for (const [name, service] of services) {
      expect(service.image, name).not.toMatch(/zookeeper/i);
      expect(Object.keys(environmentOf(service)).filter((key) => /ZOOKEEPER/i.test(key)), name).toEqual([]);
    }
  });

  test("Kafka: clients on the host reach the broker at the address it advertises", () => {
    const env = environmentOf(compose.services.kafka ?? {});
    expect(env.KAFKA_ADVERTISED_LISTENERS).toBe(`PLAINTEXT://${kitKafkaBrokers.join(",")}`);
  });

  test("Kafka: the broker's heap is the native broker's, not the image's 1 GiB", () => {
    const env = environmentOf(compose.services.kafka ?? {});
    const heap = jvmOptions.filter((option) => /^-Xm[sx]/.test(option));
    expect(heap).toEqual(["-Xms128m", "-Xmx768m"]);
    expect(env.KAFKA_HEAP_OPTS).toBe(heap.join(" "));
  });

  test("the images are the pinned patch releases the README names (versions table, the instructor's images file)", () => {
    const readme = readFileSync(path.join(rootDir, "README.md"), "utf8");
    const tag = (name: string) => compose.services[name]?.image?.split(":")[1];
    expect([tag("postgres"), tag("redis")]).toEqual(["17.10", "7.4.10"]);
    expect(readme).toContain(`| PostgreSQL / Redis (Docker) | ${tag("postgres")} / ${tag("redis")} |`);
    // The instructor's images files hold exactly the images the compose file pins, one file per architecture.
    const images = ["postgres", "redis", "kafka"].map((name) => compose.services[name]?.image).join(" ");
    expect(readme).toContain(`images="${images}"`);
    expect(readme).toContain("for arch in amd64 arm64; do");
    expect(readme).toContain("docker pull --platform linux/$arch $image");
    expect(readme).toContain("docker save $images -o es-kafka-workshop-images-$arch.tar");
    for (const arch of ["amd64", "arm64"]) expect(readme).toContain(`docker load -i es-kafka-workshop-images-${arch}.tar`);
  });

  describe("Kafka's health check", () => {
    const healthTest = compose.services.kafka?.healthcheck?.test;
    const script = Array.isArray(healthTest) ? healthTest : [];

    test("is a bash one-liner that starts no JVM (no Kafka CLI tool, no java)", () => {
      expect(script.slice(0, 3)).toEqual(["CMD", "bash", "-c"]);
      expect(script).toHaveLength(4);
      expect(script[3]).not.toMatch(/kafka-[a-z-]+\.sh|\bjava\b|kafka-run-class/);
      // Compose would interpolate a "$" in the file; the script must not need one.
      expect(script[3]).not.toContain("$");
    });

    // The exact command the container runs, run here against a real broker and against things
    // that are not one: "healthy" must mean that a broker answered.
    const runCheck = (port: number | string, command = script[3]!) =>
      spawnSync("bash", ["-c", command.replaceAll(String(kitPorts.kafka), String(port))], { encoding: "utf8", timeout: 15_000 });

    test("passes against a Kafka broker", () => {
      const [, port] = inject("services").kafkaBrokers[0]!.split(":");
      expect(runCheck(port!).status).toBe(0);
    });

    test("fails when nothing listens", () => {
      expect(runCheck(1).status).not.toBe(0);
    });

    test("fails against a server that is not Kafka (Redis, waiting for a line that never comes)", () => {
      const port = new URL(inject("services").redisUrl).port || "6379";
      // The script waits up to 5 s for an answer Redis never sends; this copy waits 1 s, same logic.
      expect(script[3]).toContain("timeout 5 head");
      expect(runCheck(port, script[3]!.replace("timeout 5 head", "timeout 1 head")).status).not.toBe(0);
    });
  });

  // Compose itself is the last word on the file's syntax. Compose v2 (`docker compose`) reads it
  // as is; the old v1 (`docker-compose`, Python) rejects the top-level `name:` it predates, so it
  // validates everything else, on a copy without that one key.
  const composeCli = findComposeCli();
  test.skipIf(!composeCli)(
    composeCli ? `${composeCli.label} config -q accepts the file` : "compose config -q accepts the file (skipped: neither `docker compose` nor `docker-compose` is installed)",
    () => {
      if (!composeCli) return;
      let file = composeFile;
      let tempDir: string | undefined;
      if (composeCli.v1) {
        tempDir = mkdtempSync(path.join(os.tmpdir(), "compose-v1-"));
        file = path.join(tempDir, "docker-compose.yml");
        // The text, not a re-serialised parse: v1 reads YAML 1.1, where an unquoted `no` is false.
        writeFileSync(file, composeText.replace(/^name:.*$/m, ""));
      }
      try {
        const result = spawnSync(composeCli.command, [...composeCli.args, "-f", file, "config", "-q"], { cwd: rootDir, encoding: "utf8" });
        expect(result.stderr).toBe("");
        expect(result.status).toBe(0);
      } finally {
        if (tempDir) rmSync(tempDir, { recursive: true, force: true });
      }
    },
  );
});

function findComposeCli(): { command: string; args: string[]; label: string; v1: boolean } | undefined {
  const works = (command: string, args: string[]) => spawnSync(command, args, { encoding: "utf8" }).status === 0;
  if (works("docker", ["compose", "version"])) return { command: "docker", args: ["compose"], label: "docker compose", v1: false };
  if (works("docker-compose", ["version"])) return { command: "docker-compose", args: [], label: "docker-compose (v1, without the top-level name:)", v1: true };
  return undefined;
}
