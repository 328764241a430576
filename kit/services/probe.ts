/**
 * "Is it there?" checks for each service: quick, quiet, and never throwing —
 * they answer with the reason a service did not answer, for the doctor and for errors.
 */
import net from "node:net";
import pg from "pg";
import { createClient } from "redis";
import { createKafka } from "../lib/kafka.ts";

export type ProbeResult = { ok: true; detail: string } | { ok: false; reason: string };

const probeTimeoutMs = 2_000;
/** Long enough for a busy laptop's broker (a probe that fails makes the kit start another), short enough to say "not Kafka" at once. */
const kafkaProbeMs = 5_000;

export async function probePostgres(url: string): Promise<ProbeResult> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: probeTimeoutMs });
  client.on("error", () => {});
  try {
    await client.connect();
    const { rows } = await client.query<{ server_version: string }>("SHOW server_version");
    return { ok: true, detail: `PostgreSQL ${rows[0]?.server_version ?? "?"}` };
  } catch (error) {
    return { ok: false, reason: describeError(error) };
  } finally {
    await client.end().catch(() => {});
  }
}

export async function probeRedis(url: string): Promise<ProbeResult> {
  const client = createClient({ url, socket: { connectTimeout: probeTimeoutMs, reconnectStrategy: false } });
  client.on("error", () => {});
  try {
    await client.connect();
    const info = await client.info("server");
    const version = /redis_version:(\S+)/.exec(info)?.[1] ?? "?";
    return { ok: true, detail: `Redis ${version}` };
  } catch (error) {
    return { ok: false, reason: describeError(error) };
  } finally {
    if (client.isOpen) await client.close().catch(() => {});
  }
}

export async function probeKafka(brokers: string[]): Promise<ProbeResult> {
  // A TCP check first: kafkajs takes longer to say "nothing there".
  const first = brokers[0];
  if (!first) return { ok: false, reason: "no broker address given" };
  const [host = "127.0.0.1", port = "9092"] = splitHostPort(first);
  if (!(await isPortOpen(host, Number(port)))) return { ok: false, reason: `nothing listens on ${first}` };
  const admin = createKafka({ brokers, clientId: "es-workshop-probe", probe: true }).admin();
  // The request timeout bounds each request; this bounds the whole probe, whatever kafkajs does between them.
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<ProbeResult>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, reason: `${first} accepts connections but gives no Kafka answer within ${kafkaProbeMs / 1000} s: is it a Kafka broker?` }), kafkaProbeMs);
  });
  const ask = (async (): Promise<ProbeResult> => {
    await admin.connect();
    const cluster = await admin.describeCluster();
    return { ok: true, detail: `Kafka cluster ${cluster.clusterId} with ${cluster.brokers.length} broker(s)` };
  })().catch((error: unknown): ProbeResult => {
    const reason = describeError(error);
    // The port is open (checked above), so a refused or unanswered handshake means something else listens there.
    return { ok: false, reason: /ApiVersions|Closed connection|timed out/i.test(reason) ? `${first} accepts connections but does not answer as Kafka (${reason}): is it a Kafka broker?` : reason };
  });
  try {
    return await Promise.race([ask, deadline]);
  } finally {
    clearTimeout(timer);
    await admin.disconnect().catch(() => {});
  }
}

export function isPortOpen(host: string, port: number, timeoutMs = 1_000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (open: boolean) => {
      socket.destroy();
      resolve(open);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once("connect", () => done(true));
    socket.once("error", () => done(false));
  });
}

export function splitHostPort(address: string): [string, string] {
  const index = address.lastIndexOf(":");
  return index < 0 ? [address, ""] : [address.slice(0, index), address.slice(index + 1)];
}

export function describeError(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) return describeError(error.errors[0]);
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}

/** Hides a password in a URL before it reaches a terminal or a screenshot. */
export function redact(url: string): string {
  // The user may be empty (redis://:secret@host); a broker list (user:secret@host:9092,…) has no "//".
  if (url.includes("//")) return url.replace(/\/\/([^:/@]*):[^@]*@/g, "//$1:***@");
  return url.split(",").map((part) => part.replace(/^(\s*[^:/@]*):[^@]*@/, "$1:***@")).join(",");
}
