/**
 * The service addresses an attendee or an instructor sets (DATABASE_URL, REDIS_URL, KAFKA_BROKERS),
 * checked before any driver sees them: a driver given "redis://…:99999" throws a TypeError whose
 * printout carries the whole URL, password included. Here a bad value becomes one sentence that
 * names the variable, says what is wrong with it, and never shows the password.
 */
import { redact } from "./probe.ts";
import type { ServiceName } from "./types.ts";

export const serviceVariables = { postgres: "DATABASE_URL", redis: "REDIS_URL", kafka: "KAFKA_BROKERS" } as const satisfies Record<ServiceName, string>;
export type ServiceVariable = (typeof serviceVariables)[ServiceName];

const examples: Record<ServiceVariable, string> = {
  DATABASE_URL: "postgres://user:password@127.0.0.1:5432/database",
  REDIS_URL: "redis://127.0.0.1:6379",
  KAFKA_BROKERS: "127.0.0.1:9092,127.0.0.1:9093",
};

/** A service variable that cannot be used as it is: which one, why, and the fix. */
export class BadServiceUrl extends Error {
  override readonly name = "BadServiceUrl";

  constructor(
    readonly variable: ServiceVariable,
    value: string,
    readonly problem: string,
  ) {
    super(`${variable}=${redact(value)} cannot be used: ${problem}.\n  → fix it (like ${variable}=${examples[variable]}), or unset ${variable} to let the kit find or start the service`);
  }
}

/** "1"–"65535" in decimal, or a reason why not. */
function portProblem(port: string): string | undefined {
  if (!/^\d{1,5}$/.test(port) || Number(port) < 1 || Number(port) > 65535) return `the port ${JSON.stringify(port)} is not a port number (1–65535)`;
  return undefined;
}

function checkUrl(variable: "DATABASE_URL" | "REDIS_URL", value: string, schemes: string[]): string {
  const trimmed = value.trim();
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(trimmed)?.[1]?.toLowerCase();
  if (scheme === undefined) throw new BadServiceUrl(variable, value, `it is not a URL (it must start with ${schemes.map((s) => `${s}://`).join(" or ")})`);
  if (!schemes.includes(scheme)) throw new BadServiceUrl(variable, value, `the scheme ${scheme}:// is not ${schemes.map((s) => `${s}://`).join(" or ")}`);
  // The authority's port, read before the URL parser, which only says "Invalid URL".
  const authority = /^[^:]+:\/\/(?:[^@/?#]*@)?(\[[^\]]*\]|[^:/?#]*)(?::([^/?#]*))?/.exec(trimmed);
  if (!authority?.[1]) throw new BadServiceUrl(variable, value, "it names no host");
  if (authority[2] !== undefined && authority[2] !== "") {
    const problem = portProblem(authority[2]);
    if (problem) throw new BadServiceUrl(variable, value, problem);
  }
  try {
    new URL(trimmed);
  } catch {
    throw new BadServiceUrl(variable, value, "it is not a valid URL");
  }
  return trimmed;
}

export function checkDatabaseUrl(value: string): string {
  return checkUrl("DATABASE_URL", value, ["postgres", "postgresql"]);
}

export function checkRedisUrl(value: string): string {
  return checkUrl("REDIS_URL", value, ["redis", "rediss"]);
}

/** host:port[,host:port…], each with a port: kafkajs would otherwise guess one, or crash later on a bad one. */
export function parseKafkaBrokers(value: string): string[] {
  const brokers = value.split(",").map((broker) => broker.trim()).filter(Boolean);
  if (brokers.length === 0) throw new BadServiceUrl("KAFKA_BROKERS", value, "it lists no broker");
  for (const broker of brokers) {
    if (broker.includes("://")) throw new BadServiceUrl("KAFKA_BROKERS", value, `${JSON.stringify(redact(broker))} has a scheme: give host:port, without one`);
    const match = /^(\[[^\]]+\]|[^:[\]]+):([^:]*)$/.exec(broker);
    if (!match) throw new BadServiceUrl("KAFKA_BROKERS", value, `${JSON.stringify(redact(broker))} is not host:port`);
    const problem = portProblem(match[2]!);
    if (problem) throw new BadServiceUrl("KAFKA_BROKERS", value, `in ${JSON.stringify(redact(broker))}, ${problem}`);
  }
  return brokers;
}

/** The service variables that are set, checked; the first bad one throws. */
export function servicesFromEnvironment(env: NodeJS.ProcessEnv = process.env): { databaseUrl?: string; redisUrl?: string; kafkaBrokers?: string[] } {
  return {
    ...(env.DATABASE_URL ? { databaseUrl: checkDatabaseUrl(env.DATABASE_URL) } : {}),
    ...(env.REDIS_URL ? { redisUrl: checkRedisUrl(env.REDIS_URL) } : {}),
    ...(env.KAFKA_BROKERS ? { kafkaBrokers: parseKafkaBrokers(env.KAFKA_BROKERS) } : {}),
  };
}
