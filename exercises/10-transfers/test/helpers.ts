/**
 * Test helpers of step 10: an event-sourced bank on fresh topics — one writer per partition of
 * the accounts topic, the desk, sagas started on demand, a reader that sums the balances — all
 * stopped when the test ends; and the CRUD bank on a fresh schema.
 */
import type pg from "pg";
import { TransferDesk } from "../src/desk.ts";
import type { AccountCommand } from "../src/domain.ts";
import { envelop, parseAccountEvent, type AccountEnvelope, type Recorded } from "../src/envelope.ts";
import { appendEvents, LogReader } from "../src/log.ts";
import { bankTotals, type BankTotals } from "../src/report.ts";
import { TransferSaga, type BankTopics } from "../src/saga.ts";
import type { TransferCompleted, TransferFailed, TransferRequest } from "../src/transfer.ts";
import { AccountWriter, Writers, type CommandOrigin, type WriterAnswer } from "../src/writer.ts";
import { createBankTables, openAccount } from "../src/crud/bank.ts";
import { eventually, InjectedFailure, test as kitTest, stopAllWhenDone, type FreshKafka, type Stoppable } from "#kit/testing";
import type { FailpointHook } from "#kit/failpoints";

/** The kit's `test`, plus `stopWhenDone(thing)`: stopped before the kafka fixture deletes the topics. */
export const test = kitTest.extend<{ stopWhenDone: (thing: Stoppable) => void }>({
  stopWhenDone: async ({ kafka }, use) => {
    void kafka;
    await stopAllWhenDone(use);
  },
});

export interface KafkaContext {
  kafka: FreshKafka;
  stopWhenDone: (thing: Stoppable) => void;
}

export interface SagaHandle {
  saga: TransferSaga;
  /** Failures while driving a transfer (an injected crash, for instance). */
  errors: unknown[];
}

export interface Bank {
  topics: BankTopics;
  writers: Writers;
  desk: TransferDesk;
  /** Sends a command to the account's writer, as a client of the bank would. */
  command(command: AccountCommand): Promise<WriterAnswer>;
  /** Records a TransferRequested as the desk would, without its checks: the saga's tests do not depend on Task 4. */
  request(request: TransferRequest): Promise<void>;
  /** `promise`, or the first error a saga hit that the test did not inject (an open task, a bug), whichever comes first. */
  orFailure<T>(promise: Promise<T>): Promise<T>;
  /** Opens each account and deposits its balance. */
  open(balances: Record<string, number>): Promise<void>;
  freeze(accountId: string): Promise<void>;
  /** A saga instance: reading the log, and consuming the transfers topic unless `consume: false`. */
  startSaga(options?: { points?: FailpointHook; consume?: boolean; writers?: Writers }): Promise<SagaHandle>;
  /** The bank as a reader of the accounts topic sees it now: balances, their sum, the money in flight. */
  totals(): Promise<BankTotals>;
  /** An account's events as the log has them now. */
  history(accountId: string): Promise<Array<Recorded<AccountEnvelope>>>;
  /** Waits until the transfer has an outcome — or fails at once with the first error a saga hit that the test did not inject. */
  outcomeOf(transferId: string): Promise<TransferCompleted | TransferFailed>;
}

let instances = 0;

