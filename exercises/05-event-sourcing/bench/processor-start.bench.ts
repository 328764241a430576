/**
 * The write side's deploy cost. A processor keeps no state between starts: before its first
 * decision it reads the whole events topic (loadAccount → catchUp), so every deploy, restart
 * or rebalance of the write side waits for a replay, and that wait grows with the log.
 *
 * Measured: from a new processor's start to the answer to its first command, against the
 * number of events already in the topic. Figures are printed, never asserted; the counts are.
 */
import { benchSize, measure, report, type BenchRow } from "#kit/bench";
import { expect } from "#kit/testing";
import { CommandClient } from "../src/client.ts";
import { envelop, toRecord, type EventEnvelope } from "../src/envelope.ts";
import { CommandProcessor } from "../src/processor.ts";
import { test, walletTopics } from "../test/helpers.ts";

const ACCOUNTS = 100;

/** `count` events of `ACCOUNTS` accounts: each account opened, then deposits of 1 cent spread over them. */
function history(count: number): EventEnvelope[] {
  return Array.from({ length: count }, (_, i) => {
    const accountId = `account-${i % ACCOUNTS}`;
    const event = i < ACCOUNTS ? { type: "AccountOpened" as const, data: { accountId } } : { type: "MoneyDeposited" as const, data: { accountId, amount: 1 } };
    return envelop([event], { accountId, causationId: `history-${i}` })[0]!;
  });
}

test("time to a new processor's first decision, by the size of the events topic", async ({ kafka, stopWhenDone }) => {
  const sizes = [2_000, 10_000, 40_000].map(benchSize).map((size, i) => Math.max(size, ACCOUNTS * (i + 1)));
  const rows: BenchRow[] = [];
  const producer = await kafka.producer();
  for (const size of sizes) {
    const topics = await walletTopics(kafka, { name: `start-${size}` });
    const events = history(size);
    for (let start = 0; start < events.length; start += 1_000) {
      await producer.send({ topic: topics.events, acks: -1, messages: events.slice(start, start + 1_000).map(toRecord) });
    }
    const client = new CommandClient(kafka.kafka, topics, kafka.groupId(`start-${size}.client`));
    stopWhenDone(client);
    await client.start();

    const errors: unknown[] = [];
    const processor = new CommandProcessor({
      kafka: kafka.kafka,
      topics,
      groupId: kafka.groupId(`start-${size}.processors`),
      readerGroupId: kafka.groupId(`start-${size}.reader`),
      onError: (error) => errors.push(error),
    });
    stopWhenDone(processor);
    const first = await measure(async () => {
      await processor.start();
      return client.send({ type: "Deposit", data: { accountId: "account-0", amount: 1 } }, { timeoutMs: 20_000 });
    });

    expect(errors).toEqual([]);
    // The decision was taken on the whole history: the new event lands after all `size` of them.
    expect(first.result.outcome).toBe("accepted");
    expect(first.result.outcome === "accepted" && first.result.position).toEqual({ partition: 0, offset: size });
    rows.push({ label: `start to first decision, ${size.toLocaleString("en-US")} events in the log`, value: first.ms / 1000, unit: "s" });
  }
  report({
    step: "05-event-sourcing",
    title: "write-side start: time to the first decision",
    rows,
    notes: [
      `one partition, ${ACCOUNTS} accounts; each start joins the commands group and reads the whole events topic before deciding`,
      "the time grows with the log: a deploy of the write side stops writes for that long (step 07's README says what fixes it)",
    ],
  });
});
