/**
 * Given: the accounts' writers — step 05's "one writer per partition", without the commands
 * topic around it.
 *
 * Each AccountWriter owns some partitions of the accounts topic and is the only one that
 * appends to them. It takes one command at a time (a queue in memory), so its load-decide-
 * append cannot race with itself: no overdraft, however many transfers ask at once. Because
 * nobody else writes its partitions, what it has folded stays true, and it keeps each
 * account's state in memory after loading it once from the log.
 *
 * In step 05 the commands reached the writers through a commands topic and a consumer group;
 * here the desk and the saga call the writer that owns the account directly (`Writers`), so
 * that this step is about the saga and not about the plumbing. The rule is the same: one
 * account, one writer, one command at a time — and two accounts may have two different writers,
 * with nothing that sees both.
 */
import { defaultProducerConfig, partitionOf, type Kafka, type Producer } from "#kit/kafka";
import { decide, foldEvents, type AccountCommand, type AccountRejection, type AccountState } from "./domain.ts";
import { envelop, parseAccountEvent, systemStamp, type AccountEnvelope, type Position, type Stamp } from "./envelope.ts";
import { appendEvents, LogReader } from "./log.ts";

export type WriterAnswer = { outcome: "accepted"; events: AccountEnvelope[]; position: Position | undefined } | { outcome: "rejected"; rejection: AccountRejection };

/** Who asked: the command's id, and the conversation it belongs to (a transfer's id). */
export interface CommandOrigin {
  causationId: string;
  correlationId?: string;
}

/** A command reached a writer that does not own the account's partition: a routing bug. */
export class NotThisWritersAccount extends Error {
  override readonly name = "NotThisWritersAccount";
}

export interface WriterOptions {
  kafka: Kafka;
  /** The accounts topic. */
  topic: string;
  /** How many partitions it has: with the key, that says where an account lives. */
  partitionCount: number;
  /** The partitions this writer owns. */
  partitions: readonly number[];
  /** Its own group for reading the accounts topic. */
  readerGroupId: string;
  stamp?: Stamp;
}

export class AccountWriter {
  readonly #producer: Producer;
  readonly #reader: LogReader<AccountEnvelope>;
  readonly #states = new Map<string, AccountState>();
  readonly #stamp: Stamp;
  /** The tail of the queue: each command starts when the one before it has finished. */
  #queue: Promise<unknown> = Promise.resolve();
  /** How many commands this writer has decided: lets a test see who did the work. */
  handledCount = 0;

  constructor(readonly options: WriterOptions) {
    this.#producer = options.kafka.producer(defaultProducerConfig);
    this.#reader = new LogReader(options.kafka, options.topic, options.readerGroupId, parseAccountEvent);
    this.#stamp = options.stamp ?? systemStamp;
  }

  async start(): Promise<void> {
    await Promise.all([this.#producer.connect(), this.#reader.start()]);
  }

  async stop(): Promise<void> {
    await Promise.allSettled([this.#producer.disconnect(), this.#reader.stop()]);
  }

  owns(accountId: string): boolean {
    return this.options.partitions.includes(partitionOf(accountId, this.options.partitionCount));
  }

  /** Decides and appends one command, after every command handed to this writer before it. */
  handle(command: AccountCommand, origin: CommandOrigin): Promise<WriterAnswer> {
    const answer = this.#queue.then(() => this.#decideAndAppend(command, origin));
    this.#queue = answer.catch(() => {}); // a failed command must not block the ones behind it
    return answer;
  }

  /** The account's state as this writer knows it (loaded from the log on first use). */
  async stateOf(accountId: string): Promise<AccountState> {
    const known = this.#states.get(accountId);
    if (known) return known;
    await this.#reader.catchUp({ partitions: this.options.partitions });
    const state = foldEvents(this.#reader.eventsOf(accountId));
    this.#states.set(accountId, state);
    return state;
  }

  async #decideAndAppend(command: AccountCommand, { causationId, correlationId }: CommandOrigin): Promise<WriterAnswer> {
    const { accountId } = command.data;
    if (!this.owns(accountId)) {
      throw new NotThisWritersAccount(`account ${JSON.stringify(accountId)} is in partition ${partitionOf(accountId, this.options.partitionCount)}, not one of ${this.options.partitions.join(", ")}`);
    }
    const state = await this.stateOf(accountId);
    const decision = decide(command, state);
    this.handledCount += 1;
    if (decision.outcome === "rejected") return decision;
    if (decision.events.length === 0) return { outcome: "accepted", events: [], position: undefined };
    const events = envelop(decision.events, { streamId: accountId, causationId, correlationId, stamp: this.#stamp });
    const position = await appendEvents(this.#producer, this.options.topic, events);
    // Only after the broker has them: a failed append leaves the state as the log has it.
    this.#states.set(accountId, foldEvents(events, state));
    return { outcome: "accepted", events, position };
  }
}

/** Routes each command to the writer that owns its account's partition. */
export class Writers {
  constructor(readonly all: readonly AccountWriter[]) {}

  writerFor(accountId: string): AccountWriter {
    const writer = this.all.find((candidate) => candidate.owns(accountId));
    if (!writer) throw new NotThisWritersAccount(`no writer owns the partition of account ${JSON.stringify(accountId)}`);
    return writer;
  }

  handle(command: AccountCommand, origin: CommandOrigin): Promise<WriterAnswer> {
    return this.writerFor(command.data.accountId).handle(command, origin);
  }

  stateOf(accountId: string): Promise<AccountState> {
    return this.writerFor(accountId).stateOf(accountId);
  }
}
