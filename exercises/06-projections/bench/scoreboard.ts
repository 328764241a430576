/**
 * The scoreboard's view of step 06 (kit/scoreboard/ loads this file by path): the processor
 * of step 05 writes, and an idempotent projection (its position stored in the same
 * transaction) keeps the balances in Postgres, where reads come from. The write is
 * acknowledged when the processor's result comes back; the read model shows it a while later.
 */
import { WriteRefused, type ScoreboardAdapter } from "#kit/scoreboard";
import { applyOnce } from "../src/apply.ts";
import { CommandClient } from "../src/client.ts";
import type { WalletCommand } from "../src/domain.ts";
import { CommandProcessor } from "../src/processor.ts";
import { Projection } from "../src/projection.ts";
import { balanceOf } from "../src/queries.ts";
import { createReadModels } from "../src/read-models.ts";

const adapter: ScoreboardAdapter = {
  step: "06-projections",
  architecture: "event-sourced + projection",
  path: "write: command → the processor appends the event → its result · read: the projection's balances table in Postgres",
  crashDesign: "idempotent projection (position in the same transaction)",
  async start({ db, kafka, stopWhenDone }) {
    const topics = {
      commands: await kafka.topic("commands", { numPartitions: 4 }),
      events: await kafka.topic("events", { numPartitions: 4 }),
      results: await kafka.topic("results"),
    };
    await createReadModels(db.pool);
    const processor = new CommandProcessor({ kafka: kafka.kafka, topics, groupId: kafka.groupId("processors"), readerGroupId: kafka.groupId("processor-reader") });
    const client = new CommandClient(kafka.kafka, topics, kafka.groupId("client"));
    const projection = new Projection({ kafka: kafka.kafka, topic: topics.events, groupId: kafka.groupId("projection"), pool: db.newPool(), apply: applyOnce });
    for (const thing of [processor, client, projection]) stopWhenDone(thing);
    await Promise.all([processor.start(), client.start(), projection.start()]);
    const send = async (command: WalletCommand) => {
      const result = await client.send(command);
      if (result.outcome === "rejected") throw new WriteRefused(adapter.step, command.type, result.rejection);
    };
    return {
      open: (accountId) => send({ type: "OpenAccount", data: { accountId } }),
      deposit: (accountId, amount) => send({ type: "Deposit", data: { accountId, amount } }),
      withdraw: (accountId, amount) => send({ type: "Withdraw", data: { accountId, amount } }),
      balance: (accountId) => balanceOf(db.pool, accountId),
    };
  },
};

export default adapter;
