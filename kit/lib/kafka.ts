/**
 * The one module of the kit that imports kafkajs.
 *
 * kafkajs is the client the workshop teaches, and it is in maintenance mode: keeping it
 * behind this small module means a future switch of client touches one file, and every
 * step gets the same sensible defaults (quiet logs, the current partitioner, retries
 * sized for a laptop).
 */
import { Kafka, logLevel, Partitioners, type KafkaConfig, type LogEntry } from "kafkajs";

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
   * Step 11: a request to a paused broker waits this long (kafkajs: 30 s) before it fails, and a
   * failed request is retried `retries` times. A client aimed at a sick cluster keeps both short.
   */
  requestTimeout?: number;
  retries?: number;
  /**
   * Logs nothing: for clients aimed at a cluster whose brokers a test kills on purpose, where
   * "connection refused" is the expected weather. Failures still reach the caller as errors.
   */
  quiet?: boolean;
}

/** The kit's Kafka client: kafkajs with the workshop's defaults. */
export function createKafka({ brokers, clientId = "es-workshop", probe = false, requestTimeout, retries, quiet = false }: KafkaConnection): Kafka {
  const config: KafkaConfig = {
    clientId,
    brokers,
    connectionTimeout: probe ? 1_000 : 3_000,
    ...(requestTimeout === undefined ? {} : { requestTimeout }),
    retry: probe ? { retries: 0 } : { initialRetryTime: 100, retries: retries ?? 8 },
    logLevel: probe || quiet ? logLevel.NOTHING : logLevel.ERROR,
    logCreator: quietLogCreator,
  };
  return new Kafka(config);
}

/** Producer options every step uses: the current default partitioner, named so kafkajs doesn't warn. */
export const defaultProducerConfig = { createPartitioner: Partitioners.DefaultPartitioner } as const;

/**
 * Errors kafkajs logs while a cluster is still settling (the group coordinator not yet
 * elected, a topic's leader being chosen, a rebalance that needs a rejoin) are retried by
 * kafkajs itself, and a crash a test injects on purpose (an InjectedFailure) is expected:
 * printing either would only frighten attendees. Real failures still reach the caller as
 * exceptions.
 */
const transient = /coordinator is not available|coordinator is loading|not the correct coordinator|leader for that topic-partition|There is no leader|This server does not host this topic-partition|Restarting the consumer|The group is rebalancing|injected failure/i;

function quietLogCreator() {
  return ({ level, log }: LogEntry) => {
    const { message, error } = log as { message: string; error?: string };
    if (level > logLevel.ERROR && !process.env.KIT_KAFKA_DEBUG) return;
    if (transient.test(String(error ?? "")) || transient.test(message)) return;
    console.error(`[kafka] ${message}${error ? `: ${error}` : ""}`);
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
export type { PartitionAssigner } from "kafkajs";
