/**
 * docker-compose.yml, checked by construction: no Docker engine needed. What an attendee's laptop
 * would otherwise find out at the worst moment (a moving image tag, a port that clashes or is
 * open to the network, a service with no health check to wait on) fails here instead.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { parse } from "yaml";
import { composeFile, rootDir } from "../harness/paths.ts";
import { kitDatabaseUrl, kitKafkaBrokers, kitPorts } from "../services/config.ts";
import { composeProjectName } from "../services/docker.ts";
import { brokerAddress, clusterBrokerIds, clusterPorts } from "../services/cluster-config.ts";

interface ComposeService {
  image?: string;
  profiles?: string[];
  ports?: Array<string | { host_ip?: string; published?: string | number; target?: number }>;
  environment?: Record<string, string | number | boolean | null> | string[];
  healthcheck?: { test?: string | string[]; disable?: boolean };
}
interface ComposeFile {
  name?: string;
  services: Record<string, ComposeService>;
}

const composeText = readFileSync(composeFile, "utf8");
// merge: the cluster's brokers share their settings through YAML merge keys (<<), as Compose reads them.
const compose = parse(composeText, { merge: true }) as ComposeFile;
const services = Object.entries(compose.services);
/** Step 11's cluster: only with `--profile cluster`. */
const clusterServices = ["cluster-broker-1", "cluster-broker-2", "cluster-broker-3", "cluster-controller"];

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
  test("declares exactly the kit's three services, under the fixed project name docker.ts uses, and step 11's cluster behind a profile", () => {
    expect(services.filter(([, service]) => !service.profiles).map(([name]) => name).sort()).toEqual(["kafka", "postgres", "redis"]);
    expect(services.filter(([, service]) => service.profiles?.includes("cluster")).map(([name]) => name).sort()).toEqual(clusterServices);
    expect(compose.name).toBe(composeProjectName);
  });

  test("the cluster's brokers are published on the ports the native cluster uses (cluster-config.ts), the controller on none", () => {
    expect(clusterBrokerIds.map((id) => publishedPorts(compose.services[`cluster-broker-${id}`] ?? {}).map((port) => port.hostPort))).toEqual(clusterPorts.brokers.map((port) => [port]));
    expect(publishedPorts(compose.services["cluster-controller"] ?? {})).toEqual([]);
    for (const id of clusterBrokerIds) {
      expect(environmentOf(compose.services[`cluster-broker-${id}`] ?? {}).KAFKA_ADVERTISED_LISTENERS).toContain(`PLAINTEXT://${brokerAddress(id)}`);
    }
  });

  test.each(services)("%s: its image is pinned to an exact version", (_name, service) => {
    expect(service.image).toBeDefined();
    expect(service.image).not.toMatch(/:latest$/);
    // A digit-dotted tag (17.6, 7.4.5): never a moving one like "17" or "7-alpine".
    expect(service.image).toMatch(/^[a-z0-9][a-z0-9./_-]*:\d+(\.\d+)+$/);
  });

  test.each(services)("%s: every published port is on 127.0.0.1 and off the default ports", (name, service) => {
    const ports = publishedPorts(service);
    // The cluster's controller serves only its brokers, inside the compose network.
    if (name !== "cluster-controller") expect(ports.length).toBeGreaterThan(0);
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
