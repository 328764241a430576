/**
 * Given: a projection — a consumer of the events topic that keeps read models up to date.
 *
 * It reads the topic in a consumer group of its own, batch by batch, and for each batch:
 *
 *   1. parses the records; one that is not an event is kept in rejected_records with the
 *      reason, and the partition goes on (the dead-letter topic is step 08) — so is an event
 *      the read models cannot take (applyEvent keeps it, step 3);
 *   2. "before-apply"   — a failpoint: a test holds the projection here to show a stale read;
 *   3. applies the batch with the ApplyBatch it was given (apply.ts): one transaction;
 *   4. "after-apply"    — a failpoint: the read model has committed, Kafka does not know yet;
 *   5. commits the offset after the batch to Kafka.
 *
 * A crash between 3 and 5 is the one that matters: the read model has the batch, the group's
 * committed offset does not, and whoever reads the partition next is given the batch again.
 *
 * When applying fails (a bug, the database gone, a crash a test injected) the projection
 * behaves as a crashed process: it takes nothing more, commits nothing more, and says so
 * through onError. Another instance in the same group — or this service restarted — picks up
 * from the last committed offset.
 */
import type pg from "pg";
import { waitForGroupJoin, type Consumer, type EachBatchPayload, type Kafka } from "#kit/kafka";
import { noFailpoints, type FailpointHook } from "#kit/failpoints";
import type { ApplyBatch } from "./apply.ts";
import { MalformedEvent, parseEvent, type RecordedEvent } from "./envelope.ts";
import { keepRejected, type RejectedRecord } from "./read-models.ts";

export interface ProjectionOptions {
  kafka: Kafka;
  /** The events topic. */
  topic: string;
  /** The projection's consumer group: instances of one projection share it, and its committed offsets. */
  groupId: string;
  /** The read models' database. */
  pool: pg.Pool;
  apply: ApplyBatch;
  points?: FailpointHook;
  /** Told when the projection stops because applying failed. */
  onError?: (error: unknown) => void;
}

export class Projection {
  readonly #consumer: Consumer;
  readonly #points: FailpointHook;
  #crash: unknown;
  /** Events applied to the read models, by this instance. */
  appliedCount = 0;
  /** Events this instance was given again and skipped, because they were applied before. */
  skippedCount = 0;
  /** Records this instance set aside: not events, or events the read models cannot take. */
  rejectedCount = 0;

  constructor(readonly options: ProjectionOptions) {
    // A quick heartbeat: a stopped instance's partitions move to another member within a second or so.
    this.#consumer = options.kafka.consumer({ groupId: options.groupId, maxWaitTimeInMs: 100, heartbeatInterval: 100 });
    this.#points = options.points ?? noFailpoints;
  }

  /** Connects, joins the group, and resolves once this instance has been given its partitions. */
  async start(): Promise<void> {
    await this.#consumer.connect();
    // A new projection (a group with no committed offset) builds its read models from the first event.
    await this.#consumer.subscribe({ topic: this.options.topic, fromBeginning: true });
    const joined = waitForGroupJoin(this.#consumer);
    // The offset is committed by hand, after the read model's transaction: see #onBatch.
    await this.#consumer.run({ autoCommit: false, eachBatch: (payload) => this.#onBatch(payload) });
    await joined;
  }

  async stop(): Promise<void> {
    await this.#consumer.disconnect();
  }

  async #onBatch({ batch, pause }: EachBatchPayload): Promise<void> {
    if (this.#crash !== undefined) {
      // A crashed process takes nothing more: kafkajs may hand it a batch again before it is stopped.
      pause();
      throw this.#crash;
    }
    try {
      const { partition } = batch;
      const events: RecordedEvent[] = [];
      const rejected: RejectedRecord[] = [];
      for (const message of batch.messages) {
        const position = { partition, offset: Number(message.offset) };
        const raw = message.value?.toString("utf8") ?? "";
        try {
          events.push({ ...parseEvent(raw), position });
        } catch (error) {
          if (!(error instanceof MalformedEvent)) throw error;
          rejected.push({ position, reason: error.reason, raw });
        }
      }
      const last = batch.messages[batch.messages.length - 1];
      if (last === undefined) return;
      const lastOffset = Number(last.offset);

      await this.#points.reach("before-apply");
      for (const record of rejected) await keepRejected(this.options.pool, record);
      const outcome = await this.options.apply(this.options.pool, { partition, events, lastOffset });
      this.appliedCount += outcome.applied;
      this.skippedCount += outcome.skipped;
      this.rejectedCount += rejected.length + outcome.keptAside;
      await this.#points.reach("after-apply");
      await this.#consumer.commitOffsets([{ topic: this.options.topic, partition, offset: String(lastOffset + 1) }]);
    } catch (error) {
      this.#crash = error;
      pause();
      this.options.onError?.(error);
      throw error;
    }
  }
}
