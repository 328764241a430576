/**
 * How many events a second the command processor sustains, for one busy account and for
 * many accounts. The processors are in their group before the clock starts; the commands are
 * then sent in large batches, so what is measured is mostly the processor: parse, decide,
 * append (acks=all), answer, commit — one command after another per member, which is the
 * price of one writer per account.
 */
import { benchSize, measure, perSecond, report } from "#kit/bench";
import { expect, eventually } from "#kit/testing";
import type { Producer } from "#kit/kafka";
import { CommandClient } from "../src/client.ts";
import { commandToJson } from "../src/commands.ts";
import type { WalletCommand } from "../src/domain.ts";
import { CommandProcessor } from "../src/processor.ts";
import { test, walletTopics, type KafkaContext } from "../test/helpers.ts";

/** Puts the commands on the commands topic, in order, in large batches. */
async function enqueue(producer: Producer, topic: string, commands: WalletCommand[]): Promise<void> {
  const batch = 500;
  for (let start = 0; start < commands.length; start += batch) {
    const messages = commands.slice(start, start + batch).map((command, index) => ({
      key: command.data.accountId,
      value: commandToJson(command, { commandId: `bench-${start + index}` }),
    }));
    await producer.send({ topic, acks: -1, messages });
  }
}

/** Opens `accounts` accounts, then `deposits` deposits spread over them; returns the commands. */
function workload(accounts: number, deposits: number): WalletCommand[] {
  const ids = Array.from({ length: accounts }, (_, i) => `account-${i}`);
  return [
    ...ids.map((accountId): WalletCommand => ({ type: "OpenAccount", data: { accountId } })),
    ...Array.from({ length: deposits }, (_, i): WalletCommand => ({ type: "Deposit", data: { accountId: ids[i % accounts]!, amount: 1 } })),
  ];
}

/** Runs `processors` processors over the queued commands and measures until every command is answered. */
async function drain(context: KafkaContext, name: string, partitions: number, commands: WalletCommand[], processors: number) {
  const { kafka, stopWhenDone } = context;
  const topics = await walletTopics(kafka, { name, partitions });
  const client = new CommandClient(kafka.kafka, topics, kafka.groupId(`${name}.client`));
  stopWhenDone(client);
  await client.start();
  const errors: unknown[] = [];
  const groupId = kafka.groupId(`${name}.processors`);
  const members = Array.from(
    { length: processors },
    (_, i) =>
      new CommandProcessor({
        kafka: kafka.kafka,
        topics,
        groupId,
        readerGroupId: kafka.groupId(`${name}.reader-${i}`),
        onError: (error) => errors.push(error),
      }),
  );
  for (const member of members) stopWhenDone(member);
  // Every member in the group and given its partitions before the clock starts: the figure
  // is the steady state, not the time it takes to join.
  for (const member of members) await member.start();
  await eventually(() => expect(members.map((member) => member.assignedPartitions.length > 0)).toEqual(members.map(() => true)), {
    what: "every processor to own a partition",
  });
  await eventually(() => expect(members.reduce((sum, member) => sum + member.assignedPartitions.length, 0)).toBe(partitions), {
    what: "the partitions to be shared out",
  });
  const producer = await kafka.producer();
  const answered = () => commands.every((_, i) => client.resultsFor(`bench-${i}`).length > 0);
  const { ms } = await measure(async () => {
    await enqueue(producer, topics.commands, commands);
    await eventually(
      () => {
        if (errors.length > 0) return; // a processor failed: stop waiting, and say so below
        expect(answered()).toBe(true);
      },
      { timeoutMs: 600_000, intervalMs: 5, what: "every command to be answered" },
    );
  });
  expect(errors).toEqual([]);
  const accepted = commands.filter((_, i) => client.resultsFor(`bench-${i}`)[0]?.outcome === "accepted").length;
  return { ms, accepted, handled: members.map((member) => member.handledCount) };
}

test("events per second through the processor: one account, many accounts", async ({ kafka, stopWhenDone }) => {
  const deposits = benchSize(2_000);
  const rows = [];

  const one = await drain({ kafka, stopWhenDone }, "one-account", 1, workload(1, deposits), 1);
  expect(one.accepted).toBe(deposits + 1);
  rows.push({ label: "one account, one processor", value: perSecond(one.accepted, one.ms), unit: "events/s" });

  const accounts = Math.min(100, deposits);
  const many = await drain({ kafka, stopWhenDone }, "many-accounts", 4, workload(accounts, deposits), 1);
  expect(many.accepted).toBe(deposits + accounts);
  rows.push({ label: `${accounts} accounts, 4 partitions, one processor`, value: perSecond(many.accepted, many.ms), unit: "events/s" });

  const shared = await drain({ kafka, stopWhenDone }, "two-processors", 4, workload(accounts, deposits), 2);
  expect(shared.accepted).toBe(deposits + accounts);
  rows.push({ label: `${accounts} accounts, 4 partitions, two processors`, value: perSecond(shared.accepted, shared.ms), unit: "events/s" });

  report({
    step: "05-event-sourcing",
    title: "command processor throughput",
    rows,
    notes: [
      `${deposits} deposits (plus the account openings), sent in batches of 500 once every processor owns its partitions`,
      "each command: parse, decide, append with acks=all, send the result, commit the offset — one after another per member",
      `two processors split the work ${shared.handled.join(" / ")} commands`,
    ],
  });
});
