/**
 * The shared database: the statements service reads the wallet's table directly. No Kafka,
 * no events — and no contract: the table's columns are the interface, and the wallet's
 * team cannot change them alone.
 */
import pg from "pg";
import { addCurrencies, balancesFromWalletTable, renameBalanceToBalanceCents } from "../src/shared-database.ts";
import { describe, expect, failureOf, proves, test, tradeoff } from "#kit/testing";
import { givenWallet } from "./helpers.ts";

/** Postgres's SQLSTATE for "column … does not exist". */
const UNDEFINED_COLUMN = "42703";

describe(tradeoff("a shared database couples the services that share it"), () => {
  test(
    "GIVEN the statements service reads the wallet's table WHEN the wallet renames balance to balance_cents THEN the statements service breaks: column \"balance\" does not exist",
    proves("independent-schema-evolution", "shared database", "broken"),
    async ({ db, annotate }) => {
      await givenWallet(db.pool, { alice: 100, bob: 250 });
      expect(await balancesFromWalletTable(db.pool)).toEqual({ alice: 100, bob: 250 });

      // The wallet's own deploy: its code and its table change together, and the wallet works.
      await renameBalanceToBalanceCents(db.pool);
      const { rows } = await db.pool.query<{ balance_cents: string }>("SELECT balance_cents FROM accounts WHERE id = 'alice'");
      expect(rows).toEqual([{ balance_cents: "100" }]);

      // The statements service was not part of that deploy.
      const error = await failureOf(() => balancesFromWalletTable(db.pool), pg.DatabaseError);
      await annotate(`after the wallet's rename, the statements reader fails with SQLSTATE ${error.code}: ${error.message}`);
      expect(error.code).toBe(UNDEFINED_COLUMN);
      expect(error.message).toMatch(/column "balance" does not exist/);
    },
  );

  test(
    "GIVEN the statements service reads the wallet's table WHEN the wallet adds currencies and bob's account is in USD THEN nothing fails, and the statements service reports dollars as euros",
    proves("independent-schema-evolution", "shared database", "broken"),
    async ({ db, annotate }) => {
      await givenWallet(db.pool, { alice: 100, bob: 250 });

      await addCurrencies(db.pool);
      await db.pool.query("UPDATE accounts SET currency = 'USD' WHERE id = 'bob'");

      // Worse than an error: the same numbers, now meaning something else, read without a word.
      const reported = await balancesFromWalletTable(db.pool);
      expect(reported).toEqual({ alice: 100, bob: 250 });
      const { rows } = await db.pool.query<{ id: string; currency: string }>("SELECT id, currency FROM accounts ORDER BY id");
      expect(rows).toEqual([
        { id: "alice", currency: "EUR" },
        { id: "bob", currency: "USD" },
      ]);
      await annotate(`0 errors: the statements service reports bob's ${reported.bob} ${rows.find(({ id }) => id === "bob")?.currency} cents with no currency, as euros`);
    },
  );
});
