import { randomUUID } from "node:crypto";
import type pg from "pg";
import { InsufficientFunds } from "../src/errors.ts";
import { deposited } from "../src/events.ts";
import { depositWithOutbox, withdrawWithOutbox } from "../src/outbox.ts";
import { kafkaPublisher } from "../src/publisher.ts";
import { relayBatch, startRelay } from "../src/relay.ts";
import { applyOnce, createStatementsTables, statementBalances, statementOf } from "../src/statements.ts";
import { describe, expect, failureOf, Failpoints, InjectedFailure, proves, settleAll, task, test, until } from "#kit/testing";
import { givenWallet, messagesIn, outboxRows, startStatements, storedBalances, untilCaughtUp, watchRelay } from "./helpers.ts";

async function statementLineCount(db: pg.Pool): Promise<number> {
  const { rows } = await db.query<{ count: string }>("SELECT count(*) FROM statement_lines");
  return Number(rows[0]?.count);
}

describe(task(3, "apply each event once"), () => {
  test("GIVEN an event applied once WHEN it is delivered again THEN the second delivery is a duplicate and the statement has one line", async ({ db }) => {
    await createStatementsTables(db.pool);
    const event = deposited(randomUUID(), { accountId: "alice", amount: 100, balanceAfter: 100 });

    expect(await applyOnce(db.pool, event)).toBe("applied");
    expect(await applyOnce(db.pool, event)).toBe("duplicate");

    expect(await statementOf(db.pool, "alice")).toEqual([{ eventId: event.metadata.eventId, kind: "Deposited", amount: 100, balanceAfter: 100 }]);
  });

  test("GIVEN two deliveries of one event WHEN two instances of the service apply them at the same moment THEN exactly one applies it", async ({ db }) => {
    await createStatementsTables(db.pool);
    const event = deposited(randomUUID(), { accountId: "alice", amount: 100, balanceAfter: 100 });

    const results = await settleAll([applyOnce(db.pool, event), applyOnce(db.newPool(), event)]);

    expect(results.map((result) => (result.status === "fulfilled" ? result.value : result.reason)).sort()).toEqual(["applied", "duplicate"]);
    expect(await statementBalances(db.pool)).toEqual({ alice: 100 });
  });

  test(
    "GIVEN 10 deposits in the outbox WHEN the relay crashes after publishing a batch of 4, before marking it, and restarts THEN Kafka holds 14 messages and the statements hold the 10 deposits once each",
    proves("survives-crash", "outbox relay + deduplicating consumer", "holds"),
    async ({ db, kafka, annotate }) => {
      await givenWallet(db.pool, { alice: 0, bob: 0 });
      for (let i = 0; i < 10; i++) await depositWithOutbox(db.pool, i % 2 === 0 ? "alice" : "bob", 100);
      const topic = await kafka.topic("wallet-events", { numPartitions: 2 });
      const publisher = kafkaPublisher(await kafka.producer(), topic);
      const points = new Failpoints().failOnceAt("after-publish");

      await failureOf(() => relayBatch(db.pool, { publisher, points, batchSize: 4 }), InjectedFailure);
      // The relay restarts and works through the outbox, the crashed batch first.
      while ((await relayBatch(db.pool, { publisher, points, batchSize: 4 })).sent > 0);
      const statements = await startStatements(kafka, db.pool, topic, applyOnce);
      await untilCaughtUp(kafka, topic, statements);

      const delivered = await messagesIn(kafka, topic);
      await annotate(`10 deposits committed, ${delivered} messages in Kafka, ${statements.handled} handled downstream, ${await statementLineCount(db.pool)} applied`);
      expect({ committed: 10, inKafka: delivered, handledDownstream: statements.handled }).toEqual({ committed: 10, inKafka: 14, handledDownstream: 14 });
      // Four duplicates reached the service; none of them counted twice.
      expect(await statementBalances(db.pool)).toEqual(await storedBalances(db.pool));
      expect(await statementBalances(db.pool)).toEqual({ alice: 500, bob: 500 });
      const { rows } = await db.pool.query<{ distinct_events: string }>("SELECT count(DISTINCT event_id) AS distinct_events FROM statement_lines");
      expect({ lines: await statementLineCount(db.pool), distinctEvents: Number(rows[0]?.distinct_events) }).toEqual({ lines: 10, distinctEvents: 10 });
    },
  );

  test(
    "GIVEN the relay is down while 10 deposits are tried — one crashes before its commit, and a withdrawal is refused WHEN the relay comes back THEN the statements service sees the 9 committed deposits: none lost, none invented",
    proves("downstream-sees-every-change", "transactional outbox", "holds"),
    async ({ db, kafka, annotate }) => {
      await givenWallet(db.pool, { alice: 0 });
      const crashOnTheFifth = new Failpoints().on("before-commit", () => {
        if (crashOnTheFifth.timesReached("before-commit") === 5) throw new InjectedFailure("before-commit");
      });
      const committed: string[] = [];
      for (let i = 0; i < 10; i++) {
        try {
          committed.push((await depositWithOutbox(db.pool, "alice", 100, { points: crashOnTheFifth })).metadata.eventId);
        } catch (error) {
          if (!(error instanceof InjectedFailure)) throw error;
        }
      }
      await failureOf(() => withdrawWithOutbox(db.pool, "alice", 1_000_000), InsufficientFunds);
      expect(crashOnTheFifth.timesReached("before-commit")).toBe(10);
      const topic = await kafka.topic("wallet-events");
      const statements = await startStatements(kafka, db.pool, topic, applyOnce);

      const watch = watchRelay();
      const relay = startRelay(db.pool, { publisher: kafkaPublisher(await kafka.producer(), topic), report: watch.report });
      try {
        await Promise.race([until(async () => (await outboxRows(db.pool)).every((row) => row.status === "sent"), { what: "the relay to send the outbox" }), watch.failed]);
      } finally {
        await relay.stop();
      }
      await untilCaughtUp(kafka, topic, statements);

      const seen = (await statementOf(db.pool, "alice")).map((line) => line.eventId);
      await annotate(`${committed.length} deposits committed, ${seen.length} seen downstream`);
      expect({ committed: committed.length, seenDownstream: seen.length }).toEqual({ committed: 9, seenDownstream: 9 });
      expect(seen).toEqual(committed);
      expect(await statementBalances(db.pool)).toEqual(await storedBalances(db.pool));
      expect(await storedBalances(db.pool)).toEqual({ alice: 900 });
    },
  );
});
