/**
 * Test helpers of step 09: a wallet on fresh topics, its processors (either design) and a
 * client, all stopped when the test ends; readers of the events topic at either isolation
 * level; and the hold that turns a processor into a zombie.
 */
import { CommandClient } from "../src/client.ts";
import type { CommandResult } from "../src/commands.ts";
import type { WalletCommand } from "../src/domain.ts";
import { EventLogReader, type Isolation } from "../src/event-log.ts";
import { CommandProcessor, type ProcessorOptions, type WalletTopics } from "../src/processor.ts";
import { eventually, expect, InjectedFailure, Latch, Signal, test as kitTest, type FreshKafka, stopAllWhenDone, type Stoppable } from "#kit/testing";

/**
 * What kafkajs logs when this step's tests do what they mean to: an expelled member told that
 * the group no longer knows it (kafkajs rejoins), a new transactional owner waiting while the
 * broker aborts the old owner's transaction (kafkajs retries), a fenced producer's "old
 * epoch", and the processor's own Fenced thrown out of eachBatch (the test collects it).
 */
export const expectedKafkaErrors: readonly RegExp[] = [
  /coordinator is not aware of this member/i,
  /concurrent operation on the same transaction/i,
  /operation with an old epoch/i,
  /^Error when calling eachBatch: Fenced: /,
];

/** The kit's `test`, with this step's expected kafkajs errors kept quiet, plus `stopWhenDone(thing)`, torn down before the kafka fixture deletes the topics. */
export const test = kitTest.extend({
  // `{}`: vitest reads a fixture's dependencies from its first parameter's pattern; none here.
  kafkaExpectedErrors: async ({}, use) => use(expectedKafkaErrors),
}).extend<{ stopWhenDone: (thing: Stoppable) => void }>({
  stopWhenDone: async ({ kafka }, use) => {
    void kafka;
    await stopAllWhenDone(use);
  },
});

export interface KafkaContext {
  kafka: FreshKafka;
  stopWhenDone: (thing: Stoppable) => void;
}

/** The shortest session timeout the broker accepts (group.min.session.timeout.ms): a held member is expelled after it. */
export const SHORT_SESSION_MS = 6_000;

export async function walletTopics(kafka: FreshKafka, { partitions = 1, name = "wallet" }: { partitions?: number; name?: string } = {}): Promise<WalletTopics> {
  const commands = await kafka.topic(`${name}.commands`, { numPartitions: partitions });
  const events = await kafka.topic(`${name}.events`, { numPartitions: partitions });
  const results = await kafka.topic(`${name}.results`);
  return { commands, events, results };
}

let logReaders = 0;

/** A fresh reader of the events topic, caught up: the log as a new consumer at that isolation level sees it. */
export async function readLog({ kafka, stopWhenDone }: KafkaContext, topic: string, isolation: Isolation = "read_committed"): Promise<EventLogReader> {
  const reader = new EventLogReader(kafka.kafka, topic, kafka.groupId(`log-reader-${++logReaders}`), { isolation });
  stopWhenDone(reader);
  await reader.start();
  await reader.catchUp();
  return reader;
}

/** The events a command caused, as a reader sees them. */
export function causedBy(reader: EventLogReader, accountId: string, commandId: string) {
  return reader.eventsOf(accountId).filter((event) => event.metadata.causationId === commandId);
}

export type ProcessorSettings = Partial<Pick<ProcessorOptions, "points" | "stamp" | "transactions" | "sessionTimeout">> & {
  /** Errors this processor is expected to hit (a zombie's): collected here, not a failure of the test. */
  errors?: unknown[];
};

export interface Wallet {
  topics: WalletTopics;
  client: CommandClient;
  /** Sends a command and awaits its result — or fails at once with the first unexpected error a processor hit (an open task's TodoError, a bug). */
  send(command: WalletCommand, options?: { commandId?: string; idempotencyKey?: string; timeoutMs?: number }): Promise<CommandResult>;
  sendRaw(key: string, value: string, commandId: string): Promise<CommandResult>;
  startProcessor(settings?: ProcessorSettings): Promise<CommandProcessor>;
}

export async function givenWallet(context: KafkaContext, { partitions = 1 }: { partitions?: number } = {}): Promise<Wallet> {
  const { kafka, stopWhenDone } = context;
  const topics = await walletTopics(kafka, { partitions });
  const groupId = kafka.groupId("processors");
  let failWith: (error: unknown) => void = () => {};
  const failure = new Promise<never>((_, reject) => (failWith = reject));
  failure.catch(() => {});

  const client = new CommandClient(kafka.kafka, topics, kafka.groupId("client"));
  stopWhenDone(client);
  await client.start();

  let processors = 0;
  const orFailure = <T>(result: Promise<T>) => Promise.race([result, failure]);
  return {
    topics,
    client,
    send: (command, options) => orFailure(client.send(command, options)),
    sendRaw: (key, value, commandId) => orFailure(client.sendRaw(key, value, { commandId })),
    async startProcessor({ errors, ...settings } = {}) {
      const processor = new CommandProcessor({
        kafka: kafka.kafka,
        topics,
        groupId,
        readerGroupId: kafka.groupId(`processor-${++processors}-reader`),
        ...settings,
        onError: (error) => {
          if (errors) errors.push(error);
          else if (!(error instanceof InjectedFailure)) failWith(error);
        },
      });
      stopWhenDone(processor);
      // An open task fails start() (the claim) or a command: either way, the test says which.
      await orFailure(processor.start());
      return processor;
    },
  };
}

/**
 * Two processors in the group and the one partition given to one of them: returns
 * [owner, other]. Which member the group picks is its business; the test then holds the owner.
 */
export async function ownerAndSuccessor(processors: [CommandProcessor, CommandProcessor]): Promise<[CommandProcessor, CommandProcessor]> {
  await eventually(() => expect(processors.map((processor) => processor.assignedPartitions.length).sort()).toEqual([0, 1]), {
    timeoutMs: 20_000,
    what: "the partition to belong to exactly one of the two processors",
  });
  const [first, second] = processors;
  return first.assignedPartitions.length === 1 ? [first, second] : [second, first];
}

/** A hold at a failpoint: the member that reaches it stays inside its handler until released. */
export class Hold {
  readonly reached = new Signal();
  readonly #release = new Latch();

  /** The failpoint action: say "held", then wait. */
  readonly action = async (): Promise<void> => {
    this.reached.send();
    await this.#release.wait();
  };

  release(): void {
    this.#release.open();
  }
}
