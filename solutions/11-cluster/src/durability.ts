/**
 * Durable writes on a three-broker cluster: the topic settings and producer settings that make
 * "acknowledged" mean "on two machines", and a send that says plainly when Kafka refuses to
 * promise that.
 */
import type { ITopicConfig, Producer, ProducerConfig, RecordMetadata } from "#kit/kafka";

/**
 * Task 1: a topic whose acknowledged records survive the loss of one broker.
 * Three replicas, a write acknowledged only once two of them have it, and no unclean leader
 * election (a replica that fell behind never becomes leader and silently drops what it missed).
 */
export function durableTopic(partitions = 1): Omit<ITopicConfig, "topic"> {
  return {
    numPartitions: partitions,
    replicationFactor: 3,
    configEntries: [
      { name: "min.insync.replicas", value: "2" },
      { name: "unclean.leader.election.enable", value: "false" },
    ],
  };
}

/**
 * Task 1: a producer whose retries after a failover do not write a record twice (idempotent:
 * the broker drops a retried batch it already has), and which gives up after a few retries
 * instead of retrying for ever — so a cluster that cannot take the write answers with an error —
 * but only after retrying for longer than a failover takes.
 */
export function durableProducerConfig(): ProducerConfig {
  return {
    idempotent: true,
    // kafkajs keeps the idempotent producer's order only with one request in flight.
    maxInFlightRequests: 1,
    // Backoffs of 0.2, 0.4, 0.8, 1.6, 3.2 and 6.4 s: about 12 s in all, longer than a failover
    // (the controller fences a silent broker after 4 s), short enough to be an answer, not a hang.
    retry: { retries: 6, initialRetryTime: 200 },
  };
}

/** The cluster refused a write it cannot replicate: fewer in-sync replicas than min.insync.replicas. */
export class NotEnoughReplicas extends Error {
  override readonly name = "NotEnoughReplicas";
  readonly code = "NOT_ENOUGH_REPLICAS";

  constructor(
    readonly topic: string,
    /** What the broker said: NOT_ENOUGH_REPLICAS (refused before writing) or NOT_ENOUGH_REPLICAS_AFTER_APPEND (written on the leader, not replicated). */
    readonly brokerError: string,
  ) {
    super(`${topic}: the cluster refused the write: too few in-sync replicas (${brokerError}); not acknowledged: send it again once a broker is back`);
  }
}

export interface DurableRecord {
  key: string;
  value: string;
}

/**
 * Task 2: sends `records` with acks -1 (every in-sync replica, and at least
 * min.insync.replicas of them). When the cluster has too few in-sync replicas, fails with
 * NotEnoughReplicas; any other failure is rethrown as it is.
 */
export async function appendDurably(producer: Producer, topic: string, records: readonly DurableRecord[]): Promise<RecordMetadata[]> {
  try {
    return await producer.send({ topic, acks: -1, messages: records.map((record) => ({ ...record })) });
  } catch (error) {
    const refusal = notEnoughReplicas(error);
    if (refusal) throw new NotEnoughReplicas(topic, refusal);
    throw error;
  }
}

/** The broker's error type, when `error` (or what it wraps, after kafkajs's retries) is a NOT_ENOUGH_REPLICAS. */
function notEnoughReplicas(error: unknown): string | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const { type, cause, errors } = error as { type?: unknown; cause?: unknown; errors?: unknown };
  if (type === "NOT_ENOUGH_REPLICAS" || type === "NOT_ENOUGH_REPLICAS_AFTER_APPEND") return type;
  // kafkajs wraps the broker's answer: in the error that ended its retries, or one per partition.
  for (const inner of [cause, ...(Array.isArray(errors) ? errors : [])]) {
    const found = notEnoughReplicas(inner);
    if (found) return found;
  }
  return undefined;
}
