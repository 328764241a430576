/**
 * The command processor of step 05, in two designs that differ only in how a command's work
 * reaches Kafka:
 *
 *   transactions: "none"         step 05's design: append the events, send the result, commit
 *                                the offset — three separate writes. One writer per partition
 *                                holds only while group membership is honest.
 *   transactions: "per-command"  read-process-write in one Kafka transaction: the events, the
 *                                result and the consumer's offset commit together or not at
 *                                all (Task 4); the transactional id belongs to the input
 *                                partition, and whoever is given the partition claims it
 *                                first, which fences the previous owner (Task 3).
 *   transactions: "per-poll"     the same, one transaction for every command of a fetched
 *                                batch: fewer commits, and a failure redoes the whole batch.
 *
 * Why the transactional id follows the partition: Kafka fences a producer when another one
 * initialises the same transactional id. If each member had its own id, nothing would link
 * the zombie's producer to its successor's. (Kafka's Java client can instead fence by the
 * consumer group's generation, KIP-447; kafkajs cannot.)
 */
import { defaultProducerConfig, waitForGroupJoin, type Consumer, type EachBatchPayload, type Kafka, type KafkaMessage, type Producer } from "#kit/kafka";
import { noFailpoints, type FailpointHook } from "#kit/failpoints";
import { todo } from "#kit/todo";
import { decide, foldEvents, type AccountState } from "./domain.ts";
import { COMMAND_ID_HEADER, parseCommand, type CommandResult, type ReceivedCommand } from "./commands.ts";
import { envelop, systemStamp, type RecordedEvent, type Stamp } from "./envelope.ts";
import { appendEvents, EventLogReader, type Sender } from "./event-log.ts";
import { answerRetry, requestHash, type RememberedRequest } from "./idempotency.ts";

export interface WalletTopics {
  commands: string;
  events: string;
  results: string;
}

export type TransactionMode = "none" | "per-command" | "per-poll";

export interface ProcessorOptions {
  kafka: Kafka;
  topics: WalletTopics;
  /** The processors' consumer group: every instance of the service uses the same one. */
  groupId: string;
  /** This instance's own group for reading the events topic (each instance reads all of it). */
  readerGroupId: string;
  /** "per-command" unless said otherwise. */
  transactions?: TransactionMode;
  /**
   * How long the group waits for a silent member before it gives the member's partitions to
   * others (kafkajs: 30 s). The broker accepts 6 s at the least. A member busy inside one
   * command sends no heartbeat: held longer than this, it is expelled while still working.
   */
  sessionTimeout?: number;
  stamp?: Stamp;
  points?: FailpointHook;
  /** Told about a failure that is not the caller's fault: the processor stops taking that partition's commands. */
  onError?: (error: unknown) => void;
}

/** What the processor knows of one account it owns. */
export interface AccountStream {
  state: AccountState;
  /** The version of the account's last event: the next one is version + 1. */
  version: number;
  /** Results of commands already answered, by command id: a redelivered command is answered again, not applied again. */
  applied: Map<string, CommandResult>;
  /** The idempotency keys used on this account, with what they were for and what they got. */
  keys: Map<string, RememberedRequest>;
}

/**
 * The producer of this transactional id was fenced: another member has initialised the same
 * id since, so this one is a zombie — what it wrote in its open transaction is aborted, and
 * it may write nothing more.
 */
export class Fenced extends Error {
  override readonly name = "Fenced";

  constructor(
    readonly transactionalId: string,
    /** What kafkajs said: INVALID_PRODUCER_EPOCH (or PRODUCER_FENCED from newer protocol versions). */
    readonly kafkaError: unknown,
  ) {
    super(`the producer of transactional id ${JSON.stringify(transactionalId)} was fenced by a newer owner of its partition: nothing it wrote in its transaction will be visible`);
  }
}

/** A command of a partition this member holds no claimed producer for: a bug, or a rebalance in between. */
export class NotOwner extends Error {
  override readonly name = "NotOwner";

  constructor(readonly partition: number) {
    super(`this processor has not claimed partition ${partition} of the commands topic`);
  }
}

/** Kafka's answers that mean "a newer producer with your transactional id exists". */
const fencingErrors = new Set(["INVALID_PRODUCER_EPOCH", "PRODUCER_FENCED"]);

