/**
 * Test helpers of step 05: a wallet on fresh topics, its processors and a client, all
 * stopped when the test ends; and a fresh reader of the events topic, to look at the log
 * the way any new consumer would.
 */
import { CommandClient } from "../src/client.ts";
import type { CommandResult } from "../src/commands.ts";
import type { WalletCommand } from "../src/domain.ts";
import { EventLogReader } from "../src/event-log.ts";
import { CommandProcessor, type ProcessorOptions, type WalletTopics } from "../src/processor.ts";
import { InjectedFailure, test as kitTest, type FreshKafka, stopAllWhenDone, type Stoppable } from "#kit/testing";

/**
 * The kit's `test`, plus `stopWhenDone(thing)`: stops it at the end of the test, before the
 * kafka fixture deletes the test's topics (a consumer still running then would make the
 * broker create them again, empty). Fixtures are torn down in reverse order, and this one
 * depends on kafka.
 */
export const test = kitTest.extend<{ stopWhenDone: (thing: Stoppable) => void }>({
  stopWhenDone: async ({ kafka }, use) => {
    void kafka;
    await stopAllWhenDone(use);
  },
});

/** What a Kafka test gets from its context. */
export interface KafkaContext {
  kafka: FreshKafka;
  stopWhenDone: (thing: Stoppable) => void;
}

/** The wallet's three topics; `name` tells apart several wallets in one test. */
export async function walletTopics(kafka: FreshKafka, { partitions = 1, name = "wallet" }: { partitions?: number; name?: string } = {}): Promise<WalletTopics> {
  const commands = await kafka.topic(`${name}.commands`, { numPartitions: partitions });
  const events = await kafka.topic(`${name}.events`, { numPartitions: partitions });
  const results = await kafka.topic(`${name}.results`);
  return { commands, events, results };
}

/** A fresh reader of the events topic, caught up to its end: the log as a new consumer sees it. */
let logReaders = 0;

export async function readLog({ kafka, stopWhenDone }: KafkaContext, topic: string): Promise<EventLogReader> {
  const reader = new EventLogReader(kafka.kafka, topic, kafka.groupId(`log-reader-${++logReaders}`));
  stopWhenDone(reader);
  await reader.start();
  await reader.catchUp();
  return reader;
}

export interface Wallet {
  topics: WalletTopics;
  client: CommandClient;
  /**
   * Sends a command and awaits its result — or fails at once with the first error a
   * processor hit (an open task's TodoError, a bug), instead of waiting for a result that
   * will never come.
   */
  send(command: WalletCommand, options?: { commandId?: string }): Promise<CommandResult>;
  sendRaw(key: string, value: string, commandId: string): Promise<CommandResult>;
  /** Starts one more processor in the wallet's group, and waits until it has its partitions. */
  startProcessor(options?: Partial<Pick<ProcessorOptions, "points" | "stamp" | "onError">>): Promise<CommandProcessor>;
}

export async function givenWallet(context: KafkaContext, { partitions = 1 }: { partitions?: number } = {}): Promise<Wallet> {
  const { kafka, stopWhenDone } = context;
  const topics = await walletTopics(kafka, { partitions });
  const groupId = kafka.groupId("processors");
  let failWith: (error: unknown) => void = () => {};
  const failure = new Promise<never>((_, reject) => (failWith = reject));
  failure.catch(() => {}); // observed through send(); not an unhandled rejection when no one sends

  const client = new CommandClient(kafka.kafka, topics, kafka.groupId("client"));
  stopWhenDone(client);
  await client.start();

  let processors = 0;
  const orFailure = (result: Promise<CommandResult>) => Promise.race([result, failure]);
  return {
    topics,
    client,
    send: (command, options) => orFailure(client.send(command, options)),
    sendRaw: (key, value, commandId) => orFailure(client.sendRaw(key, value, { commandId })),
    async startProcessor(options = {}) {
      const processor = new CommandProcessor({
        kafka: kafka.kafka,
        topics,
        groupId,
        // Each processor reads the whole events topic: a reader group of its own.
        readerGroupId: kafka.groupId(`processor-${++processors}-reader`),
        ...options,
        // A failure the test injected is its business; any other (an open task, a bug) fails send() at once.
        onError: (error) => {
          options.onError?.(error);
          if (!(error instanceof InjectedFailure)) failWith(error);
        },
      });
      stopWhenDone(processor);
      await processor.start();
      return processor;
    },
  };
}
