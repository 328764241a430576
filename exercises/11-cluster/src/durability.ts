/**
 * Durable writes on a three-broker cluster: the topic settings and producer settings that make
 * "acknowledged" mean "on two machines", and a send that says plainly when Kafka refuses to
 * promise that.
 */
import type { ITopicConfig, Producer, ProducerConfig, RecordMetadata } from "#kit/kafka";
import { todo } from "#kit/todo";

/**
 * Task 1: a topic whose acknowledged records survive the loss of one broker.
 * Three replicas, a write acknowledged only once two of them have it, and no unclean leader
 * election (a replica that fell behind never becomes leader and silently drops what it missed).
 */
export function durableTopic(partitions = 1): Omit<ITopicConfig, "topic"> {
  void partitions;
  return todo("Task 1: durableTopic — `partitions` partitions, replication factor 3, and as topic configs min.insync.replicas=2 and unclean.leader.election.enable=false");
}

/**
 * Task 1: a producer whose retries after a failover do not write a record twice (idempotent:
 * the broker drops a retried batch it already has), and which gives up after a few retries
 * instead of retrying for ever — so a cluster that cannot take the write answers with an error —
 * but only after retrying for longer than a failover takes.
 */
export function durableProducerConfig(): ProducerConfig {
  return todo("Task 1: durableProducerConfig — an idempotent producer, one request in flight, and retries that outlast a failover (about 12 s of backoff in all) but end");
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
  void producer;
  void topic;
  void records;
  return todo("Task 2: appendDurably — send the records with acks -1; when the broker answers NOT_ENOUGH_REPLICAS or NOT_ENOUGH_REPLICAS_AFTER_APPEND (kafkajs may wrap it, after its retries), throw NotEnoughReplicas(topic, thatType); rethrow any other error as it is");
}
