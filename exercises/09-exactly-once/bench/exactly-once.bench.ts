/**
 * The price of exactly-once: the same workload through the processor with no transactions
 * (step 05's design), one transaction per command, and one transaction per fetched batch.
 *
 * Throughput: the commands are queued first, then drained by one processor that already owns
 * the partitions; the clock stops when every command is answered (a transactional answer is
 * seen only when its transaction commits). Latency: one command at a time, from send to
 * result, as one client waiting for each answer sees it.
 */
import { benchSize, measure, perSecond, report, summarize, type BenchRow } from "#kit/bench";
import { expect, eventually } from "#kit/testing";
import type { Producer } from "#kit/kafka";
import { CommandClient } from "../src/client.ts";
import { commandToJson } from "../src/commands.ts";
import type { WalletCommand } from "../src/domain.ts";
import { CommandProcessor, type TransactionMode } from "../src/processor.ts";
import { test, walletTopics, type KafkaContext } from "../test/helpers.ts";

const modes: Array<{ mode: TransactionMode; label: string }> = [
  { mode: "none", label: "no transactions (step 05's design)" },
  { mode: "per-command", label: "one transaction per command" },
  { mode: "per-poll", label: "one transaction per fetched batch" },
];

async function enqueue(producer: Producer, topic: string, commands: WalletCommand[], prefix: string): Promise<void> {
  const batch = 500;
  for (let start = 0; start < commands.length; start += batch) {
    const messages = commands.slice(start, start + batch).map((command, index) => ({
      key: command.data.accountId,
      value: commandToJson(command, { commandId: `${prefix}-${start + index}` }),
    }));
    await producer.send({ topic, acks: -1, messages });
  }
}

function workload(accounts: number, deposits: number): WalletCommand[] {
  const ids = Array.from({ length: accounts }, (_, i) => `account-${i}`);
  return [
    ...ids.map((accountId): WalletCommand => ({ type: "OpenAccount", data: { accountId } })),
    ...Array.from({ length: deposits }, (_, i): WalletCommand => ({ type: "Deposit", data: { accountId: ids[i % accounts]!, amount: 1 } })),
  ];
}

/** A wallet with one processor of `mode`, in its group and owning every partition. */
async function running({ kafka, stopWhenDone }: KafkaContext, name: string, mode: TransactionMode, errors: unknown[]) {
  const topics = await walletTopics(kafka, { name, partitions: 4 });
  const client = new CommandClient(kafka.kafka, topics, kafka.groupId(`${name}.client`));
  stopWhenDone(client);
  await client.start();
  const processor = new CommandProcessor({
    kafka: kafka.kafka,
    topics,
    groupId: kafka.groupId(`${name}.processors`),
    readerGroupId: kafka.groupId(`${name}.reader`),
    transactions: mode,
    onError: (error) => errors.push(error),
  });
  stopWhenDone(processor);
  await processor.start();
  expect(processor.assignedPartitions.sort()).toEqual([0, 1, 2, 3]);
  return { topics, client, processor };
}

test("the processor with and without transactions: throughput and latency", async ({ kafka, stopWhenDone }) => {
  const deposits = benchSize(2_000);
  const accounts = Math.min(100, deposits);
  const roundTrips = benchSize(300);
  const rows: BenchRow[] = [];
  const notes: string[] = [];

  for (const { mode, label } of modes) {
    const errors: unknown[] = [];
    const throughput = await running({ kafka, stopWhenDone }, `drain-${mode}`, mode, errors);
    const commands = workload(accounts, deposits);
    const producer = await kafka.producer();
    const { ms } = await measure(async () => {
      await enqueue(producer, throughput.topics.commands, commands, "bench");
      await eventually(
        () => {
          if (errors.length > 0) return;
          expect(commands.every((_, i) => throughput.client.resultsFor(`bench-${i}`).length > 0)).toBe(true);
        },
        { timeoutMs: 600_000, intervalMs: 5, what: "every command to be answered" },
      );
    });
    expect(errors).toEqual([]);
    const accepted = commands.filter((_, i) => throughput.client.resultsFor(`bench-${i}`)[0]?.outcome === "accepted").length;
    expect(accepted).toBe(commands.length);
    await throughput.processor.stop();
    rows.push({ label: `${label}: throughput`, value: perSecond(accepted, ms), unit: "commands/s" });

    const latency = await running({ kafka, stopWhenDone }, `latency-${mode}`, mode, errors);
    await latency.client.send({ type: "OpenAccount", data: { accountId: "alice" } });
    const samples: number[] = [];
    for (let i = 0; i < roundTrips; i++) {
      const { ms: one, result } = await measure(() => latency.client.send({ type: "Deposit", data: { accountId: "alice", amount: 1 } }));
      expect(result.outcome).toBe("accepted");
      samples.push(one);
    }
    expect(errors).toEqual([]);
    await latency.processor.stop();
    const summary = summarize(samples);
    rows.push({ label: `${label}: one command, median`, value: summary.median, unit: "ms" }, { label: `${label}: one command, p95`, value: summary.p95, unit: "ms" });
  }

  notes.push(
    `throughput: ${deposits} deposits over ${accounts} accounts (plus their openings), 4 partitions, one processor, queued before the processor drains them`,
    `latency: ${roundTrips} deposits sent one after another by one client, each awaited`,
    "no transactions is step 05's processor: append, send the result, commit the offset — three writes, and a zombie can repeat them (test/tradeoff-zombie.test.ts)",
    "a transaction adds AddPartitionsToTxn, AddOffsetsToTxn, TxnOffsetCommit and EndTxn, and the commit markers: one transaction per batch pays them once for many commands",
  );
  report({ step: "09-exactly-once", title: "the price of exactly-once", rows, notes });
});