/** Given: a kafkajs error that says the producer was fenced becomes Fenced; anything else is returned as it is. */
export function asFenced(error: unknown, transactionalId: string): unknown {
  let cause: unknown = error;
  // kafkajs wraps some protocol errors (in retries, in "number of retries exceeded"): look inside.
  for (let depth = 0; depth < 5 && cause; depth++) {
    if (fencingErrors.has((cause as { type?: string }).type ?? "")) return new Fenced(transactionalId, error);
    cause = (cause as { originalError?: unknown; cause?: unknown }).originalError ?? (cause as { cause?: unknown }).cause;
  }
  return error;
}

/** Given: the record that answers a command on the results topic. */
export function toResultRecord(result: CommandResult): { key: string; value: string } {
  return { key: result.commandId, value: JSON.stringify(result) };
}

/** Given: the offset to commit after `messages`: the next one to read. */
export function offsetAfter(messages: readonly KafkaMessage[]): string {
  const last = messages[messages.length - 1];
  if (!last) throw new RangeError("offsetAfter needs at least one message");
  return String(Number(last.offset) + 1);
}

export class CommandProcessor {
  readonly #consumer: Consumer;
  /** The plain producer of the "none" design. */
  readonly #producer: Producer;
  readonly #reader: EventLogReader;
  readonly #stamp: Stamp;
  readonly #points: FailpointHook;
  readonly #onError: (error: unknown) => void;
  readonly #streams = new Map<string, AccountStream>();
  /** partition → the transactional producer this member claimed for it. */
  readonly #producers = new Map<number, Producer>();
  /** The claims of the latest assignment: commands wait for them. */
  #claimed: Promise<void> = Promise.resolve();
  readonly mode: TransactionMode;
  /** The commands-topic partitions this member was last given (a zombie does not know it lost them). */
  assignedPartitions: number[] = [];
  /** How many commands this member has answered: counted before a plain answer is sent, and once a transaction has committed. */
  handledCount = 0;

  constructor(readonly options: ProcessorOptions) {
    const { kafka, topics, groupId, readerGroupId, sessionTimeout } = options;
    this.mode = options.transactions ?? "per-command";
    this.#consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 100, heartbeatInterval: 500, ...(sessionTimeout === undefined ? {} : { sessionTimeout }) });
    this.#producer = kafka.producer(defaultProducerConfig);
    this.#reader = new EventLogReader(kafka, topics.events, readerGroupId);
    this.#stamp = options.stamp ?? systemStamp;
    this.#points = options.points ?? noFailpoints;
    this.#onError = options.onError ?? (() => {});
  }

  get topics(): WalletTopics {
    return this.options.topics;
  }

  get stamp(): Stamp {
    return this.#stamp;
  }

  /** The transactional id of a partition of the commands topic: the same in every member of the group. */
  transactionalIdOf(partition: number): string {
    return `${this.options.groupId}.tx.${partition}`;
  }

  /** Connects, joins the group, and resolves once this member has been given its partitions (and claimed them). */
  async start(): Promise<void> {
    await Promise.all([this.#producer.connect(), this.#reader.start(), this.#consumer.connect()]);
    this.#consumer.on(this.#consumer.events.GROUP_JOIN, ({ payload }) => {
      // Ownership may have changed: forget every account; each is rebuilt from the log on first use.
      this.#streams.clear();
      const partitions = payload.memberAssignment[this.topics.commands] ?? [];
      this.assignedPartitions = partitions;
      if (this.mode !== "none") {
        // kafkajs does not wait for this listener: commands of the new assignment wait for #claimed instead.
        this.#claimed = this.#claimed.catch(() => {}).then(() => this.#claimAll(partitions));
        this.#claimed.catch(() => {}); // awaited by the next batch, which reports it
      }
    });
    await this.#consumer.subscribe({ topic: this.topics.commands, fromBeginning: true });
    const joined = waitForGroupJoin(this.#consumer);
    await this.#consumer.run({
      // "none" commits each offset as soon as it is resolved (step 05); a transaction commits its own.
      autoCommit: this.mode === "none",
      autoCommitThreshold: 1,
      eachBatchAutoResolve: false,
      eachBatch: (payload) => (this.mode === "none" ? this.#plainBatch(payload) : this.#transactionalBatch(payload)),
    });
    await joined;
    await this.#claimed;
  }

