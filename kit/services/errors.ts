import type { ServiceName } from "./types.ts";

/** A service could not be found or started: says which, why, and the commands that fix it. */
export class ServiceUnavailable extends Error {
  override readonly name = "ServiceUnavailable";

  constructor(
    readonly service: ServiceName | "services",
    readonly reason: string,
    readonly fixes: string[],
    readonly details = "",
  ) {
    super(
      [`${service === "services" ? "The services" : serviceTitle(service)} could not be reached: ${reason}.`, ...fixes.map((fix) => `  → ${fix}`), "  → `npm run doctor` checks the whole machine", details ? `\n${details}` : ""]
        .filter(Boolean)
        .join("\n"),
    );
  }
}

export function serviceTitle(service: ServiceName): string {
  return { postgres: "PostgreSQL", redis: "Redis", kafka: "Kafka" }[service];
}
