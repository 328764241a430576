/** Task 2: a rebuild that starts from the latest snapshot replays only the tail of the log. */
import { balancesModel, foldBalances, readBalances } from "../src/balances.ts";
import { rebuild, TableNotEmpty } from "../src/rebuild.ts";
import { latestSnapshot, restoreSnapshot, takeSnapshot } from "../src/snapshots.ts";
import { foldStatements, readStatements, statementsModel } from "../src/statements.ts";
import { prepareTable, positionsOf } from "../src/replay.ts";
import { describe, expect, failureOf, task, test } from "#kit/testing";
import { givenLog, replayOf } from "./helpers.ts";

describe(task(2, "resume from a snapshot"), () => {
  test(
    "GIVEN a snapshot taken after 90 of 120 events WHEN a new table is rebuilt from it THEN it reads only the 30 events of the tail, and holds the same statements as a full rebuild",
    async ({ kafka, db }) => {
      const log = await givenLog(kafka, { count: 90, partitions: 2 });
      await rebuild(replayOf({ kafka, db }, log, statementsModel, "statements_v1"));
      const snapshot = await takeSnapshot(db.pool, statementsModel, "statements_v1");
      await log.append({ count: 30 });

      const fromSnapshot = await rebuild(replayOf({ kafka, db }, log, statementsModel, "statements_v2", { fromSnapshot: true }));
      const full = await rebuild(replayOf({ kafka, db }, log, statementsModel, "statements_v3"));

      expect(snapshot.covers).toBe(90);
      expect(fromSnapshot.snapshot?.id).toBe(snapshot.id);
      expect(fromSnapshot.read).toBe(30);
      expect(full.read).toBe(120);
      const expected = foldStatements(log.events);
      expect(await readStatements(db.pool, "statements_v3")).toEqual(expected);
      expect(await readStatements(db.pool, "statements_v2")).toEqual(expected);
    },
  );

  test("GIVEN a snapshot WHEN it is restored into a fresh table THEN the table holds its rows and its positions, and nothing else", async ({ kafka, db }) => {
    const log = await givenLog(kafka, { count: 25, partitions: 2 });
    await rebuild(replayOf({ kafka, db }, log, statementsModel, "statements_v1"));
    const snapshot = await takeSnapshot(db.pool, statementsModel, "statements_v1");
    await prepareTable(db.pool, statementsModel, "statements_v2");

    await restoreSnapshot(db.pool, snapshot, "statements_v2");

    expect(await latestSnapshot(db.pool, statementsModel)).toEqual(snapshot);
    expect(Object.fromEntries(await positionsOf(db.pool, "statements_v2"))).toEqual(snapshot.positions);
    expect(await readStatements(db.pool, "statements_v2")).toEqual(foldStatements(log.events));
  });
});

describe("a rebuild from a snapshot", () => {
  test("GIVEN a table that already holds the model WHEN it is rebuilt from a snapshot THEN TableNotEmpty refuses before anything is restored, and the table is unchanged", async ({ kafka, db }) => {
    const log = await givenLog(kafka, { count: 20 });
    await rebuild(replayOf({ kafka, db }, log, balancesModel, "balances_v1"));
    await takeSnapshot(db.pool, balancesModel, "balances_v1");

    const refused = await failureOf(() => rebuild(replayOf({ kafka, db }, log, balancesModel, "balances_v1", { fromSnapshot: true })), TableNotEmpty);

    expect([refused.table, refused.hasRows, refused.positions]).toEqual(["balances_v1", true, 1]);
    expect(await readBalances(db.pool, "balances_v1")).toEqual(foldBalances(log.events));
  });
});
