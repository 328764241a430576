/**
 * Test helpers of step 06: the wallet's write side (step 05's processor and client) on fresh
 * topics, projections into the test's schema, and ways to hold a projection or look at what
 * Kafka has committed for it. Everything started here is stopped when the test ends.
 */
import { CommandClient } from "../src/client.ts";
import type { CommandResult } from "../src/commands.ts";
import type { WalletCommand, WalletEvent } from "../src/domain.ts";
import { envelop, type Position, type RecordedEvent, type Stamp } from "../src/envelope.ts";
import { appendEvents } from "../src/event-log.ts";
import type { ApplyBatch } from "../src/apply.ts";
import { CommandProcessor, type WalletTopics } from "../src/processor.ts";
import { Projection } from "../src/projection.ts";
import { createReadModels } from "../src/read-models.ts";
import type { Producer } from "#kit/kafka";
import { Failpoints, InjectedFailure, Latch, Signal, eventually, test as kitTest, type FreshKafka, type FreshSchema, stopAllWhenDone, type Stoppable } from "#kit/testing";

/**
 * The kit's `test`, plus `stopWhenDone(thing)`: stops it at the end of the test, before the
 * kafka fixture deletes the test's topics and the db fixture drops the schema (a projection
 * still running then would write into a schema that is gone). Fixtures are torn down in
 * reverse order, and this one depends on both.
 */
export const test = kitTest.extend<{ stopWhenDone: (thing: Stoppable) => void; hold: HoldBeforeApply }>({
  stopWhenDone: async ({ kafka, db }, use) => {
    void kafka;
    void db;
    await stopAllWhenDone(use);
  },
  /**
   * A HoldBeforeApply that lets go when the test ends. A test that fails while the projection
   * is held would otherwise never release it, and stopping the projection waits for the batch
   * it holds: the run would hang instead of showing the failed assertion. This fixture depends
   * on stopWhenDone, so it is torn down first: released, then stopped.
   */
  hold: async ({ stopWhenDone }, use) => {
    void stopWhenDone;
    const hold = new HoldBeforeApply();
    await use(hold);
    hold.releaseAll();
  },
});

/** What a test of this step gets from its context. */
export interface StepContext {
  db: FreshSchema;
  kafka: FreshKafka;
  stopWhenDone: (thing: Stoppable) => void;
}

// ---------------------------------------------------------------------------
// The write side, as step 05 built it.

export interface Wallet {
  topics: WalletTopics;
  /** Sends a command and awaits its result: the events written and the position of the last one. */
  send(command: WalletCommand, options?: { commandId?: string }): Promise<CommandResult>;
}

/** The wallet's three topics, a processor in its group, and a client. */
export async function givenWallet({ kafka, stopWhenDone }: StepContext): Promise<Wallet> {
  const commands = await kafka.topic("wallet.commands");
  const events = await kafka.topic("wallet.events");
  const results = await kafka.topic("wallet.results");
  const topics = { commands, events, results };
  let failWith: (error: unknown) => void = () => {};
  const failure = new Promise<never>((_, reject) => (failWith = reject));
  failure.catch(() => {}); // observed through send()

  const client = new CommandClient(kafka.kafka, topics, kafka.groupId("client"));
  stopWhenDone(client);
  const processor = new CommandProcessor({
    kafka: kafka.kafka,
    topics,
    groupId: kafka.groupId("processors"),
    readerGroupId: kafka.groupId("processor-reader"),
    onError: failWith,
  });
  stopWhenDone(processor);
  await Promise.all([client.start(), processor.start()]);
  return { topics, send: (command, options) => Promise.race([client.send(command, options), failure]) };
}

export const open = (accountId: string): WalletCommand => ({ type: "OpenAccount", data: { accountId } });
export const deposit = (accountId: string, amount: number): WalletCommand => ({ type: "Deposit", data: { accountId, amount } });
export const withdraw = (accountId: string, amount: number): WalletCommand => ({ type: "Withdraw", data: { accountId, amount } });

/** The position an accepted command returned; fails the test if it was refused. */
export function positionOf(result: CommandResult): Position {
  if (result.outcome !== "accepted") throw new TypeError(`expected an accepted command, got ${JSON.stringify(result)}`);
  return result.position;
}

// ---------------------------------------------------------------------------
// Events written straight to a topic, for the tests that need no processor.

export const opened = (accountId: string): WalletEvent => ({ type: "AccountOpened", data: { accountId } });
export const deposited = (accountId: string, amount: number): WalletEvent => ({ type: "MoneyDeposited", data: { accountId, amount } });
export const withdrawn = (accountId: string, amount: number): WalletEvent => ({ type: "MoneyWithdrawn", data: { accountId, amount } });

