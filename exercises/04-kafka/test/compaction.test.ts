import { decodeBalance, encodeBalance, signedAmount, type AccountEvent, type BalanceRecord } from "../src/events.ts";
import { compactedTopicConfig, historyTopicConfig } from "../src/topics.ts";
import { describe, eventually, expect, proves, task, test, until, type FreshKafka } from "#kit/testing";

/** The balance of each account after each event: what a service would publish as "current balance". */
function balancesAfterEach(events: AccountEvent[]): BalanceRecord[] {
  const balances = new Map<string, number>();
  return events.map((event) => {
    const balance = (balances.get(event.accountId) ?? 0) + signedAmount(event);
    balances.set(event.accountId, balance);
    return { accountId: event.accountId, balance };
  });
}

const history: AccountEvent[] = [
  { type: "deposited", accountId: "alice", sequence: 1, amount: 100 },
  { type: "deposited", accountId: "bob", sequence: 1, amount: 50 },
  { type: "deposited", accountId: "alice", sequence: 2, amount: 50 },
  { type: "withdrawn", accountId: "alice", sequence: 3, amount: 30 },
  { type: "deposited", accountId: "bob", sequence: 2, amount: 30 },
];

let reads = 0;

/** Records that are not balances: written only to make the active segment roll. */
const TICK = "tick";

/**
 * Every balance record of a one-partition `topic`, read from the beginning by a new group up
 * to offset `last` (a record written just before, so it is surely there to be reached).
 */
async function balancesIn(kafka: FreshKafka, topic: string, last: string): Promise<BalanceRecord[]> {
  // A group of its own each time: a group that has read the topic once would resume, not start over.
  const consumer = kafka.consumer({ groupId: kafka.groupId(`reader-${(reads += 1)}`) });
  const records: BalanceRecord[] = [];
  let reachedTheEnd!: () => void;
  const done = new Promise<void>((resolve) => (reachedTheEnd = resolve));
  try {
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        const decoded = message.key?.toString() === TICK ? undefined : decodeBalance(message.value);
        if (decoded?.ok) records.push(decoded.record);
        if (BigInt(message.offset) >= BigInt(last)) reachedTheEnd();
      },
    });
    await done;
  } finally {
    await consumer.disconnect();
  }
  return records;
}

describe(task(4, "configure a compacted topic"), () => {
  test(
    "GIVEN alice's and bob's balance after each of five events WHEN the compacted topic's segment rolls and the cleaner runs THEN reading it from the beginning gives one record per account, the latest — while a kept-for-ever topic still holds all five",
    proves("full-history", "compacted topic", "broken"),
    async ({ kafka }) => {
      const compacted = await kafka.topic("balances", { numPartitions: 1, configEntries: compactedTopicConfig() });
      const kept = await kafka.topic("balances-history", { numPartitions: 1, configEntries: historyTopicConfig });
      const producer = await kafka.producer();
      const balances = balancesAfterEach(history);
      expect(balances.map(({ accountId, balance }) => `${accountId}=${balance}`)).toEqual(["alice=100", "bob=50", "alice=150", "alice=120", "bob=80"]);
      const writeAll = (topic: string) =>
        producer.send({ topic, acks: -1, messages: balances.map((record) => ({ key: record.accountId, value: encodeBalance(record) })) });
      await writeAll(compacted);
      await writeAll(kept);

      // The cleaner never touches the segment being written to. Each tick is a later record:
      // once the segment is older than segment.ms, the tick goes to a new one, and the old
      // one becomes cleanable. Poll until the cleaner has done its work.
      let ticks = 0;
      const tick = async (topic: string) => {
        const [written] = await producer.send({ topic, acks: -1, messages: [{ key: TICK, value: String((ticks += 1)) }] });
        return written?.baseOffset ?? "0";
      };
      await eventually(
        async () => {
          const last = await tick(compacted);
          expect(await balancesIn(kafka, compacted, last)).toEqual([
            { accountId: "alice", balance: 120 },
            { accountId: "bob", balance: 80 },
          ]);
        },
        { timeoutMs: 20_000, intervalMs: 200, what: "the compacted topic to keep only the latest balance per account" },
      );

      // Same records, same ticks, delete policy: every balance is still there, in order.
      const last = await tick(kept);
      expect(await balancesIn(kafka, kept, last)).toEqual(balances);
    },
  );
});
