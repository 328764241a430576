/**
 * The scoreboard's view of step 03 (kit/scoreboard/ loads this file by path): the wallet's
 * writes commit their outbox row in the same transaction, and a relay, running all along,
 * publishes the rows to Kafka. Reads are the owner's own table, so they are never stale; what
 * the outbox costs shows in the write and in the throughput (the relay shares the database).
 */
import type { ScoreboardAdapter } from "#kit/scoreboard";
import { AccountNotFound } from "../src/errors.ts";
import { createOutboxTable, depositWithOutbox, withdrawWithOutbox } from "../src/outbox.ts";
import { kafkaPublisher } from "../src/publisher.ts";
import { startRelay } from "../src/relay.ts";
import { createWalletTable, getBalance, openAccount } from "../src/wallet.ts";

const adapter: ScoreboardAdapter = {
  step: "03-microservices",
  architecture: "CRUD + outbox + relay",
  path: "write: UPDATE + outbox row in one transaction (a relay publishes it to Kafka) · read: the owner's table",
  crashDesign: "outbox relay + deduplicating consumer",
  async start({ db, kafka, stopWhenDone }) {
    await createWalletTable(db.pool);
    await createOutboxTable(db.pool);
    const publisher = kafkaPublisher(await kafka.producer(), await kafka.topic("wallet-events"));
    stopWhenDone(startRelay(db.newPool({ max: 2 }), { publisher }));
    return {
      open: (id) => openAccount(db.pool, id),
      deposit: async (id, amount) => void (await depositWithOutbox(db.pool, id, amount)),
      withdraw: async (id, amount) => void (await withdrawWithOutbox(db.pool, id, amount)),
      balance: (id) => getBalance(db.pool, id).catch((error: unknown) => (error instanceof AccountNotFound ? undefined : Promise.reject(error))),
    };
  },
};

export default adapter;