export async function givenBank({ kafka, stopWhenDone }: KafkaContext, { partitions = 2 }: { partitions?: number } = {}): Promise<Bank> {
  const topics: BankTopics = {
    accounts: await kafka.topic("accounts", { numPartitions: partitions }),
    transfers: await kafka.topic("transfers"),
  };
  const writerList = Array.from(
    { length: partitions },
    (_, partition) =>
      new AccountWriter({ kafka: kafka.kafka, topic: topics.accounts, partitionCount: partitions, partitions: [partition], readerGroupId: kafka.groupId(`writer-${partition}-reader`) }),
  );
  for (const writer of writerList) stopWhenDone(writer);
  const reader = new LogReader(kafka.kafka, topics.accounts, kafka.groupId("report-reader"), parseAccountEvent);
  stopWhenDone(reader);
  const writers = new Writers(writerList);
  const desk = new TransferDesk(kafka.kafka, topics, writers, kafka.groupId("desk-reader"));
  stopWhenDone(desk);
  await Promise.all([...writerList.map((writer) => writer.start()), reader.start(), desk.start()]);

  const sagaGroupId = kafka.groupId("sagas");
  let failWith: (error: unknown) => void = () => {};
  const failure = new Promise<never>((_, reject) => (failWith = reject));
  failure.catch(() => {}); // observed through outcomeOf()

  const producer = await kafka.producer();
  const command = (accountCommand: AccountCommand) => writers.handle(accountCommand, { causationId: `test-${++instances}` });
  return {
    topics,
    writers,
    desk,
    command,
    async request(request) {
      const events = envelop([{ type: "TransferRequested" as const, data: request }], { streamId: request.transferId, causationId: request.transferId });
      await appendEvents(producer, topics.transfers, events);
    },
    orFailure: (promise) => Promise.race([promise, failure]),
    async open(balances) {
      for (const [accountId, balance] of Object.entries(balances)) {
        await command({ type: "OpenAccount", data: { accountId } });
        if (balance > 0) await command({ type: "Deposit", data: { accountId, amount: balance } });
      }
    },
    async freeze(accountId) {
      await command({ type: "FreezeAccount", data: { accountId, reason: "court order" } });
    },
    async startSaga({ points, consume = true, writers: sagaWriters = writers } = {}) {
      const errors: unknown[] = [];
      const saga = new TransferSaga({
        kafka: kafka.kafka,
        topics,
        writers: sagaWriters,
        groupId: sagaGroupId,
        readerGroupId: kafka.groupId(`saga-${++instances}`),
        ...(points ? { points } : {}),
        onError: (error) => {
          errors.push(error);
          // A crash the test injected is its business; anything else (an open task, a bug) fails outcomeOf() at once.
          if (!(error instanceof InjectedFailure)) failWith(error);
        },
      });
      stopWhenDone(saga);
      await saga.start();
      if (consume) await saga.consume();
      return { saga, errors };
    },
    async totals() {
      await reader.catchUp();
      return bankTotals(reader.allEvents());
    },
    async history(accountId) {
      await reader.catchUp();
      return reader.eventsOf(accountId);
    },
    outcomeOf(transferId) {
      const ended = eventually(
        async () => {
          const outcome = await desk.outcomeOf(transferId);
          if (outcome === undefined) throw new Error(`transfer ${transferId} has no outcome yet`);
          return outcome;
        },
        { timeoutMs: 20_000, what: `transfer ${transferId} to end` },
      );
      return Promise.race([ended, failure]);
    },
  };
}

/**
 * The bank's writers, with a hook run before each command reaches its writer: lets a test
 * hold every saga at the door of an account until they are all there.
 */
export class WritersWithHook extends Writers {
  constructor(
    writers: Writers,
    readonly beforeEach: (command: AccountCommand) => Promise<void>,
  ) {
    super(writers.all);
  }

  override async handle(command: AccountCommand, origin: CommandOrigin): Promise<WriterAnswer> {
    await this.beforeEach(command);
    return super.handle(command, origin);
  }
}

/** The types of an account's events, in order: the history at a glance. */
export function typesOf(history: ReadonlyArray<{ type: string }>): string[] {
  return history.map((event) => event.type);
}

/** The CRUD bank on a fresh schema, with these accounts and balances. */
export async function givenCrudBank(pool: pg.Pool, balances: Record<string, number>): Promise<void> {
  await createBankTables(pool);
  for (const [accountId, balance] of Object.entries(balances)) await openAccount(pool, accountId, balance);
}
