/**
 * The one module of the kit that imports kafkajs.
 *
 * kafkajs is the client the workshop teaches, and it is in maintenance mode: keeping it
 * behind this small module means a future switch of client touches one file, and every
 * step gets the same sensible defaults (quiet logs, the current partitioner, retries
 * sized for a laptop).
 */
import kafkajs, { Kafka, logLevel, Partitioners, type KafkaConfig, type LogEntry } from "kafkajs";
import { isTodoError } from "./todo.ts";

silenceTimeoutNegativeWarning();

export type {
  Admin,
  Consumer,
  ConsumerConfig,
  EachBatchPayload,
  EachMessagePayload,
  IHeaders,
  ITopicConfig,
  KafkaMessage,
  Message,
  Producer,
  ProducerConfig,
  RecordMetadata,
} from "kafkajs";
export { Kafka } from "kafkajs";

export interface KafkaConnection {
  brokers: string[];
  clientId?: string;
  /** Probes (is a broker there?) log nothing and give up fast. */
  probe?: boolean;
  /**
   * Errors a step provokes on purpose and kafkajs would log (matched against the log line and
   * its error): printed, they would only frighten attendees. Only the step that expects them
   * passes them, so another step still shows them.
   */
  expectedErrors?: readonly RegExp[];
}

/** The kit's Kafka client: kafkajs with the workshop's defaults. */
export function createKafka({ brokers, clientId = "es-workshop", probe = false, expectedErrors = [] }: KafkaConnection): Kafka {
  const config: KafkaConfig = {
    clientId,
    brokers,
    connectionTimeout: probe ? 2_000 : 3_000,
    // A probe that reached something other than Kafka (a Redis on that port) gets no Kafka answer: kafkajs waits out
    // its 30 s request timeout unless told less.
    ...(probe ? { requestTimeout: 4_000, authenticationTimeout: 4_000 } : {}),
    retry: probe ? { retries: 0 } : { initialRetryTime: 100, retries: 8 },
    logLevel: probe ? logLevel.NOTHING : logLevel.ERROR,
    logCreator: () => quietLog(expectedErrors),
  };
  return new Kafka(config);
}

/** Producer options every step uses: the current default partitioner, named so kafkajs doesn't warn. */
export const defaultProducerConfig = { createPartitioner: Partitioners.DefaultPartitioner } as const;

/**
 * Added for 10-transfers: the partition `defaultProducerConfig`'s partitioner sends `key` to, in a
 * topic of `partitions` partitions (murmur2 of the key, as the Java client does). A writer that
 * owns some partitions uses it to know which accounts are its own without asking the broker.
 */
export function partitionOf(key: string, partitions: number): number {
  if (!Number.isInteger(partitions) || partitions < 1) throw new RangeError(`a topic has at least one partition, got ${partitions}`);
  const partitionMetadata = Array.from({ length: partitions }, (_, partitionId) => ({ partitionErrorCode: 0, partitionId, leader: 0, replicas: [0], isr: [0] }));
  return Partitioners.DefaultPartitioner()({ topic: "partition-of", partitionMetadata, message: { key, value: null } });
}

/**
 * Errors kafkajs logs while a cluster is still settling (the group coordinator not yet
 * elected, a topic's leader being chosen, a rebalance that needs a rejoin) are retried by
 * kafkajs itself, and a crash a test injects on purpose (an InjectedFailure) is expected:
 * printing either would only frighten attendees. A step that provokes other errors on purpose
 * names them (`expectedErrors`). Nor is an open task's TodoError thrown inside a consumer's
 * handler (step 10's saga) printed: the task's own failing test reports it, once and plainly.
 * Real failures still reach the caller as exceptions.
 */
const transient = /coordinator is not available|coordinator is loading|not the correct coordinator|leader for that topic-partition|There is no leader|This server does not host this topic-partition|Restarting the consumer|The group is rebalancing|injected failure/i;

function quietLog(expectedErrors: readonly RegExp[]) {
  return ({ level, log }: LogEntry) => {
    const { message, error } = log as { message: string; error?: unknown };
    if (level > logLevel.ERROR && !process.env.KIT_KAFKA_DEBUG) return;
    const line = `${message}${error ? `: ${String(error)}` : ""}`;
    if (transient.test(line) || expectedErrors.some((expected) => expected.test(line))) return;
    if (isTodoError(error) || /\bTodoError\b/.test(message)) return;
    console.error(`[kafka] ${line}`);
  };
}

/**
 * Resolves when `consumer` has joined its group and been given partitions.
 * Produce only after this, or a consumer that starts from the latest offset misses the messages.
 */
export function waitForGroupJoin(
  consumer: import("kafkajs").Consumer,
  { timeoutMs = 20_000 }: { timeoutMs?: number } = {},
): Promise<{ memberId: string; assignment: Record<string, number[]> }> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      remove();
      reject(new Error(`the consumer did not join its group within ${timeoutMs} ms`));
    }, timeoutMs);
    const remove = consumer.on(consumer.events.GROUP_JOIN, (event) => {
      clearTimeout(timer);
      remove();
      resolve({ memberId: event.payload.memberId, assignment: event.payload.memberAssignment });
    });
  });
}

/**
 * Added for 07-replay: kafkajs has no `assign()`, and a rebuild worker must read exactly the
 * partitions it is given (one worker per partition subset), not what a group rebalance
 * hands it. A custom partition assigner is kafkajs's way to decide that; these are the
 * pieces it is built from.
 */
export { AssignerProtocol } from "kafkajs";
/**
 * For admin.alterConfigs: a test that changes a topic's settings mid-test. Read from the
 * package's default export: Node's ESM loader does not see it as a named export of kafkajs.
 */
export const ConfigResourceTypes: typeof kafkajs.ConfigResourceTypes = kafkajs.ConfigResourceTypes;
export type { PartitionAssigner } from "kafkajs";

/**
 * kafkajs schedules its request-queue check with a negative delay when nothing is throttled; Node
 * 24 warns about each one (TimeoutNegativeWarning) and then does what every Node did before: waits
 * 1 ms. Pages of that warning would bury a command's output, so every process that loads kafkajs
 * through this module drops that one warning and no other. In code rather than NODE_OPTIONS'
 * --disable-warning, which a Node older than 20.11 refuses to start with, before the doctor could
 * say to update Node.
 */
function silenceTimeoutNegativeWarning(): void {
  const marker = Symbol.for("es-kafka-workshop.timeout-negative-warning");
  const holder = process as unknown as Record<symbol, boolean>;
  if (holder[marker]) return; // once per process, however many copies of this module load
  holder[marker] = true;
  const emitWarning = process.emitWarning.bind(process) as (...args: unknown[]) => void;
  process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
    const [typeOrOptions] = rest;
    const type =
      typeof typeOrOptions === "string" ? typeOrOptions
      : typeof typeOrOptions === "object" && typeOrOptions !== null && "type" in typeOrOptions ? String((typeOrOptions as { type?: unknown }).type)
      : warning instanceof Error ? warning.name
      : undefined;
    if (type === "TimeoutNegativeWarning") return;
    emitWarning(warning, ...rest);
  }) as typeof process.emitWarning;
}
