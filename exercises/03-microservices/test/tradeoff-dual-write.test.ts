/**
 * Two writes, to two systems, with no transaction around both: the dual write. The crash
 * is injected at the exact point between the two writes, on the fifth of ten deposits,
 * and the test counts what each side ended up with: deposits committed in Postgres, and
 * events the statements service saw through Kafka.
 */
import { depositThenPublish, publishThenDeposit } from "../src/dual-write.ts";
import { kafkaPublisher, type EventPublisher } from "../src/publisher.ts";
import { applyEveryDelivery, statementBalances } from "../src/statements.ts";
import { describe, expect, Failpoints, InjectedFailure, proves, test, tradeoff, type FreshKafka, type FreshSchema } from "#kit/testing";
import { givenWallet, messagesIn, startStatements, storedBalances, untilCaughtUp } from "./helpers.ts";

/** What each side ended up with. */
interface Counts {
  /** Deposits of 100 in alice's balance: what Postgres committed. */
  committed: number;
  /** Messages in the topic: what every service downstream can ever see. */
  inKafka: number;
  /** Messages the statements service handled, having read to the end of the topic. */
  seenDownstream: number;
}

/**
 * Ten deposits of 100 on alice, one after the other, with `dualWrite`; the fifth crashes at
 * `crashPoint`. A crashed deposit is that process gone: the next deposit goes on. Then the
 * statements service reads to the end of the topic, and each side is counted.
 */
async function tenDepositsWithACrash(
  db: FreshSchema,
  kafka: FreshKafka,
  crashPoint: string,
  dualWrite: (publisher: EventPublisher, points: Failpoints) => Promise<unknown>,
): Promise<Counts> {
  await givenWallet(db.pool, { alice: 0 });
  const topic = await kafka.topic("wallet-events");
  const statements = await startStatements(kafka, db.pool, topic, applyEveryDelivery);
  const publisher = kafkaPublisher(await kafka.producer(), topic);
  const points: Failpoints = new Failpoints().on(crashPoint, () => {
    if (points.timesReached(crashPoint) === 5) throw new InjectedFailure(crashPoint);
  });

  let crashed = 0;
  for (let i = 0; i < 10; i++) {
    try {
      await dualWrite(publisher, points);
    } catch (error) {
      if (!(error instanceof InjectedFailure)) throw error;
      crashed += 1;
    }
  }
  await untilCaughtUp(kafka, topic, statements);

  expect({ crashed, reached: points.timesReached(crashPoint) }).toEqual({ crashed: 1, reached: 10 });
  return {
    committed: (await storedBalances(db.pool)).alice! / 100,
    inKafka: await messagesIn(kafka, topic),
    seenDownstream: statements.handled,
  };
}

/** The counts as one line, shown beside the test's name in the run's output. */
function describeCounts({ committed, inKafka, seenDownstream }: Counts): string {
  const verdict = committed > seenDownstream ? ` — ${committed - seenDownstream} event lost` : seenDownstream > committed ? ` — ${seenDownstream - committed} phantom event` : "";
  return `${committed} deposits committed · ${inKafka} events in Kafka · ${seenDownstream} seen downstream${verdict}`;
}

describe(tradeoff("dual writes lose events or invent them"), () => {
  test(
    "GIVEN commit, then publish WHEN the process crashes between the two on the 5th of 10 deposits THEN 10 deposits are committed and the statements service saw 9: one event is lost forever",
    proves("downstream-sees-every-change", "dual write: commit, then publish", "broken"),
    async ({ db, kafka, annotate }) => {
      const counts = await tenDepositsWithACrash(db, kafka, "after-commit", (publisher, points) => depositThenPublish(db.pool, publisher, "alice", 100, points));

      await annotate(describeCounts(counts));
      // The counts: the wallet has all 10; Kafka — and so every service downstream — has 9.
      expect(counts).toEqual({ committed: 10, inKafka: 9, seenDownstream: 9 });
      // The service has read to the end of the topic: the missing event is not late, it does not exist.
      expect(await statementBalances(db.pool)).toEqual({ alice: 900 });
      expect(await storedBalances(db.pool)).toEqual({ alice: 1000 });
    },
  );

  test(
    "GIVEN publish, then commit WHEN the process crashes between the two on the 5th of 10 deposits THEN 9 deposits are committed and the statements service saw 10: one phantom event",
    proves("downstream-sees-every-change", "dual write: publish, then commit", "broken"),
    async ({ db, kafka, annotate }) => {
      const counts = await tenDepositsWithACrash(db, kafka, "after-publish", (publisher, points) => publishThenDeposit(db.pool, publisher, "alice", 100, points));

      await annotate(describeCounts(counts));
      // The counts: the crashed deposit rolled back, but its event had already gone out.
      expect(counts).toEqual({ committed: 9, inKafka: 10, seenDownstream: 10 });
      // Downstream believes alice has 100 she never had.
      expect(await statementBalances(db.pool)).toEqual({ alice: 1000 });
      expect(await storedBalances(db.pool)).toEqual({ alice: 900 });
    },
  );
});
