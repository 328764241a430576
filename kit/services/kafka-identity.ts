/**
 * Whose Kafka listens on the kit's port? The kit adopts whatever answers at 127.0.0.1:19092, so a
 * Kafka-compatible server left running from another tutorial would be used silently. The doctor
 * and `npm run services` say what they found and warn when it is not one the kit started: the
 * kit's brokers are known by their cluster id (the compose file's fixed CLUSTER_ID, or the id the
 * native broker's storage was formatted with, in this checkout's kit/.state/kafka/<version>/).
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { parse } from "yaml";
import { composeFile, stateDir } from "../harness/paths.ts";
import { createKafka } from "../lib/kafka.ts";
import type { Check } from "./checkup.ts";

export interface KafkaIdentity {
  clusterId: string;
  brokers: number;
}

/** The cluster id and size of whatever answers at `brokers`, or undefined when nothing does. */
export async function identifyKafka(brokers: string[]): Promise<KafkaIdentity | undefined> {
  const admin = createKafka({ brokers, clientId: "es-workshop-doctor", probe: true }).admin();
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    return { clusterId: cluster.clusterId, brokers: cluster.brokers.length };
  } catch {
    return undefined;
  } finally {
    await admin.disconnect().catch(() => {});
  }
}

/** The cluster ids of the brokers this checkout of the kit starts. */
export function kitClusterIds(compose = composeFile, kafkaStates = path.join(stateDir, "kafka")): string[] {
  const file = parse(readFileSync(compose, "utf8")) as { services?: Record<string, { environment?: Record<string, unknown> }> };
  const ids = [String(file.services?.kafka?.environment?.CLUSTER_ID ?? "")];
  if (existsSync(kafkaStates)) {
    for (const version of readdirSync(kafkaStates)) {
      const meta = path.join(kafkaStates, version, "data", "meta.properties");
      if (!existsSync(meta)) continue;
      const id = /^cluster\.id=(.+)$/m.exec(readFileSync(meta, "utf8"))?.[1]?.trim();
      if (id) ids.push(id);
    }
  }
  return ids.filter(Boolean);
}

/** What the doctor says about the Kafka it found at the kit's own address. */
export function judgeKafka(address: string, identity: KafkaIdentity, kitIds: readonly string[]): Check {
  const found = `cluster id ${identity.clusterId}, ${identity.brokers} broker${identity.brokers === 1 ? "" : "s"}`;
  if (kitIds.includes(identity.clusterId)) return { level: "ok", what: `the Kafka at ${address} is the kit's own (${found})` };
  const port = address.split(":").at(-1) ?? "";
  return {
    level: "warn",
    what: `the Kafka at ${address} was not started by this kit (${found}): another Kafka-compatible server on the kit's port, which the kit would use as it is`,
    fix: `if it is left over from something else, stop it (\`lsof -i :${port}\`, or \`netstat -ano | findstr ${port}\` on Windows, finds it) and the kit starts its own; to use it on purpose, set KAFKA_BROKERS=${address}`,
  };
}
