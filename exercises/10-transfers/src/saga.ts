/**
 * The transfer saga (a process manager): it takes each TransferRequested from the transfers
 * topic and drives it to its end, one leg at a time, each leg a command to ONE account's writer.
 *
 *   debit the source ──refused──▶ TransferFailed (nothing moved)
 *        │ done
 *        ▼                          [money in flight: out of the source, not yet in the target]
 *   credit the target ──refused──▶ refund the source ──▶ TransferFailed (refunded)
 *        │ done
 *        ▼
 *   TransferCompleted
 *
 * There is no transaction around the legs, and no lock: between the debit and the credit the
 * money is in neither account, and any reader can see that. What makes it safe is not
 * atomicity but three other things:
 *   - every leg is idempotent by transfer id (domain.ts): asking twice does it once;
 *   - the saga keeps nothing that matters in memory: what a transfer has done is in the log
 *     (its legs on the accounts topic, its outcome on the transfers topic), so any instance can
 *     pick it up where another one crashed;
 *   - the request is committed in the saga's consumer group only when its outcome is written.
 */
import { defaultProducerConfig, waitForGroupJoin, type Consumer, type EachMessagePayload, type Kafka, type Producer } from "#kit/kafka";
import { noFailpoints, type FailpointHook } from "#kit/failpoints";
import { todo } from "#kit/todo";
import { envelop, parseAccountEvent, parseTransferEvent, systemStamp, type AccountEnvelope, type Stamp, type TransferEnvelope } from "./envelope.ts";
import type { AccountEvent, TransferLegEvent } from "./domain.ts";
import { appendEvents, LogReader } from "./log.ts";
import { afterAnswer, nextStep, progressFromLog, type TransferCompleted, type TransferFailed, type TransferProgress, type TransferRequest } from "./transfer.ts";
import type { Writers } from "./writer.ts";

export interface BankTopics {
  /** Account events, keyed by account id. */
  accounts: string;
  /** Transfer events, keyed by transfer id. */
  transfers: string;
}

export interface SagaOptions {
  kafka: Kafka;
  topics: BankTopics;
  writers: Writers;
  /** The sagas' consumer group on the transfers topic: every instance uses the same one. */
  groupId: string;
  /** This instance's own groups for reading both topics. */
  readerGroupId: string;
  stamp?: Stamp;
  /** "after-debit", "after-credit", "after-refund": reached when that leg is done. */
  points?: FailpointHook;
  /** Told about a failure while driving a transfer (a crash, the broker gone): the instance stops taking requests. */
  onError?: (error: unknown) => void;
}

export class TransferSaga {
  readonly #producer: Producer;
  readonly #accounts: LogReader<AccountEnvelope>;
  readonly #transfers: LogReader<TransferEnvelope>;
  readonly #points: FailpointHook;
  readonly #stamp: Stamp;
  #consumer: Consumer | undefined;
  /** How many requests this instance drove to their end. */
  finishedCount = 0;

  constructor(readonly options: SagaOptions) {
    const { kafka, topics, readerGroupId } = options;
    this.#producer = kafka.producer(defaultProducerConfig);
    this.#accounts = new LogReader(kafka, topics.accounts, `${readerGroupId}.accounts`, parseAccountEvent);
    this.#transfers = new LogReader(kafka, topics.transfers, `${readerGroupId}.transfers`, parseTransferEvent);
    this.#points = options.points ?? noFailpoints;
    this.#stamp = options.stamp ?? systemStamp;
  }

  /** Connects and starts reading the log; `drive` works from here on. */
  async start(): Promise<void> {
    await Promise.all([this.#producer.connect(), this.#accounts.start(), this.#transfers.start()]);
  }

  /** Joins the sagas' group and drives every request it is given; resolves once it has its partitions. */
  async consume(): Promise<void> {
    const consumer = this.options.kafka.consumer({ groupId: this.options.groupId, maxWaitTimeInMs: 100, heartbeatInterval: 500 });
    this.#consumer = consumer;
    await consumer.connect();
    await consumer.subscribe({ topic: this.options.topics.transfers, fromBeginning: true });
    const joined = waitForGroupJoin(consumer);
    // Commit after every record: a request is committed only once its outcome is on the log.
    await consumer.run({ autoCommitThreshold: 1, eachMessage: (payload) => this.#onMessage(payload) });
    await joined;
  }

  async stop(): Promise<void> {
    await this.#consumer?.disconnect();
    await Promise.allSettled([this.#producer.disconnect(), this.#accounts.stop(), this.#transfers.stop()]);
  }

  /**
   * Given: what the log says this transfer has done — its legs on the two accounts and its own
   * events — read up to the end of both topics.
   */
  async progressOf(request: TransferRequest): Promise<TransferProgress> {
    await Promise.all([this.#accounts.catchUp(), this.#transfers.catchUp()]);
    const legs = [...this.#accounts.eventsOf(request.from), ...this.#accounts.eventsOf(request.to)].flatMap((event) => legOf(event, request.transferId));
    return progressFromLog(request, legs, this.#transfers.eventsOf(request.transferId));
  }

  /**
   * Task 3 — drive a transfer to its end.
   * Start from what the log says (progressOf) and repeat nextStep until it says "finished".
   * A leg is a command to the account's writer (this.options.writers.handle), sent with
   * causationId `${transferId}/${leg}` and correlationId the transfer id; record its answer
   * (afterAnswer), and when the account accepted it, reach the failpoint `after-${leg}`. An
   * outcome (complete or fail) is appended to the transfers topic (this.record) and ends the
   * transfer. Returns the final progress.
   */
  async drive(request: TransferRequest): Promise<TransferProgress> {
    return todo(
      "Task 3 — drive a transfer to its end: start from progressOf(request) and repeat nextStep until it says finished. A leg is a command to this.options.writers.handle with causationId `${transferId}/${leg}` and correlationId the transfer id; record the answer with afterAnswer, and when the account accepted it, reach the failpoint `after-${leg}` (this.#points). An outcome (complete or fail) is appended with this.record and ends the transfer. Return the final progress.",
    );
  }

  /** Given: appends a transfer's outcome to the transfers topic, keyed by its id. */
  async record(event: TransferCompleted | TransferFailed): Promise<void> {
    const { transferId } = event.data;
    const events = envelop([event], { streamId: transferId, causationId: transferId, correlationId: transferId, stamp: this.#stamp });
    await appendEvents(this.#producer, this.options.topics.transfers, events);
  }

  async #onMessage({ message, pause }: EachMessagePayload): Promise<void> {
    let event: TransferEnvelope;
    try {
      event = parseTransferEvent(message.value?.toString("utf8") ?? "");
    } catch {
      return; // not a transfer event: nothing to drive (a real service would dead-letter it: step 08)
    }
    if (event.type !== "TransferRequested") return; // outcomes are this saga's own records
    try {
      await this.drive(event.data);
      this.finishedCount += 1;
    } catch (error) {
      // Behave as a crashed process: take no more from this partition and do not commit the
      // request. Whoever owns the partition next gets it again and resumes from the log.
      pause();
      this.options.onError?.(error);
      throw error;
    }
  }
}

/** The event as a leg of this transfer, or nothing. */
function legOf(event: AccountEvent, transferId: string): TransferLegEvent[] {
  const isLeg = event.type === "TransferDebited" || event.type === "TransferCredited" || event.type === "TransferRefunded";
  return isLeg && event.data.transferId === transferId ? [event] : [];
}
