/**
 * The addresses the kit gives the services it starts, and the versions it runs.
 *
 * The ports are the Docker path's host ports too (docker-compose.yml): whichever path
 * started them, the services are at the same place, so a run never needs to know how.
 * They avoid the defaults (5432, 6379, 9092) so the kit doesn't clash with what people run.
 */
import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { composeFile } from "../harness/paths.ts";

export const kitPorts = {
  postgres: 15432,
  redis: 16379,
  kafka: 19092,
  kafkaController: 19093,
} as const;

/** The kit's own Postgres (compose or private): a throwaway local database, so fixed dev credentials are fine. */
export const kitDatabaseUrl = `postgres://workshop:workshop@127.0.0.1:${kitPorts.postgres}/workshop`;
export const kitRedisUrl = `redis://127.0.0.1:${kitPorts.redis}`;
export const kitKafkaBrokers = [`127.0.0.1:${kitPorts.kafka}`];

/**
 * The Apache Kafka version, defined once: the `apache/kafka:X.Y.Z` image in
 * docker-compose.yml. The native path downloads the same version's jars from Maven Central.
 */
export function kafkaVersion(): string {
  const compose = parse(readFileSync(composeFile, "utf8")) as { services?: Record<string, { image?: string }> };
  const image = compose.services?.kafka?.image ?? "";
  const match = /^apache\/kafka:(\d+\.\d+\.\d+)$/.exec(image);
  if (!match?.[1]) throw new Error(`docker-compose.yml: services.kafka.image must be apache/kafka:X.Y.Z, found "${image}"`);
  return match[1];
}
