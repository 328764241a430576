/**
 * The Docker and native paths must run the same Kafka with the same settings: the native
 * broker's properties and the compose file's KAFKA_* variables are checked against each other.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { parse } from "yaml";
import { composeFile, kitDir } from "../harness/paths.ts";
import { kafkaVersion, kitPorts } from "../services/config.ts";
import { clusterBrokerIds, clusterControllerId } from "../services/cluster-config.ts";

function readProperties(file: string): Record<string, string> {
  return Object.fromEntries(
    readFileSync(path.join(kitDir, "services", "native", file), "utf8")
      .split("\n")
      .filter((line) => line.trim() && !line.startsWith("#"))
      .map((line) => [line.slice(0, line.indexOf("=")).trim(), line.slice(line.indexOf("=") + 1).trim()]),
  );
}
const properties = readProperties("broker.properties");
const compose = parse(readFileSync(composeFile, "utf8"), { merge: true }) as { services: Record<string, { image: string; environment: Record<string, string | number> }> };
const kafkaEnvironment = Object.fromEntries(Object.entries(compose.services.kafka!.environment).map(([key, value]) => [key, String(value)]));

/** Settings that differ by construction: addresses inside a container, and where data lives. */
const placeDependent = new Set(["listeners", "advertised.listeners", "controller.quorum.voters", "log.dirs"]);

describe("the native broker and the compose file agree", () => {
  test("the Kafka version is defined once, by the compose image, and is an exact version", () => {
    expect(compose.services.kafka!.image).toBe(`apache/kafka:${kafkaVersion()}`);
    expect(kafkaVersion()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  test.each(Object.keys(properties).filter((key) => !placeDependent.has(key)))("%s has the same value in both", (key) => {
    const variable = `KAFKA_${key.toUpperCase().replaceAll(".", "_")}`;
    expect(kafkaEnvironment[variable], `${variable} in docker-compose.yml`).toBe(properties[key]);
  });

  test("clients reach both brokers at the same address", () => {
    expect(properties["advertised.listeners"]).toBe(`PLAINTEXT://127.0.0.1:${kitPorts.kafka}`);
    expect(kafkaEnvironment.KAFKA_ADVERTISED_LISTENERS).toContain(`127.0.0.1:${kitPorts.kafka}`);
  });
});

describe("step 11's cluster: the native nodes and the compose profile agree", () => {
  const environmentOf = (service: string) => Object.fromEntries(Object.entries(compose.services[service]!.environment).map(([key, value]) => [key, String(value)]));
  /** Filled in per node by the kit, or different by construction inside a container. */
  const perNode = new Set([...placeDependent, "node.id"]);
  const nodes: Array<[string, string]> = [
    ["cluster-controller", "cluster-controller.properties"],
    ["cluster-broker-1", "cluster-broker.properties"],
    ["cluster-broker-2", "cluster-broker.properties"],
    ["cluster-broker-3", "cluster-broker.properties"],
  ];
  const cases = nodes.flatMap(([service, file]) => Object.keys(readProperties(file)).filter((key) => !perNode.has(key)).map((key) => [service, file, key] as const));

  test.each(cases)("%s: %s's %s has the same value in both", (service, file, key) => {
    const variable = `KAFKA_${key.toUpperCase().replaceAll(".", "_")}`;
    expect(environmentOf(service)[variable], `${variable} of ${service} in docker-compose.yml`).toBe(readProperties(file)[key]);
  });

  test("the same Kafka image as the single broker, and one node id per node", () => {
    for (const [service] of nodes) expect(compose.services[service]!.image).toBe(`apache/kafka:${kafkaVersion()}`);
    expect(nodes.map(([service]) => environmentOf(service).KAFKA_NODE_ID)).toEqual([String(clusterControllerId), ...clusterBrokerIds.map(String)]);
  });
});
