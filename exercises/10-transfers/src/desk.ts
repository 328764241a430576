/**
 * Given: the transfer desk — where a client asks for a transfer, and later asks how it ended.
 *
 * `request` checks the request (its shape here, its rules in decideRequest: Task 4) and, if it
 * is new, appends TransferRequested to the transfers topic. It answers "requested", not
 * "done": the money has not moved yet. The saga moves it; the client learns the outcome from
 * `outcomeOf`, which reads TransferCompleted or TransferFailed from the log.
 */
import { defaultProducerConfig, type Kafka, type Producer } from "#kit/kafka";
import { envelop, parseTransferEvent, systemStamp, type Position, type Stamp, type TransferEnvelope } from "./envelope.ts";
import { appendEvents, LogReader } from "./log.ts";
import type { BankTopics } from "./saga.ts";
import { decideRequest, parseTransferRequest, type TransferCompleted, type TransferFailed, type TransferRejection, type TransferRequest } from "./transfer.ts";
import type { Writers } from "./writer.ts";

export type RequestAnswer =
  | { outcome: "requested"; request: TransferRequest; position: Position }
  | { outcome: "already requested"; request: TransferRequest }
  | { outcome: "rejected"; rejection: TransferRejection };

export class TransferDesk {
  readonly #producer: Producer;
  readonly #transfers: LogReader<TransferEnvelope>;
  readonly #stamp: Stamp;

  constructor(
    kafka: Kafka,
    readonly topics: BankTopics,
    readonly writers: Writers,
    readerGroupId: string,
    stamp: Stamp = systemStamp,
  ) {
    this.#producer = kafka.producer(defaultProducerConfig);
    this.#transfers = new LogReader(kafka, topics.transfers, readerGroupId, parseTransferEvent);
    this.#stamp = stamp;
  }

  async start(): Promise<void> {
    await Promise.all([this.#producer.connect(), this.#transfers.start()]);
  }

  async stop(): Promise<void> {
    await Promise.allSettled([this.#producer.disconnect(), this.#transfers.stop()]);
  }

  /** Checks a request and records it; anything refused writes nothing. */
  async request(input: unknown): Promise<RequestAnswer> {
    const parsed = parseTransferRequest(input);
    if (!parsed.ok) return { outcome: "rejected", rejection: parsed.rejection };
    const { request } = parsed;
    await this.#transfers.catchUp();
    const earlier = this.#transfers.eventsOf(request.transferId).find((event) => event.type === "TransferRequested")?.data;
    // Who knows whether an account exists: the writer that owns it.
    const [from, to] = await Promise.all([this.writers.stateOf(request.from), this.writers.stateOf(request.to)]);
    const decision = decideRequest(request, { from, to, earlier });
    if (decision.outcome === "rejected") return decision;
    if (decision.outcome === "repeat") return { outcome: "already requested", request };
    const events = envelop([{ type: "TransferRequested" as const, data: request }], { streamId: request.transferId, causationId: request.transferId, stamp: this.#stamp });
    const position = await appendEvents(this.#producer, this.topics.transfers, events);
    return { outcome: "requested", request, position };
  }

  /** How the transfer ended, as the log says now; undefined while it is under way. */
  async outcomeOf(transferId: string): Promise<TransferCompleted | TransferFailed | undefined> {
    await this.#transfers.catchUp();
    const ended = this.#transfers.eventsOf(transferId).find((event) => event.type === "TransferCompleted" || event.type === "TransferFailed");
    return ended === undefined ? undefined : ({ type: ended.type, data: ended.data } as TransferCompleted | TransferFailed);
  }

  /** Every event of the transfers topic read so far (after outcomeOf or request, up to date). */
  transferEvents(): TransferEnvelope[] {
    return this.#transfers.allEvents();
  }
}
