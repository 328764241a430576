// Copy of exercises/05-event-sourcing/src/processor.ts: keep the two equal (the kit checks it).
/**
 * One writer per account: the command processor.
 *
 * Callers do not append events. They put commands on the commands topic, keyed by account
 * id, so all of an account's commands land in one partition, in order. The processors share
 * one consumer group, and Kafka gives each partition to exactly one member: for any account,
 * one processor at a time takes the decisions, one command after another. The load-decide-
 * append that overdraws with two naive writers is safe here, because there is no second writer.
 *
 * The processor keeps the state of the accounts it has handled in memory. That memory is
 * only good while it owns their partitions: at every rebalance (GROUP_JOIN) it is dropped,
 * and an account's state is rebuilt from the events topic the first time a command for it
 * arrives — by then the previous owner has finished its last command, because Kafka hands a
 * partition over only once every member has rejoined the group.
 */
import { defaultProducerConfig, waitForGroupJoin, type Consumer, type EachMessagePayload, type Kafka, type KafkaMessage, type Producer } from "#kit/kafka";
import { noFailpoints, type FailpointHook } from "#kit/failpoints";
import { decide, foldEvents, type AccountState } from "./domain.ts";
import { COMMAND_ID_HEADER, parseCommand, type CommandResult, type ReceivedCommand } from "./commands.ts";
import { envelop, systemStamp, type RecordedEvent, type Stamp } from "./envelope.ts";
import { appendEvents, EventLogReader } from "./event-log.ts";

export interface WalletTopics {
  commands: string;
  events: string;
  results: string;
}

export interface ProcessorOptions {
  kafka: Kafka;
  topics: WalletTopics;
  /** The processors' consumer group: every instance of the service uses the same one. */
  groupId: string;
  /** This instance's own group for reading the events topic (each instance reads all of it). */
  readerGroupId: string;
  stamp?: Stamp;
  points?: FailpointHook;
  /** Told about a failure that is not the caller's fault (a bug, the broker gone): the processor stops taking that partition's commands. */
  onError?: (error: unknown) => void;
}

/** What the processor knows of one account it owns. */
export interface AccountStream {
  state: AccountState;
  /** The results of commands already applied, by command id: a redelivered command is answered again, not applied again. */
  applied: Map<string, CommandResult>;
}

export class CommandProcessor {
  readonly #consumer: Consumer;
  readonly #producer: Producer;
  readonly #reader: EventLogReader;
  readonly #stamp: Stamp;
  readonly #points: FailpointHook;
  readonly #onError: (error: unknown) => void;
  /** The accounts of the partitions this member owns that it has loaded: dropped at every rebalance. */
  readonly #streams = new Map<string, AccountStream>();
  /** The commands-topic partitions this member owns now. */
  assignedPartitions: number[] = [];
  /** How many commands this member has decided on: lets a test see who did the work. */
  handledCount = 0;

  constructor(readonly options: ProcessorOptions) {
    const { kafka, topics, groupId, readerGroupId } = options;
    // A quick heartbeat: between two commands, a member notices a rebalance within about half a second.
    this.#consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 100, heartbeatInterval: 500 });
    this.#producer = kafka.producer(defaultProducerConfig);
    this.#reader = new EventLogReader(kafka, topics.events, readerGroupId);
    this.#stamp = options.stamp ?? systemStamp;
    this.#points = options.points ?? noFailpoints;
    this.#onError = options.onError ?? (() => {});
  }

  get topics(): WalletTopics {
    return this.options.topics;
  }

