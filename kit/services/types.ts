/** Where the three services of the workshop are, however they were found. */
export interface ServiceUrls {
  databaseUrl: string;
  redisUrl: string;
  kafkaBrokers: string[];
}

export type ServiceName = "postgres" | "redis" | "kafka";

export const allServices: readonly ServiceName[] = ["postgres", "redis", "kafka"];

/** How a service was found, in the order the root README's "How the kit finds the services" tries them. */
export type ServiceOrigin =
  | "environment" // DATABASE_URL / REDIS_URL / KAFKA_BROKERS
  | "docker" // docker-compose.yml, brought up by testcontainers
  | "local" // already listening on this machine (a Postgres or Redis you run)
  | "native"; // started by the kit from binaries or from Kafka's jars

export interface FoundService {
  name: ServiceName;
  url: string;
  origin: ServiceOrigin;
  /** Where its log is, for the doctor and for error messages. */
  logFile?: string;
}
