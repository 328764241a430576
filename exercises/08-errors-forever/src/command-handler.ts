/**
 * Given: the write side of this step, in one small class — check the command, load the
 * account's events, decide, check that the events read back, append.
 *
 * It is step 05's load-decide-append without the commands topic around it: one instance,
 * one command at a time, which is all this step's tests need. Two instances at once would
 * overdraw an account exactly as step 05's naive writers did; in production this `handle`
 * runs inside step 05's CommandProcessor, one writer per partition.
 */
import type { Kafka, Producer } from "#kit/kafka";
import { defaultProducerConfig } from "#kit/kafka";
import { parseCommand } from "./commands.ts";
import { decide, foldEvents, type DomainRejection } from "./domain.ts";
import { assertReadable, envelop, systemStamp, type EventEnvelope, type Position, type Stamp } from "./envelope.ts";
import { appendEvents, EventLogReader } from "./event-log.ts";

export type Handled = { outcome: "accepted"; events: EventEnvelope[]; position: Position } | { outcome: "rejected"; rejection: DomainRejection };

export class CommandHandler {
  readonly #producer: Producer;
  readonly #reader: EventLogReader;

  constructor(
    kafka: Kafka,
    readonly topic: string,
    /** This instance's own group for reading the events topic (it reads all of it). */
    readerGroupId: string,
    readonly stamp: Stamp = systemStamp,
  ) {
    this.#producer = kafka.producer(defaultProducerConfig);
    this.#reader = new EventLogReader(kafka, topic, readerGroupId);
  }

  async start(): Promise<void> {
    await Promise.all([this.#producer.connect(), this.#reader.start()]);
  }

  async stop(): Promise<void> {
    await Promise.allSettled([this.#producer.disconnect(), this.#reader.stop()]);
  }

  /**
   * Checks `input` (an InvalidCommand if it is not a command), decides on the account's whole
   * history, checks that the events read back (an UnwritableEvent if not: nothing is appended),
   * and appends what was decided. Resolves once the broker has the events.
   */
  async handle(input: unknown, { commandId = crypto.randomUUID() }: { commandId?: string } = {}): Promise<Handled> {
    const command = parseCommand(input);
    const { accountId } = command.data;
    await this.#reader.catchUp();
    const decision = decide(command, foldEvents(this.#reader.eventsOf(accountId)));
    if (decision.outcome === "rejected") return decision;
    const events = envelop(decision.events, { accountId, causationId: commandId, stamp: this.stamp });
    // What is appended is read for ever: never append an event the readers of the log would refuse.
    events.forEach(assertReadable);
    const position = await appendEvents(this.#producer, this.topic, events);
    return { outcome: "accepted", events, position };
  }
}
