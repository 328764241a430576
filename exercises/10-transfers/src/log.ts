/**
 * Given: a topic as an event store — step 05's event log, for any kind of stream.
 *
 * Appending is one send of one stream's events: they land in one partition, in order.
 * Reading tails the whole topic into memory, indexed by stream, and `catchUp()` waits until
 * everything that was in the log when it was called has been read.
 */
import { waitForGroupJoin, type Admin, type Consumer, type Kafka, type Producer } from "#kit/kafka";
import { MalformedEvent, toRecord, type Envelope, type Position, type Recorded } from "./envelope.ts";

/** Appends one stream's events in one send (acks from all in-sync replicas); returns the position of the last one. */
export async function appendEvents(producer: Producer, topic: string, events: ReadonlyArray<Envelope<{ type: string }>>): Promise<Position> {
  const streamId = events[0]?.metadata.streamId;
  if (streamId === undefined) throw new RangeError("appendEvents needs at least one event");
  if (events.some((event) => event.metadata.streamId !== streamId)) {
    throw new RangeError("appendEvents appends one stream's events at a time: they must share one key and one partition");
  }
  const [written] = await producer.send({ topic, acks: -1, messages: events.map(toRecord) });
  if (!written) throw new RangeError(`the broker did not say where the events went in ${topic}`);
  return { partition: written.partition, offset: Number(written.baseOffset) + events.length - 1 };
}

/** The reader did not reach the end of the log in time: the broker is unreachable, or very slow. */
export class CatchUpTimedOut extends Error {
  override readonly name = "CatchUpTimedOut";
}

export class LogReader<E extends Envelope<{ type: string }>> {
  readonly #consumer: Consumer;
  readonly #admin: Admin;
  readonly #byStream = new Map<string, Array<Recorded<E>>>();
  readonly #all: Array<Recorded<E>> = [];
  /** partition → the offset of the next record to read. */
  readonly #nextOffset = new Map<number, number>();
  readonly #waiters = new Set<() => void>();
  /** Records that are not valid events: skipped and kept here; the partition goes on. */
  readonly skipped: MalformedEvent[] = [];

  constructor(
    kafka: Kafka,
    readonly topic: string,
    groupId: string,
    readonly parse: (raw: string) => E,
  ) {
    // Its own group: it is given every partition and reads them all.
    this.#consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 100 });
    this.#admin = kafka.admin();
  }

  async start(): Promise<void> {
    await Promise.all([this.#consumer.connect(), this.#admin.connect()]);
    await this.#consumer.subscribe({ topic: this.topic, fromBeginning: true });
    const joined = waitForGroupJoin(this.#consumer);
    // Never commits: each start reads the log from the beginning.
    await this.#consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        for (const message of batch.messages) this.#take(batch.partition, Number(message.offset), message.value?.toString("utf8") ?? "");
        this.#nextOffset.set(batch.partition, Math.max(this.#nextOffset.get(batch.partition) ?? 0, Number(batch.lastOffset()) + 1));
        for (const wake of this.#waiters) wake();
      },
    });
    await joined;
  }

  async stop(): Promise<void> {
    await Promise.allSettled([this.#consumer.disconnect(), this.#admin.disconnect()]);
    for (const wake of this.#waiters) wake();
  }

  /** Waits until every record in the log now (in `partitions`, or all) has been read. */
  async catchUp({ partitions, timeoutMs = 15_000 }: { partitions?: readonly number[]; timeoutMs?: number } = {}): Promise<void> {
    const ends = await this.#admin.fetchTopicOffsets(this.topic);
    const targets = ends
      .filter((end) => partitions === undefined || partitions.includes(end.partition))
      .map((end) => ({ partition: end.partition, next: Number(end.high) }));
    const reached = () => targets.every(({ partition, next }) => (this.#nextOffset.get(partition) ?? 0) >= next);
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

  /** The stream's events read so far, oldest first. */
  eventsOf(streamId: string): Array<Recorded<E>> {
    return [...(this.#byStream.get(streamId) ?? [])];
  }

  /** Every event read so far, in the order it was read (in order within a partition, not across). */
  allEvents(): Array<Recorded<E>> {
    return [...this.#all];
  }

  #take(partition: number, offset: number, raw: string): void {
    let event: E;
    try {
      event = this.parse(raw);
    } catch (error) {
      if (!(error instanceof MalformedEvent)) throw error;
      this.skipped.push(error);
      return;
    }
    const recorded: Recorded<E> = { ...event, position: { partition, offset } };
    const stream = this.#byStream.get(event.metadata.streamId) ?? [];
    stream.push(recorded);
    this.#byStream.set(event.metadata.streamId, stream);
    this.#all.push(recorded);
  }
}