  async stop(): Promise<void> {
    await this.#consumer.disconnect();
    // A claim still in flight would add its producer after we look: wait for it (its error, if
    // any, is the next batch's to report, and there is none now).
    await this.#claimed.catch(() => {});
    await Promise.allSettled([this.#producer.disconnect(), this.#reader.stop(), ...[...this.#producers.values()].map((producer) => producer.disconnect())]);
  }

  /** The producer claimed for `partition`, or NotOwner. */
  producerFor(partition: number): Producer {
    const producer = this.#producers.get(partition);
    if (!producer) throw new NotOwner(partition);
    return producer;
  }

  /**
   * Task 3 — claim the partition's transactional id.
   * Create a transactional producer for the partition's id (transactionalIdOf; kafkajs wants
   * maxInFlightRequests: 1 and idempotent: true with it; start from defaultProducerConfig),
   * connect it, and make it initialise the id *now*: kafkajs asks the broker for the id's
   * producer epoch only when a first transaction begins, and that request is what fences the
   * previous owner (and aborts its open transaction). So begin a transaction and abort it,
   * empty. Return the producer. A producer that is merely connected has fenced nobody. If the
   * claim fails, disconnect the producer before the error goes on: nobody else holds it.
   */
  async claimPartition(partition: number): Promise<Producer> {
    return todo("Task 3 — claim the partition's transactional id: return a connected, idempotent transactional producer for this partition's id that has already fenced the id's previous owner (kafkajs does that only when a first transaction begins, not at connect)");
  }

  /**
   * Task 4 — read, process and write in one transaction.
   * For `messages`, the next commands of `partition`: begin a transaction on the partition's
   * claimed producer (producerFor). Answer each message in order with `this.answer(message,
   * partition, transaction)` (its events are appended through the transaction). Send every
   * result to the results topic (toResultRecord), and the consumer's offset (the one after
   * the last message: offsetAfter) with sendOffsets for this processor's group. Then
   * `await this.points.reach("before-commit")`, and commit. Return the results. If anything
   * fails, abort (an abort that fails too is ignored: the fenced cannot abort) and throw the
   * error through asFenced, so that a fenced producer is reported as Fenced.
   */
  async processInTransaction(partition: number, messages: readonly KafkaMessage[]): Promise<CommandResult[]> {
    return todo("Task 4 — read, process and write in one transaction: on this partition's claimed producer, the messages' events, their results (results topic) and this processor's group offset past the last message commit together, with the \"before-commit\" failpoint just before the commit; return the results in order; bad input is answered, never thrown; on any failure abort and throw asFenced(error, id)");
  }

  get points(): FailpointHook {
    return this.#points;
  }

  /** Given: the result for one record of the commands topic — a typed rejection for bad input, else handle(). */
  async answer(message: KafkaMessage, partition: number, sender: Sender): Promise<CommandResult> {
    const parsed = parseCommand(message.value?.toString("utf8") ?? "");
    if (!parsed.ok) return { commandId: replyKey(message, partition, this.topics.commands), outcome: "rejected", rejection: parsed.rejection };
    return this.handle(parsed.command, sender);
  }

  /**
   * Given: step 05's handle (its Task 5, done), which numbers the events it appends and keeps
   * the idempotency keys it has seen. The events go through `sender`: the plain producer, or
   * the transaction.
   */
  async handle(command: ReceivedCommand, sender: Sender): Promise<CommandResult> {
    const { accountId } = command.data;
    const { commandId, correlationId, idempotencyKey } = command.metadata;
    const stream = await this.loadAccount(accountId);
    const earlier = stream.applied.get(commandId);
    if (earlier) return earlier;
    const hash = requestHash(command);
    if (idempotencyKey !== undefined) {
      const retried = answerRetry(stream.keys.get(idempotencyKey), { commandId, idempotencyKey, requestHash: hash });
      if (retried) return retried;
    }
    await this.#points.reach("after-load");
    const decision = decide(command, stream.state);
    let result: CommandResult;
    if (decision.outcome === "rejected") {
      result = { commandId, outcome: "rejected", rejection: decision.rejection };
    } else {
      const events = envelop(decision.events, { accountId, causationId: commandId, correlationId, afterVersion: stream.version, idempotencyKey, requestHash: hash, stamp: this.#stamp });
      const position = await appendEvents(sender, this.topics.events, events);
      await this.#points.reach("after-append");
      stream.state = foldEvents(events, stream.state);
      stream.version += events.length;
      result = { commandId, outcome: "accepted", accountId, events, position };
    }
    stream.applied.set(commandId, result);
    if (idempotencyKey !== undefined) stream.keys.set(idempotencyKey, { requestHash: hash, result });
    return result;
  }

  /**
   * Given: the account's stream — from memory if this member loaded it since it was given the
   * partition, else rebuilt from the committed events up to the log's last stable offset.
   */
  async loadAccount(accountId: string): Promise<AccountStream> {
    const known = this.#streams.get(accountId);
    if (known) return known;
    await this.#reader.catchUp();
    const history = this.#reader.eventsOf(accountId);
    const stream: AccountStream = { state: foldEvents(history), version: history.at(-1)?.metadata.version ?? 0, ...remembered(history) };
    this.#streams.set(accountId, stream);
    return stream;
  }

  async #claimAll(partitions: readonly number[]): Promise<void> {
    const previous = [...this.#producers.values()];
    this.#producers.clear();
    await Promise.allSettled(previous.map((producer) => producer.disconnect()));
    for (const partition of partitions) this.#producers.set(partition, await this.claimPartition(partition));
  }

  /** Step 05's way: append, send the result, commit the offset — each its own write. */
  async #plainBatch({ batch, resolveOffset, heartbeat, commitOffsetsIfNecessary, isRunning, isStale, pause }: EachBatchPayload): Promise<void> {
    for (const message of batch.messages) {
      if (!isRunning() || isStale()) return;
      try {
        const result = await this.answer(message, batch.partition, this.#producer);
        // Counted before the answer goes out: a caller holding the answer always sees it counted.
        this.handledCount += 1;
        await this.#producer.send({ topic: this.topics.results, acks: -1, messages: [toResultRecord(result)] });
      } catch (error) {
        this.#fail(error, pause);
      }
      resolveOffset(message.offset);
      await commitOffsetsIfNecessary();
      await heartbeat();
    }
  }

  /** One transaction per command, or per fetched batch. */
  async #transactionalBatch({ batch, resolveOffset, heartbeat, isRunning, isStale, pause }: EachBatchPayload): Promise<void> {
    try {
      await this.#claimed;
    } catch (error) {
      this.#fail(error, pause);
    }
    const size = this.mode === "per-poll" ? batch.messages.length : 1;
    for (let start = 0; start < batch.messages.length; start += size) {
      if (!isRunning() || isStale()) return;
      const messages = batch.messages.slice(start, start + size);
      try {
        await this.processInTransaction(batch.partition, messages);
      } catch (error) {
        this.#fail(error, pause);
      }
      this.handledCount += messages.length;
      resolveOffset(messages[messages.length - 1]!.offset);
      await heartbeat();
    }
  }

  /**
   * Not the caller's fault: a bug, the broker out of reach, or this member fenced. Behave as a
   * crashed process would: forget what is in memory (it may hold what an aborted transaction
   * wrote), take no more commands from this partition, and throw, so nothing is committed.
   */
  #fail(error: unknown, pause: () => void): never {
    this.#streams.clear();
    pause();
    this.#onError(error);
    throw error;
  }
}

/** Rebuilding, from an account's events, which commands were applied and which keys were used. */
function remembered(history: readonly RecordedEvent[]): Pick<AccountStream, "applied" | "keys"> {
  const applied = new Map<string, CommandResult>();
  const keys = new Map<string, RememberedRequest>();
  for (const { position, ...event } of history) {
    const { causationId: commandId, idempotencyKey, requestHash: hash } = event.metadata;
    const earlier = applied.get(commandId);
    const events = earlier?.outcome === "accepted" ? [...earlier.events, event] : [event];
    const result: CommandResult = { commandId, outcome: "accepted", accountId: event.metadata.accountId, events, position };
    applied.set(commandId, result);
    if (idempotencyKey !== undefined && hash !== undefined) keys.set(idempotencyKey, { requestHash: hash, result });
  }
  return { applied, keys };
}

/** Where to answer a record that is not a readable command: the caller's id from the header, or the record's place. */
function replyKey(message: KafkaMessage, partition: number, topic: string): string {
  const header = message.headers?.[COMMAND_ID_HEADER];
  const fromHeader = Buffer.isBuffer(header) ? header.toString("utf8") : typeof header === "string" ? header : undefined;
  return fromHeader || `${topic}/${partition}/${message.offset}`;
}
