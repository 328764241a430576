/**
 * What the events buy besides delivery: the wallet's table is the wallet's again. The same
 * migration that breaks the shared-database reader (tradeoff-shared-database.test.ts)
 * does nothing to a service that reads only the events.
 */
import { randomUUID } from "node:crypto";
import pg from "pg";
import { deposited } from "../src/events.ts";
import { appendToOutbox, depositWithOutbox } from "../src/outbox.ts";
import { kafkaPublisher } from "../src/publisher.ts";
import { relayBatch } from "../src/relay.ts";
import { balancesFromWalletTable, renameBalanceToBalanceCents } from "../src/shared-database.ts";
import { applyOnce, statementOf } from "../src/statements.ts";
import { inTransaction } from "../src/transactions.ts";
import { describe, expect, failureOf, proves, task, test } from "#kit/testing";
import { givenWallet, startStatements, untilCaughtUp } from "./helpers.ts";

/** The wallet's deposit after its migration: its own new column, and the same event as before. */
async function depositAfterTheMigration(pool: pg.Pool, accountId: string, amount: number): Promise<void> {
  await inTransaction(pool, async (tx) => {
    const { rows } = await tx.query<{ balance_cents: string }>(
      "UPDATE accounts SET balance_cents = balance_cents + $2 WHERE id = $1 RETURNING balance_cents",
      [accountId, amount],
    );
    await appendToOutbox(tx, deposited(randomUUID(), { accountId, amount, balanceAfter: Number(rows[0]?.balance_cents) }));
  });
}

describe(task(3, "apply each event once"), () => {
  test(
    "GIVEN the statements service reads only the wallet's events WHEN the wallet renames balance to balance_cents and keeps writing the same events THEN the statements service goes on as if nothing happened",
    proves("independent-schema-evolution", "events as the contract (outbox)", "holds"),
    async ({ db, kafka }) => {
      await givenWallet(db.pool, { alice: 0 });
      const topic = await kafka.topic("wallet-events");
      const publisher = kafkaPublisher(await kafka.producer(), topic);
      const statements = await startStatements(kafka, db.pool, topic, applyOnce);

      await depositWithOutbox(db.pool, "alice", 100);
      await renameBalanceToBalanceCents(db.pool); // the wallet's own deploy, as in the shared-database trade-off
      await depositAfterTheMigration(db.pool, "alice", 50);
      while ((await relayBatch(db.pool, { publisher })).sent > 0);
      await untilCaughtUp(kafka, topic, statements);

      // The reader of the shared table is broken by the migration…
      expect((await failureOf(() => balancesFromWalletTable(db.pool), pg.DatabaseError)).message).toMatch(/column "balance" does not exist/);
      // …the reader of the events did not notice it.
      expect((await statementOf(db.pool, "alice")).map(({ amount, balanceAfter }) => ({ amount, balanceAfter }))).toEqual([
        { amount: 100, balanceAfter: 100 },
        { amount: 50, balanceAfter: 150 },
      ]);
    },
  );
});
