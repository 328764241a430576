/**
 * The given replay: a read model that starts today must still read the whole log; a crash
 * in the middle of a replay loses nothing and applies nothing twice; a record that is not
 * an event is set aside without stopping the partition. These use the live balances model,
 * none of your tasks: they pass from the start.
 */
import { balancesModel, foldBalances, readBalances } from "../src/balances.ts";
import { rebuild } from "../src/rebuild.ts";
import { describe, expect, Failpoints, failureOf, InjectedFailure, proves, test, tradeoff } from "#kit/testing";
import { givenLog, replayOf } from "./helpers.ts";

describe(tradeoff("a new read model must read the whole log"), () => {
  test("GIVEN a log of 40 events, then of 120 WHEN a new read model is built each time THEN it reads 40, then 120 records: the rebuild grows with the log", async ({ kafka, db, annotate }) => {
    const log = await givenLog(kafka, { count: 40, partitions: 2 });

    const first = await rebuild(replayOf({ kafka, db }, log, balancesModel, "balances_v1"));
    await log.append({ count: 80 });
    const second = await rebuild(replayOf({ kafka, db }, log, balancesModel, "balances_v2"));

    // Every record, from offset 0: a model that starts today has no shortcut to yesterday.
    await annotate(`a log of 40 events: a new model read ${first.read}; of 120: ${second.read}`);
    expect([first.read, second.read]).toEqual([40, 120]);
    expect([first.applied, second.applied]).toEqual([40, 120]);
    expect(await readBalances(db.pool, "balances_v2")).toEqual(foldBalances(log.events));
    expect(Object.keys(await readBalances(db.pool, "balances_v2"))).toHaveLength(10);
  });
});

describe("the replay", () => {
  test("GIVEN a read model that has caught up WHEN it is replayed again THEN it reads nothing: its positions say where it stands", async ({ kafka, db }) => {
    const log = await givenLog(kafka, { count: 30, partitions: 2 });
    await rebuild(replayOf({ kafka, db }, log, balancesModel, "balances"));

    const again = await rebuild(replayOf({ kafka, db }, log, balancesModel, "balances"));
    await log.append({ count: 12 });
    const tail = await rebuild(replayOf({ kafka, db }, log, balancesModel, "balances"));

    expect(again.read).toBe(0);
    expect(tail.read).toBe(12);
    expect(await readBalances(db.pool, "balances")).toEqual(foldBalances(log.events));
  });

  test(
    "GIVEN a replay crashes inside its second chunk's transaction, before the commit WHEN it is started again THEN it reads on from the first chunk's position: nothing lost, nothing applied twice",
    proves("survives-crash", "replay with positions in the same transaction", "holds"),
    async ({ kafka, db }) => {
      const log = await givenLog(kafka, { count: 50 });
      const points = new Failpoints();
      points.on("before-commit", () => {
        if (points.timesReached("before-commit") === 2) throw new InjectedFailure("before-commit");
      });

      const crash = await failureOf(() => rebuild(replayOf({ kafka, db }, log, balancesModel, "balances", { points })), InjectedFailure);
      const restart = await rebuild(replayOf({ kafka, db }, log, balancesModel, "balances"));

      expect(crash.point).toBe("before-commit");
      // Chunks of 10: the first was committed with its position; the second rolled back with its own.
      expect(restart.read).toBe(40);
      expect(await readBalances(db.pool, "balances")).toEqual(foldBalances(log.events));
      const { rows } = await db.pool.query<{ events: number }>("SELECT sum(events)::int AS events FROM balances");
      expect(rows[0]?.events).toBe(50);
    },
  );

  test("GIVEN a record that is not an event between two events WHEN replayed THEN it is set aside with its position and reason, and the events behind it are applied", async ({ kafka, db }) => {
    const log = await givenLog(kafka, { count: 3, accounts: 1 });
    const producer = await kafka.producer();
    await producer.send({ topic: log.topic, messages: [{ key: "a0-0", value: '{"type":"MoneyDeposited","data":' }] });
    const more = await log.append({ count: 2, accounts: 1 });

    const result = await rebuild(replayOf({ kafka, db }, log, balancesModel, "balances"));

    expect([result.read, result.applied]).toEqual([6, 5]);
    expect(result.skipped.map((record) => [record.position, record.error.name, record.error.reason])).toEqual([
      [{ partition: 0, offset: 3 }, "MalformedEvent", expect.stringMatching(/^not JSON/)],
    ]);
    expect(more.map((event) => event.data.accountId)).toEqual(["a1-0", "a1-0"]);
    expect(await readBalances(db.pool, "balances")).toEqual(foldBalances(log.events));
  });
});
