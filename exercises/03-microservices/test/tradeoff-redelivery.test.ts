/**
 * At-least-once delivery is the outbox's price: after a relay crash, an event arrives
 * twice. A consumer that applies every delivery counts it twice.
 */
import { randomUUID } from "node:crypto";
import { deposited } from "../src/events.ts";
import { kafkaPublisher } from "../src/publisher.ts";
import { applyEveryDelivery, statementBalances } from "../src/statements.ts";
import { describe, expect, proves, test, tradeoff } from "#kit/testing";
import { startStatements, untilCaughtUp } from "./helpers.ts";

describe(tradeoff("at-least-once delivery double-counts without deduplication"), () => {
  test(
    "GIVEN deposits of 100 and 50 WHEN the 100 is delivered twice, as a relay does after a crash THEN a consumer without deduplication says alice has 250, not 150",
    proves("survives-crash", "at-least-once delivery, consumer without deduplication", "broken"),
    async ({ db, kafka, annotate }) => {
      const topic = await kafka.topic("wallet-events");
      const statements = await startStatements(kafka, db.pool, topic, applyEveryDelivery);
      const publisher = kafkaPublisher(await kafka.producer(), topic);
      const hundred = deposited(randomUUID(), { accountId: "alice", amount: 100, balanceAfter: 100 });
      const fifty = deposited(randomUUID(), { accountId: "alice", amount: 50, balanceAfter: 150 });

      // The relay published the 100, crashed before marking it sent, and published it again.
      await publisher.publish([hundred]);
      await publisher.publish([hundred, fifty]);
      await untilCaughtUp(kafka, topic, statements);

      const balances = await statementBalances(db.pool);
      await annotate(`2 deposits (100, 50), ${statements.handled} deliveries: statements say ${balances.alice}, the wallet 150`);
      expect(statements.handled).toBe(3);
      expect(balances).toEqual({ alice: 250 });
    },
  );
});