  /** Connects, joins the group, and resolves once this member has been given its partitions. */
  async start(): Promise<void> {
    await Promise.all([this.#producer.connect(), this.#reader.start(), this.#consumer.connect()]);
    this.#consumer.on(this.#consumer.events.GROUP_JOIN, ({ payload }) => {
      // Ownership may have changed: what we remember may be stale (another member may have
      // written to these accounts). Forget it all; it is rebuilt from the log on first use.
      this.#streams.clear();
      this.assignedPartitions = payload.memberAssignment[this.topics.commands] ?? [];
    });
    await this.#consumer.subscribe({ topic: this.topics.commands, fromBeginning: true });
    const joined = waitForGroupJoin(this.#consumer);
    // Committing after every command: a partition handed over (or taken over after a crash)
    // comes with no command that was already answered, except the one in flight.
    await this.#consumer.run({ autoCommitThreshold: 1, eachMessage: (payload) => this.#onMessage(payload) });
    await joined;
  }

  async stop(): Promise<void> {
    await this.#consumer.disconnect();
    await Promise.allSettled([this.#producer.disconnect(), this.#reader.stop()]);
  }

  /**
   * Task 5 — one writer per account.
   * Handles one command of an account this member owns: take the account's stream
   * (loadAccount: from memory, or rebuilt from the log), answer a command already applied with
   * its earlier result, else decide; for a rejection, return it; for events, envelop them
   * (causation: the command; stamp: this.stamp), append them, evolve the stream's state, and
   * return the accepted result with the position appendEvents gave. Nothing is appended for a
   * rejected command.
   */
  async handle(command: ReceivedCommand): Promise<CommandResult> {
    const { accountId } = command.data;
    const { commandId, correlationId } = command.metadata;
    const stream = await this.loadAccount(accountId);
    const earlier = stream.applied.get(commandId);
    if (earlier) return earlier;
    await this.#points.reach("after-load");
    const decision = decide(command, stream.state);
    if (decision.outcome === "rejected") return { commandId, outcome: "rejected", rejection: decision.rejection };
    const events = envelop(decision.events, { accountId, causationId: commandId, correlationId, stamp: this.stamp });
    const position = await appendEvents(this.#producer, this.topics.events, events);
    await this.#points.reach("after-append");
    stream.state = foldEvents(events, stream.state);
    const result: CommandResult = { commandId, outcome: "accepted", accountId, events, position };
    stream.applied.set(commandId, result);
    return result;
  }

  get stamp(): Stamp {
    return this.#stamp;
  }

  /**
   * Given: the account's stream — from memory if this member loaded it since it was given the
   * partition, else rebuilt: read the events topic up to its current end, fold the account's events.
   */
  async loadAccount(accountId: string): Promise<AccountStream> {
    const known = this.#streams.get(accountId);
    if (known) return known;
    await this.#reader.catchUp();
    const history = this.#reader.eventsOf(accountId);
    const stream: AccountStream = { state: foldEvents(history), applied: appliedCommands(history) };
    this.#streams.set(accountId, stream);
    return stream;
  }

  async #onMessage({ topic, partition, message, pause }: EachMessagePayload): Promise<void> {
    try {
      const parsed = parseCommand(message.value?.toString("utf8") ?? "");
      const result: CommandResult = parsed.ok
        ? await this.handle(parsed.command)
        : { commandId: replyKey(message, topic, partition), outcome: "rejected", rejection: parsed.rejection };
      // Counted before the answer goes out: a caller holding the answer always sees it counted.
      this.handledCount += 1;
      await this.#producer.send({
        topic: this.topics.results,
        acks: -1,
        messages: [{ key: result.commandId, value: JSON.stringify(result) }],
      });
    } catch (error) {
      // Not the caller's fault: a bug, or the broker out of reach. Behave as a crashed process
      // would: forget what is in memory, take no more commands from this partition, and throw,
      // so this command is not committed. Whoever owns the partition next (this instance
      // restarted, or another one after the rebalance) gets the command again.
      this.#streams.clear();
      pause();
      this.#onError(error);
      throw error;
    }
  }
}

/** Rebuilding the memory of which commands an account's events came from: their causation ids. */
function appliedCommands(history: readonly RecordedEvent[]): Map<string, CommandResult> {
  const applied = new Map<string, CommandResult>();
  for (const { position, ...event } of history) {
    const commandId = event.metadata.causationId;
    const earlier = applied.get(commandId);
    const events = earlier?.outcome === "accepted" ? [...earlier.events, event] : [event];
    applied.set(commandId, { commandId, outcome: "accepted", accountId: event.metadata.accountId, events, position });
  }
  return applied;
}

/** Where to answer a record that is not a readable command: the caller's id from the header, or the record's place. */
function replyKey(message: KafkaMessage, topic: string, partition: number): string {
  const header = message.headers?.[COMMAND_ID_HEADER];
  const fromHeader = Buffer.isBuffer(header) ? header.toString("utf8") : typeof header === "string" ? header : undefined;
  return fromHeader || `${topic}/${partition}/${message.offset}`;
}
