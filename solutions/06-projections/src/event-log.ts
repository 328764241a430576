// Copy of exercises/05-event-sourcing/src/event-log.ts: keep the two equal (the kit checks it).
/**
 * Given: the events topic as an event store — the Kafka adapter of the step.
 *
 * Appending is one send. Reading is the part Kafka does not give directly: a topic cannot
 * be asked for "alice's events", only read partition by partition. So an EventLogReader
 * tails the whole topic into memory, indexed by account, and `catchUp()` waits until it has
 * read everything that was in the log when it was called: after it, `eventsOf(accountId)`
 * is the account's full history up to that moment.
 *
 * What this adapter cannot do is the point of the step: Kafka has no "append only if the
 * account is still at version N". Whoever appends, appends.
 */
import { waitForGroupJoin, type Admin, type Consumer, type Kafka, type Producer } from "#kit/kafka";
import { MalformedEvent, parseEvent, toRecord, type EventEnvelope, type Position, type RecordedEvent } from "./envelope.ts";

/**
 * Appends one command's events, all of one account, in one send: they land in one partition,
 * in order, and the broker has them (acks from all in-sync replicas) when this returns.
 * Returns the position of the last one — what a reader must have reached to see them all.
 */
export async function appendEvents(producer: Producer, topic: string, events: readonly EventEnvelope[]): Promise<Position> {
  const accountId = events[0]?.metadata.accountId;
  if (accountId === undefined) throw new RangeError("appendEvents needs at least one event");
  if (events.some((event) => event.metadata.accountId !== accountId)) {
    throw new RangeError("appendEvents appends one account's events at a time: they must share one key and one partition");
  }
  const [written] = await producer.send({ topic, acks: -1, messages: events.map(toRecord) });
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

export class EventLogReader {
  readonly #consumer: Consumer;
  readonly #admin: Admin;
  readonly #byAccount = new Map<string, RecordedEvent[]>();
  readonly #accountsByPartition = new Map<number, Set<string>>();
  /** partition → the offset of the next record to read. */
  readonly #nextOffset = new Map<number, number>();
  readonly #waiters = new Set<() => void>();
  /** Records that are not valid events: skipped, kept here, and the partition goes on (step 08 sends them to a dead-letter topic). */
  readonly skipped: SkippedRecord[] = [];

  constructor(
    kafka: Kafka,
    readonly topic: string,
    groupId: string,
  ) {
    // Each reader is its own group, so it is given every partition and reads them all.
    this.#consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 100 });
    this.#admin = kafka.admin();
  }

  async start(): Promise<void> {
    await Promise.all([this.#consumer.connect(), this.#admin.connect()]);
    await this.#consumer.subscribe({ topic: this.topic, fromBeginning: true });
    const joined = waitForGroupJoin(this.#consumer);
    // The reader never commits: each start reads the log from the beginning, which is how it rebuilds.
    await this.#consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        for (const message of batch.messages) {
          this.#take(batch.partition, Number(message.offset), message.value?.toString("utf8") ?? "");
        }
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

  /**
   * Waits until the reader has read every record that is in the log now (in `partitions`, or
   * all). Events appended after the call may or may not be included.
   */
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

  /** The account's events read so far, oldest first. Call catchUp() first to include the latest. */
  eventsOf(accountId: string): RecordedEvent[] {
    return [...(this.#byAccount.get(accountId) ?? [])];
  }

  /** The accounts whose events were read from `partition`. */
  accountsIn(partition: number): string[] {
    return [...(this.#accountsByPartition.get(partition) ?? [])];
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
    const accounts = this.#accountsByPartition.get(partition) ?? new Set();
    accounts.add(accountId);
    this.#accountsByPartition.set(partition, accounts);
  }
}
