/**
 * The scoreboard's view of step 05 (kit/scoreboard/ loads this file by path): commands go to
 * the commands topic, one processor (the one writer of every account) decides and appends the
 * events, and the write is acknowledged when its result comes back. Reads fold the account's
 * events as a separate reader of the log has them: no read model yet (that is step 06), and
 * a reader that has not reached the latest event answers an older balance.
 */
import { WriteRefused, type ScoreboardAdapter } from "#kit/scoreboard";
import { CommandClient } from "../src/client.ts";
import { foldEvents, type WalletCommand } from "../src/domain.ts";
import { EventLogReader } from "../src/event-log.ts";
import { CommandProcessor } from "../src/processor.ts";

const adapter: ScoreboardAdapter = {
  step: "05-event-sourcing",
  architecture: "event-sourced processor",
  path: "write: command → the processor appends the event (acks=all) → its result · read: fold of the account's events, by a reader of the log",
  crashDesign: "one writer per partition, causation ids",
  async start({ kafka, stopWhenDone }) {
    const topics = {
      commands: await kafka.topic("commands", { numPartitions: 4 }),
      events: await kafka.topic("events", { numPartitions: 4 }),
      results: await kafka.topic("results"),
    };
    const processor = new CommandProcessor({ kafka: kafka.kafka, topics, groupId: kafka.groupId("processors"), readerGroupId: kafka.groupId("processor-reader") });
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
