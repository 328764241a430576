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

const properties = Object.fromEntries(
  readFileSync(path.join(kitDir, "services", "native", "broker.properties"), "utf8")
    .split("\n")
    .filter((line) => line.trim() && !line.startsWith("#"))
    .map((line) => [line.slice(0, line.indexOf("=")).trim(), line.slice(line.indexOf("=") + 1).trim()]),
);
const compose = parse(readFileSync(composeFile, "utf8")) as { services: Record<string, { image: string; environment: Record<string, string | number> }> };
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
