/**
 * Two writes, to two systems, with no transaction around both: the dual write. The crash
 * is injected at the exact point between the two writes, on the fifth of ten deposits,
 * and the test counts what each side ended up with: deposits committed in Postgres, and
 * events the statements service saw through Kafka.
 */
import { depositThenPublish, publishThenDeposit } from "../src/dual-write.ts";
import { kafkaPublisher } from "../src/publisher.ts";
import { applyEveryDelivery, statementBalances } from "../src/statements.ts";
import { describe, expect, Failpoints, InjectedFailure, proves, test, tradeoff } from "#kit/testing";
import { givenWallet, messagesIn, startStatements, storedBalances, untilCaughtUp } from "./helpers.ts";

/** Failpoints that crash the fifth call to reach `point`, and only that one. */
function crashOnTheFifthAt(point: string): Failpoints {
  const points: Failpoints = new Failpoints().on(point, () => {
    if (points.timesReached(point) === 5) throw new InjectedFailure(point);
  });
  return points;
}

/** Runs ten deposits of 100 one after the other; a crashed one is just that process gone, the next deposit goes on. */
async function tenDeposits(deposit: () => Promise<unknown>): Promise<{ crashed: number }> {
  let crashed = 0;
  for (let i = 0; i < 10; i++) {
    try {
      await deposit();
    } catch (error) {
      if (!(error instanceof InjectedFailure)) throw error;
      crashed += 1;
    }
  }
  return { crashed };
}

describe(tradeoff("dual writes lose events or invent them"), () => {
  test(
    "GIVEN commit, then publish WHEN the process crashes between the two on the 5th of 10 deposits THEN 10 deposits are committed and the statements service saw 9: one event is lost forever",
    proves("downstream-sees-every-change", "dual write: commit, then publish", "broken"),
    async ({ db, kafka }) => {
      await givenWallet(db.pool, { alice: 0 });
      const topic = await kafka.topic("wallet-events");
      const statements = await startStatements(kafka, db.pool, topic, applyEveryDelivery);
      const publisher = kafkaPublisher(await kafka.producer(), topic);
      const points = crashOnTheFifthAt("after-commit");

      const { crashed } = await tenDeposits(() => depositThenPublish(db.pool, publisher, "alice", 100, points));
      await untilCaughtUp(kafka, topic, statements);

      expect(crashed).toBe(1);
      const committed = (await storedBalances(db.pool)).alice! / 100;
      const inKafka = await messagesIn(kafka, topic);
      const seenDownstream = statements.handled;
      // The counts: the wallet has all 10; Kafka — and so every service downstream — has 9.
      expect({ committed, inKafka, seenDownstream }).toEqual({ committed: 10, inKafka: 9, seenDownstream: 9 });
      // The service has read to the end of the topic: the missing event is not late, it does not exist.
      expect(await statementBalances(db.pool)).toEqual({ alice: 900 });
      expect(await storedBalances(db.pool)).toEqual({ alice: 1000 });
    },
  );

  test(
    "GIVEN publish, then commit WHEN the process crashes between the two on the 5th of 10 deposits THEN 9 deposits are committed and the statements service saw 10: one phantom event",
    proves("downstream-sees-every-change", "dual write: publish, then commit", "broken"),
    async ({ db, kafka }) => {
      await givenWallet(db.pool, { alice: 0 });
      const topic = await kafka.topic("wallet-events");
      const statements = await startStatements(kafka, db.pool, topic, applyEveryDelivery);
      const publisher = kafkaPublisher(await kafka.producer(), topic);
      const points = crashOnTheFifthAt("after-publish");

      const { crashed } = await tenDeposits(() => publishThenDeposit(db.pool, publisher, "alice", 100, points));
      await untilCaughtUp(kafka, topic, statements);

      expect(crashed).toBe(1);
      const committed = (await storedBalances(db.pool)).alice! / 100;
      const inKafka = await messagesIn(kafka, topic);
      const seenDownstream = statements.handled;
      // The counts: the crashed deposit rolled back, but its event had already gone out.
      expect({ committed, inKafka, seenDownstream }).toEqual({ committed: 9, inKafka: 10, seenDownstream: 10 });
      // Downstream believes alice has 100 she never had.
      expect(await statementBalances(db.pool)).toEqual({ alice: 1000 });
      expect(await storedBalances(db.pool)).toEqual({ alice: 900 });
    },
  );
});
