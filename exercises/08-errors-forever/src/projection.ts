/**
 * The balance projection: consumes the events topic into the Postgres read model
 * (read-model.ts), and decides what happens to a record it cannot process.
 *
 * Kafka keeps a partition's records in order, and a consumer group moves through them one
 * after another: a record that fails holds up every record behind it. A record that fails
 * because of what it holds (a PoisonRecord: see record.ts) will fail on every attempt, so
 * the projection has two choices —
 *
 *   "stop"         throw, as most code does by default: the partition stalls on it, for ever
 *                  (given: the trade-off tests show it);
 *   "dead-letter"  park it on a dead-letter topic with the reason and where it came from,
 *                  then move past it (Task 2).
 *
 * Any other failure — the database gone, a bug, an open task — is not the record's fault: the
 * projection stops taking that partition's records and does not move past the record, so
 * whoever owns the partition next tries it again.
 */
import type pg from "pg";
import { defaultProducerConfig, waitForGroupJoin, type Consumer, type EachMessagePayload, type Kafka, type Producer } from "#kit/kafka";
import { deadLetterRecord } from "./dead-letter.ts";
import { isPast, passOver, project } from "./read-model.ts";
import { PoisonRecord, readRecord, type SourceRecord } from "./record.ts";
import { todo } from "#kit/todo";

export type PoisonPolicy = "stop" | "dead-letter";

export interface ProjectionOptions {
  kafka: Kafka;
  pool: pg.Pool;
  /** The events topic. */
  topic: string;
  deadLetterTopic: string;
  /** The projection's consumer group: a restarted projection resumes where the group committed. */
  groupId: string;
  /** What to do with a poison record; "dead-letter" unless told otherwise. */
  onPoison?: PoisonPolicy;
  /** Told about a failure that stopped a partition (not a poison record that was dead-lettered). */
  onError?: (error: unknown) => void;
}

export class BalanceProjection {
  readonly #consumer: Consumer;
  readonly #producer: Producer;
  readonly #onError: (error: unknown) => void;
  /** Events this instance applied to the read model. */
  applied = 0;
  /** Records this instance sent to the dead-letter topic. */
  deadLettered = 0;
  /** Every poison record this instance met, in order — also those it met more than once. */
  readonly poisoned: PoisonRecord[] = [];

  constructor(readonly options: ProjectionOptions) {
    // A quick heartbeat: a stopped projection's partitions move to another member within a second.
    this.#consumer = options.kafka.consumer({ groupId: options.groupId, maxWaitTimeInMs: 100, heartbeatInterval: 100 });
    this.#producer = options.kafka.producer(defaultProducerConfig);
    this.#onError = options.onError ?? (() => {});
  }

  /** Connects, joins the group, and resolves once this member has been given its partitions. */
  async start(): Promise<void> {
    await Promise.all([this.#producer.connect(), this.#consumer.connect()]);
    await this.#consumer.subscribe({ topic: this.options.topic, fromBeginning: true });
    const joined = waitForGroupJoin(this.#consumer);
    await this.#consumer.run({ eachMessage: (payload) => this.#onMessage(payload) });
    await joined;
  }

  async stop(): Promise<void> {
    await this.#consumer.disconnect();
    await this.#producer.disconnect();
  }

  /**
   * Task 2 — send poison records to the dead-letter topic (2/2).
   * Parks `source` on the dead-letter topic, then moves the read model's position past it:
   * send deadLetterRecord(poison, source) to
   * options.deadLetterTopic with acks from all in-sync replicas (-1), and only once the broker
   * has it, passOver the record's position and count it in `deadLettered`. If the send fails,
   * let the error go: the position stays where it is, and the record is tried again.
   */
  async deadLetter(poison: PoisonRecord, source: SourceRecord): Promise<void> {
    return todo("Task 2 — send poison records to the dead-letter topic: the poison record is on the dead-letter topic, acknowledged by every in-sync replica, before the projection passes over its position and counts it; a failed send moves nothing past it");
  }

  async #onMessage({ topic, partition, message, pause }: EachMessagePayload): Promise<void> {
    try {
      await this.#handle({ topic, partition, message });
    } catch (error) {
      // Behave as a crashed process would: take no more records from this partition, and
      // throw, so that this record is not committed. Whoever owns the partition next (this
      // projection restarted, or another member) gets it again.
      pause();
      this.#onError(error);
      throw error;
    }
  }

  async #handle(source: SourceRecord): Promise<void> {
    const { pool, topic } = this.options;
    try {
      const event = readRecord(source);
      if ((await project(pool, topic, event)) === "applied") this.applied += 1;
    } catch (error) {
      if (!(error instanceof PoisonRecord)) throw error;
      this.poisoned.push(error);
      if (this.options.onPoison === "stop") throw error;
      // Already parked by an earlier attempt that crashed before Kafka heard of its commit: not twice.
      if (await isPast(pool, topic, { partition: source.partition, offset: Number(source.message.offset) })) return;
      await this.deadLetter(error, source);
    }
  }
}
