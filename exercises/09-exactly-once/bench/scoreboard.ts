/**
 * The scoreboard's view of step 09 (kit/scoreboard/ loads this file by path): commands go to
 * the commands topic, and the transactional processor (the one writer of every account)
 * appends the events, the result and the input offset in one Kafka transaction per command;
 * the write is acknowledged when its result comes back to the client. Reads fold
 * the account's events as a separate read_committed reader of the log holds them in memory:
 * no read model in this step (that is step 06's), and a reader that has not reached the
 * latest committed event answers an older balance.
 */
import { WriteRefused, type ScoreboardAdapter } from "#kit/scoreboard";
import { CommandClient } from "../src/client.ts";
import { foldEvents, type WalletCommand } from "../src/domain.ts";
import { EventLogReader } from "../src/event-log.ts";
import { CommandProcessor } from "../src/processor.ts";

const adapter: ScoreboardAdapter = {
  step: "09-exactly-once",
  architecture: "transactional processor",
  path: "write: command → events, result and offset in one transaction → its result · read: fold of the account's events, read_committed",
  crashDesign: "transactional processor (events, result and offset in one transaction)",
  async start({ kafka, stopWhenDone }) {
    const topics = {
      commands: await kafka.topic("commands", { numPartitions: 4 }),
      events: await kafka.topic("events", { numPartitions: 4 }),
      results: await kafka.topic("results"),
    };
    const processor = new CommandProcessor({ kafka: kafka.kafka, topics, groupId: kafka.groupId("processors"), readerGroupId: kafka.groupId("processor-reader"), transactions: "per-command" });
    const client = new CommandClient(kafka.kafka, topics, kafka.groupId("client"));
    const reader = new EventLogReader(kafka.kafka, topics.events, kafka.groupId("balance-reader"));
    for (const thing of [processor, client, reader]) stopWhenDone(thing);
    await Promise.all([processor.start(), client.start(), reader.start()]);
    const send = async (command: WalletCommand) => {
      const result = await client.send(command);
      if (result.outcome === "rejected") throw new WriteRefused(adapter.step, command.type, result.rejection);
    };
    return {
      open: (accountId) => send({ type: "OpenAccount", data: { accountId } }),
      deposit: (accountId, amount) => send({ type: "Deposit", data: { accountId, amount } }),
      withdraw: (accountId, amount) => send({ type: "Withdraw", data: { accountId, amount } }),
      balance: async (accountId) => {
        const state = foldEvents(reader.eventsOf(accountId));
        return state.status === "open" ? state.balance : undefined;
      },
    };
  },
};

export default adapter;