/** A clock that never moves and ids in order: the same events on every run. */
export function fixedStamp(time = "2026-03-02T10:00:00.000Z"): Stamp {
  let next = 0;
  return { now: () => new Date(time), newId: () => `event-${++next}` };
}

/** Appends each event on its own (one command each), returns the position of each. */
export async function append(producer: Producer, topic: string, ...events: WalletEvent[]): Promise<Position[]> {
  const positions: Position[] = [];
  for (const event of events) {
    positions.push(await appendEvents(producer, topic, envelop([event], { accountId: event.data.accountId, causationId: `command-${positions.length}` })));
  }
  return positions;
}

/**
 * Events as a projection receives them, at consecutive offsets of one partition — for tests
 * with no Kafka. An event's id follows from its position, as it would for a record read twice.
 */
export function recordedAt(partition: number, firstOffset: number, events: WalletEvent[], { now }: Pick<Stamp, "now"> = fixedStamp()): RecordedEvent[] {
  return events.map((event, index) => {
    const offset = firstOffset + index;
    const stamp = { now, newId: () => `event-${partition}-${offset}` };
    const [envelope] = envelop([event], { accountId: event.data.accountId, causationId: `command-${partition}-${offset}`, stamp });
    return { ...envelope!, position: { partition, offset } };
  });
}

// ---------------------------------------------------------------------------
// Projections.

export interface RunningProjection {
  projection: Projection;
  groupId: string;
  /**
   * Waits for `check` to pass, or fails at once with the error the projection stopped on (an
   * open task's TodoError, a bug) instead of waiting for a read model that will never change.
   * A failure the test injected on purpose is the test's business, not a reason to stop waiting.
   */
  until<T>(check: () => T | Promise<T>, what: string): Promise<T>;
  /** `operation`, or the projection's failure if that comes first. */
  orFailure<T>(operation: Promise<T>): Promise<T>;
}

/**
 * Starts a projection of `topic` into the test's schema and waits until it has its
 * partitions. Pass the `groupId` of an earlier instance to start it again where that one's
 * committed offsets left off.
 */
export async function startProjection(
  { db, kafka, stopWhenDone }: StepContext,
  { topic, apply, points, groupId = kafka.groupId("projection"), onError }: { topic: string; apply: ApplyBatch; points?: Failpoints; groupId?: string; onError?: (error: unknown) => void },
): Promise<RunningProjection> {
  await createReadModels(db.pool);
  let failWith: (error: unknown) => void = () => {};
  const failure = new Promise<never>((_, reject) => (failWith = reject));
  failure.catch(() => {}); // observed through until() and orFailure()
  const projection = new Projection({
    kafka: kafka.kafka,
    topic,
    groupId,
    pool: db.pool,
    apply,
    points,
    onError: (error) => {
      onError?.(error);
      if (!(error instanceof InjectedFailure)) failWith(error);
    },
  });
  stopWhenDone(projection);
  await projection.start();
  const orFailure = <T>(operation: Promise<T>) => Promise.race([operation, failure]);
  return { projection, groupId, orFailure, until: (check, what) => orFailure(eventually(check, { what })) };
}

/** The offset Kafka has committed for the group in partition 0 of `topic`: where the next instance starts. -1: none. */
export async function committedOffset(kafka: FreshKafka, groupId: string, topic: string): Promise<number> {
  const [offsets] = await kafka.admin.fetchOffsets({ groupId, topics: [topic] });
  return Number(offsets?.partitions.find((entry) => entry.partition === 0)?.offset ?? -1);
}

/**
 * Holds the projection at "before-apply", batch after batch: `held()` resolves when a batch
 * has arrived there, `release()` lets that one batch through and holds the next. Tests take
 * one from the `hold` fixture, which releases it when the test ends, passed or failed.
 */
export class HoldBeforeApply {
  #arrived = new Signal();
  #gate = new Latch();
  readonly points = new Failpoints().on("before-apply", async () => {
    const gate = this.#gate;
    this.#arrived.send();
    await gate.wait();
  });

  /** Resolves when the projection has a batch in hand and has not applied it. */
  held(): Promise<void> {
    return this.#arrived.received();
  }

  release(): void {
    const gate = this.#gate;
    this.#arrived = new Signal();
    this.#gate = new Latch();
    gate.open();
  }

  /** Holds nothing more, from now on. */
  releaseAll(): void {
    this.points.clear("before-apply");
    this.#gate.open();
  }
}
