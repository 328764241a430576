/**
 * Test helpers of step 03. The wallet and its outbox are set up with plain SQL; the topic
 * is read back with a consumer of the test's own, so each task's tests depend on that task
 * alone, and trade-off tests pass from the start.
 */
import { randomUUID } from "node:crypto";
import type pg from "pg";
import type { FreshKafka } from "#kit/testing";
import { until } from "#kit/testing";
import { deposited, encodeEvent, type WalletEvent } from "../src/events.ts";
import { createOutboxTable } from "../src/outbox.ts";
import type { RelayReport } from "../src/relay.ts";
import { startStatementsService, type StatementsService } from "../src/statements-consumer.ts";
import { createStatementsTables, type ApplyEvent } from "../src/statements.ts";
import { createWalletTable } from "../src/wallet.ts";

/** Kafka waits: a group join on a busy laptop can take a few seconds. */
export const kafkaDeadline = { timeoutMs: 20_000 } as const;

/** The wallet's tables (accounts and outbox), with these accounts and balances (in cents) in it. */
export async function givenWallet(db: pg.Pool, accounts: Record<string, number> = {}): Promise<void> {
  await createWalletTable(db);
  await createOutboxTable(db);
  for (const [id, balance] of Object.entries(accounts)) {
    await db.query("INSERT INTO accounts (id, balance) VALUES ($1, $2)", [id, balance]);
  }
}

/** What the accounts table holds, read with plain SQL: `{ alice: 100 }`. */
export async function storedBalances(db: pg.Pool): Promise<Record<string, number>> {
  const { rows } = await db.query<{ id: string; balance: string }>("SELECT id, balance FROM accounts ORDER BY id");
  return Object.fromEntries(rows.map((row) => [row.id, Number(row.balance)]));
}

export interface OutboxRow {
  id: number;
  eventId: string;
  payload: string;
  status: string;
  failure: string | null;
}

/** The outbox, oldest row first, read with plain SQL. */
export async function outboxRows(db: pg.Pool): Promise<OutboxRow[]> {
  const { rows } = await db.query<{ id: string; event_id: string; payload: string; status: string; failure: string | null }>(
    "SELECT id, event_id, payload, status, failure FROM outbox ORDER BY id",
  );
  return rows.map((row) => ({ id: Number(row.id), eventId: row.event_id, payload: row.payload, status: row.status, failure: row.failure }));
}

/** A row written by hand, as a legacy writer or a manual fix would: the relay must cope with whatever it holds. */
export async function insertOutboxRow(db: pg.Pool, eventId: string, payload: string): Promise<void> {
  await db.query("INSERT INTO outbox (event_id, payload) VALUES ($1, $2)", [eventId, payload]);
}

/** These events in the outbox as the wallet writes them, with plain SQL: relay tests depend on the relay alone. */
export async function givenOutbox(db: pg.Pool, events: WalletEvent[]): Promise<void> {
  for (const event of events) await insertOutboxRow(db, event.metadata.eventId, encodeEvent(event));
}

/** `count` deposits of 100 on `accountId`, as events: balances 100, 200, … */
export function depositsOf(accountId: string, count: number): WalletEvent[] {
  return Array.from({ length: count }, (_, i) => deposited(randomUUID(), { accountId, amount: 100, balanceAfter: 100 * (i + 1) }));
}

/** One message as a consumer received it. */
export interface Delivered {
  partition: number;
  offset: number;
  key: string | null;
  value: string | null;
}

/**
 * Every message in `topic`, read from the beginning by a fresh consumer group until it has
 * reached the end of every partition — so "not there" means not in the topic at all, not
 * "not arrived yet".
 */
export async function readTopic(kafka: FreshKafka, topic: string): Promise<Delivered[]> {
  const consumer = kafka.consumer({ groupId: kafka.groupId("reader") });
  const delivered: Delivered[] = [];
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ partition, message }) => {
      delivered.push({ partition, offset: Number(message.offset), key: message.key?.toString() ?? null, value: message.value?.toString() ?? null });
    },
  });
  const ends = await kafka.admin.fetchTopicOffsets(topic);
  await until(() => ends.every(({ partition, high }) => delivered.filter((message) => message.partition === partition).length >= Number(high)), {
    ...kafkaDeadline,
    what: `reading every message of ${topic}`,
  });
  await consumer.stop();
  return delivered.sort((a, b) => a.partition - b.partition || a.offset - b.offset);
}

/** How many messages the topic holds, over all its partitions. */
export async function messagesIn(kafka: FreshKafka, topic: string): Promise<number> {
  const ends = await kafka.admin.fetchTopicOffsets(topic);
  return ends.reduce((sum, { high, low }) => sum + Number(high) - Number(low), 0);
}

/** The statements service's tables, and the service itself consuming `topic` with `apply`. */
export async function startStatements(kafka: FreshKafka, db: pg.Pool, topic: string, apply: ApplyEvent, report?: StatementsReport): Promise<StatementsService> {
  await createStatementsTables(db);
  return startStatementsService({ consumer: kafka.consumer({ groupId: kafka.groupId("statements") }), pool: db, topic, apply, ...(report ? { report } : {}) });
}

type StatementsReport = NonNullable<Parameters<typeof startStatementsService>[0]["report"]>;

/**
 * Waits until the service has handled every message the topic holds now. Call it after the
 * publishing has finished (every publish awaited): from then on, what the service has not
 * seen is not in the topic, and will never arrive.
 */
export async function untilCaughtUp(kafka: FreshKafka, topic: string, service: StatementsService): Promise<void> {
  const ends = await kafka.admin.fetchTopicOffsets(topic);
  await until(() => ends.every(({ partition, high }) => service.positionIn(partition) >= Number(high)), {
    ...kafkaDeadline,
    what: `the statements service to read to the end of ${topic}`,
  });
}

/**
 * What a relay reported, and `failed`: a promise that rejects with the first batch that
 * failed. Race a wait against it, so a relay that cannot work (an open task, a bug) fails
 * the test at once with its own error instead of running into the deadline.
 */
export function watchRelay(): { reports: RelayReport[]; report: (report: RelayReport) => void; failed: Promise<never> } {
  const reports: RelayReport[] = [];
  let fail: (error: unknown) => void = () => {};
  const failed = new Promise<never>((_, reject) => (fail = reject));
  failed.catch(() => {}); // raced when a test waits; not every test does
  return {
    reports,
    report(report) {
      reports.push(report);
      if (report.kind === "batch-failed") fail(report.error);
    },
    failed,
  };
}
