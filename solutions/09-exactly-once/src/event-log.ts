/**
 * Given: step 05's events topic as an event store, made to read a log that transactions write.
 *
 * Two things change when some writers use Kafka transactions:
 *
 * - A record is in the log as soon as it is sent, but a `read_committed` reader (kafkajs's
 *   default) is given it only once its transaction commits, and never if it aborts. The
 *   commit or abort is itself a record, a *control marker*, which takes an offset and is never
 *   handed to anyone. So "I have read up to the end" is measured with the offsets kafkajs
 *   reports after each batch (including batches made only of markers and aborted records),
 *   not with the messages alone.
 * - "The end" for a `read_committed` reader is the *last stable offset*: the first offset of
 *   the oldest transaction still open. `fetchTopicOffsets` answers that for a read_committed
 *   client, so catchUp() never waits for someone else's open transaction — nor for its own.
 *
 * A reader built with `isolation: "read_uncommitted"` is handed every record, aborted ones
 * included: the tests use one to show what the log holds, not what it means.
 */
import { waitForGroupJoin, type Admin, type Consumer, type Kafka, type Producer } from "#kit/kafka";
import { MalformedEvent, parseEvent, toRecord, type EventEnvelope, type Position, type RecordedEvent } from "./envelope.ts";

/** A producer, or a transaction of a transactional producer: both send the same way. */
export type Sender = Pick<Producer, "send">;

/**
 * Appends one command's events, all of one account, in one send. Through a transaction they
 * are in the log at once but visible to read_committed readers only when it commits.
 * Returns the position of the last one.
 */
export async function appendEvents(sender: Sender, topic: string, events: readonly EventEnvelope[]): Promise<Position> {
  const accountId = events[0]?.metadata.accountId;
  if (accountId === undefined) throw new RangeError("appendEvents needs at least one event");
  if (events.some((event) => event.metadata.accountId !== accountId)) {
    throw new RangeError("appendEvents appends one account's events at a time: they must share one key and one partition");
  }
  const [written] = await sender.send({ topic, acks: -1, messages: events.map(toRecord) });
  if (!written) throw new RangeError(`the broker did not say where the events went in ${topic}`);
  return { partition: written.partition, offset: Number(written.baseOffset) + events.length - 1 };
}

/** The reader did not reach the end of the log in time: the broker is unreachable, or very slow. */
export class CatchUpTimedOut extends Error {
  override readonly name = "CatchUpTimedOut";
}

/** A record of the events topic that could not be read as an event, and where it is. */
export interface SkippedRecord {
  position: Position;
  error: MalformedEvent;
}

export type Isolation = "read_committed" | "read_uncommitted";

export class EventLogReader {
  readonly #consumer: Consumer;
  readonly #admin: Admin;
  readonly #byAccount = new Map<string, RecordedEvent[]>();
  /** partition → the offset of the next record to read (markers and aborted records included). */
  readonly #nextOffset = new Map<number, number>();
  readonly #waiters = new Set<() => void>();
  readonly skipped: SkippedRecord[] = [];

  constructor(
    kafka: Kafka,
    readonly topic: string,
    groupId: string,
    { isolation = "read_committed" }: { isolation?: Isolation } = {},
  ) {
    this.#consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 100, readUncommitted: isolation === "read_uncommitted" });
    this.#admin = kafka.admin();
  }

  async start(): Promise<void> {
    await Promise.all([this.#consumer.connect(), this.#admin.connect()]);
    await this.#consumer.subscribe({ topic: this.topic, fromBeginning: true });
    // kafkajs reports the last offset of every batch it fetched here, even of a batch that held
    // only a commit marker or aborted records (and was never given to eachBatch).
    this.#consumer.on(this.#consumer.events.END_BATCH_PROCESS, ({ payload }) => {
      const next = Number(payload.lastOffset) + 1;
      this.#nextOffset.set(payload.partition, Math.max(this.#nextOffset.get(payload.partition) ?? 0, next));
      for (const wake of this.#waiters) wake();
    });
    const joined = waitForGroupJoin(this.#consumer);
    await this.#consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        for (const message of batch.messages) this.#take(batch.partition, Number(message.offset), message.value?.toString("utf8") ?? "");
      },
    });
    await joined;
  }

  async stop(): Promise<void> {
    await Promise.allSettled([this.#consumer.disconnect(), this.#admin.disconnect()]);
    for (const wake of this.#waiters) wake();
  }

  /** Waits until the reader has read everything that is stable in the log now (up to the last stable offset). */
  async catchUp({ timeoutMs = 15_000 }: { timeoutMs?: number } = {}): Promise<void> {
    const ends = await this.#admin.fetchTopicOffsets(this.topic);
    const targets = ends.map((end) => ({ partition: end.partition, next: Number(end.high) }));
    const reached = () => targets.every(({ partition, next }) => next === 0 || (this.#nextOffset.get(partition) ?? 0) >= next);
    if (reached()) return;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiters.delete(check);
        reject(new CatchUpTimedOut(`the reader of ${this.topic} did not reach the end of the log within ${timeoutMs} ms`));
      }, timeoutMs);
      const check = () => {
        if (!reached()) return;
        clearTimeout(timer);
        this.#waiters.delete(check);
        resolve();
      };
      this.#waiters.add(check);
    });
  }

  /** The account's events read so far, oldest first. */
  eventsOf(accountId: string): RecordedEvent[] {
    return [...(this.#byAccount.get(accountId) ?? [])];
  }

  /** Every event read so far, account by account. */
  allEvents(): RecordedEvent[] {
    return [...this.#byAccount.values()].flat();
  }

  #take(partition: number, offset: number, raw: string): void {
    let event: EventEnvelope;
    try {
      event = parseEvent(raw);
    } catch (error) {
      if (!(error instanceof MalformedEvent)) throw error;
      this.skipped.push({ position: { partition, offset }, error });
      return;
    }
    const { accountId } = event.metadata;
    const history = this.#byAccount.get(accountId) ?? [];
    history.push({ ...event, position: { partition, offset } });
    this.#byAccount.set(accountId, history);
  }
}
