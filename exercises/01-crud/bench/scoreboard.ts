/**
 * The scoreboard's view of step 01 (kit/scoreboard/ loads this file by path): the wallet as
 * one Postgres table, every write one atomic statement, every read a SELECT of the same row.
 */
import type { ScoreboardAdapter } from "#kit/scoreboard";
import { AccountNotFound } from "../src/errors.ts";
import { createWalletTable, deposit, getBalance, openAccount, withdraw } from "../src/wallet.ts";

const adapter: ScoreboardAdapter = {
  step: "01-crud",
  architecture: "CRUD on Postgres",
  path: "write: one UPDATE, acknowledged by its commit · read: SELECT of the same row",
  crashDesign: "single database",
  async start({ db }) {
    await createWalletTable(db.pool);
    return {
      open: (id) => openAccount(db.pool, id),
      deposit: async (id, amount) => void (await deposit(db.pool, id, amount)),
      withdraw: async (id, amount) => void (await withdraw(db.pool, id, amount)),
      balance: (id) => getBalance(db.pool, id).catch((error: unknown) => (error instanceof AccountNotFound ? undefined : Promise.reject(error))),
    };
  },
};

export default adapter;
