/**
 * Given: the accounts' writers — step 05's "one writer per partition", without the commands
 * topic around it.
 *
 * Each AccountWriter owns some partitions of the accounts topic and is the only one that
 * appends to them. It takes one command at a time (a queue in memory), so its load-decide-
 * append cannot race with itself: no overdraft, however many transfers ask at once. Because
 * nobody else writes its partitions, what it has folded stays true, and it keeps each
 * account's state in memory after loading it once from the log. Reads of that state go through
 * the same queue: a read that loaded an account before a command's append must not put the
 * older state back after it.
 *
 * In step 05 the commands reached the writers through a commands topic and a consumer group;
 * here the desk and the saga call the writer that owns the account directly (`Writers`), so
 * that this step is about the saga and not about the plumbing. The rule is the same: one
 * account, one writer, one command at a time — and two accounts may have two different writers,
 * with nothing that sees both.
 */
import { noFailpoints, type FailpointHook } from "#kit/failpoints";
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
  /** "queued": an operation waits for the one before it; "state-loaded": an account's state was folded from the log, not yet kept. */
  points?: FailpointHook;
}

export class AccountWriter {
  readonly #producer: Producer;
  readonly #reader: LogReader<AccountEnvelope>;
  readonly #states = new Map<string, AccountState>();
  readonly #stamp: Stamp;
  readonly #points: FailpointHook;
  /** The tail of the queue: each operation starts when the one before it has finished. */
  #queue: Promise<unknown> = Promise.resolve();
  /** Operations handed to this writer and not finished yet. */
  #unfinished = 0;
  /** How many commands this writer has decided: lets a test see who did the work. */
  handledCount = 0;

  constructor(readonly options: WriterOptions) {
    this.#producer = options.kafka.producer(defaultProducerConfig);
    this.#reader = new LogReader(options.kafka, options.topic, options.readerGroupId, parseAccountEvent);
    this.#stamp = options.stamp ?? systemStamp;
    this.#points = options.points ?? noFailpoints;
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

  /** Decides and appends one command, after every operation handed to this writer before it. */
  handle(command: AccountCommand, origin: CommandOrigin): Promise<WriterAnswer> {
    return this.#inTurn(() => this.#decideAndAppend(command, origin));
  }

  /** The account's state as this writer knows it, after every command handed to it before. */
  stateOf(accountId: string): Promise<AccountState> {
    return this.#inTurn(() => this.#load(accountId));
  }

  /** Runs `work` once every operation handed over before it has finished. */
  #inTurn<T>(work: () => Promise<T>): Promise<T> {
    const before = this.#queue;
    const waits = this.#unfinished > 0;
    this.#unfinished += 1;
    const turn = (async () => {
      if (waits) await this.#points.reach("queued");
      await before;
      return work();
    })();
    const done = turn.finally(() => (this.#unfinished -= 1));
    this.#queue = done.catch(() => {}); // a failed operation must not block the ones behind it
    return done;
  }

  /** The account's state, loaded from the log on first use. Only ever called in turn. */
  async #load(accountId: string): Promise<AccountState> {
    const known = this.#states.get(accountId);
    if (known) return known;
    await this.#reader.catchUp({ partitions: this.options.partitions });
    const state = foldEvents(this.#reader.eventsOf(accountId));
    await this.#points.reach("state-loaded");
    this.#states.set(accountId, state);
    return state;
  }

  async #decideAndAppend(command: AccountCommand, { causationId, correlationId }: CommandOrigin): Promise<WriterAnswer> {
    const { accountId } = command.data;
    if (!this.owns(accountId)) {
      throw new NotThisWritersAccount(`account ${JSON.stringify(accountId)} is in partition ${partitionOf(accountId, this.options.partitionCount)}, not one of ${this.options.partitions.join(", ")}`);
    }
    const state = await this.#load(accountId);
    const decision = decide(command, state);
    this.handledCount += 1;
    if (decision.outcome === "rejected") return decision;
    if (decision.events.length === 0) return { outcome: "accepted", events: [], position: undefined };
    const events = envelop(decision.events, { streamId: accountId, causationId, correlationId, stamp: this.#stamp });
    let position: Position;
    try {
      position = await appendEvents(this.#producer, this.options.topic, events);
    } catch (error) {
      // A failed append may still have reached the log (its acknowledgement lost): forget the
      // state, so that the next command reloads it from the log instead of deciding without it.
      this.#states.delete(accountId);
      throw error;
    }
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
