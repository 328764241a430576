/**
 * Task 4 and its contrast: a new version of a read model, rebuilt while readers keep
 * querying. Built beside the live one and switched to once caught up, readers only ever
 * see a complete model; rebuilt in place, they see it half-built.
 */
import type { Pool } from "pg";
import { balancesModel, foldBalances, readBalances } from "../src/balances.ts";
import { BeyondTheLog, deployBlueGreen, liveTable, NotCaughtUp, rebuildInPlace, switchReads } from "../src/blue-green.ts";
import { rebuild } from "../src/rebuild.ts";
import { foldStatements, readStatements, statementsModel, type Statement } from "../src/statements.ts";
import { describe, expect, Failpoints, failureOf, proves, task, test, tradeoff } from "#kit/testing";
import { givenLog, replayOf } from "./helpers.ts";

/** What a reader of the model's view gets: the table that served it, and the statements. */
async function query(pool: Pool): Promise<{ servedBy: string[]; statements: Statement[] }> {
  const { rows } = await pool.query<{ served_by: string }>("SELECT DISTINCT served_by FROM statements");
  return { servedBy: rows.map((row) => row.served_by), statements: await readStatements(pool, "statements") };
}

describe(task(4, "the blue/green switch"), () => {
  test(
    "GIVEN statements_v1 serves reads WHEN statements_v2 is rebuilt beside it, with a query at every chunk THEN every query gets the complete v1, and after the switch the complete v2 — never a half-built model",
    proves("new-read-model-without-downtime", "blue/green switch", "holds"),
    async ({ kafka, db }) => {
      const log = await givenLog(kafka, { count: 60 });
      await deployBlueGreen(replayOf({ kafka, db }, log, statementsModel, "statements_v1"));
      const complete = foldStatements(log.events);
      const duringRebuild: Array<{ applied: number; green: number; answer: Awaited<ReturnType<typeof query>> }> = [];
      let applied = 0;
      // At every committed chunk of the new table, a reader asks; the rebuild waits for the answer.
      const points = new Failpoints().on("after-chunk", async () => {
        duringRebuild.push({ applied, green: (await readStatements(db.pool, "statements_v2")).length, answer: await query(db.pool) });
      });

      await deployBlueGreen(replayOf({ kafka, db }, log, statementsModel, "statements_v2", { points, onProgress: (chunk) => (applied += chunk.applied) }));

      // Chunks of 10: six of them, and the new table was incomplete at the first five.
      expect(duringRebuild.map((moment) => moment.applied)).toEqual([10, 20, 30, 40, 50, 60]);
      expect(duringRebuild[0]!.green).toBeLessThan(complete.length);
      for (const moment of duringRebuild) expect(moment.answer).toEqual({ servedBy: ["statements_v1"], statements: complete });
      expect(await query(db.pool)).toEqual({ servedBy: ["statements_v2"], statements: complete });
      expect(await liveTable(db.pool, statementsModel)).toBe("statements_v2");
    },
  );

  test("GIVEN statements_v2 has read only part of the log WHEN reads are switched to it THEN NotCaughtUp names the partition behind, and reads stay on statements_v1", async ({ kafka, db }) => {
    const log = await givenLog(kafka, { count: 20, partitions: 2 });
    await deployBlueGreen(replayOf({ kafka, db }, log, statementsModel, "statements_v1"));
    await rebuild(replayOf({ kafka, db }, log, statementsModel, "statements_v2"));
    const more = await log.append({ count: 6, accounts: 1 });
    const options = replayOf({ kafka, db }, log, statementsModel, "statements_v2");

    const refused = await failureOf(() => switchReads(options), NotCaughtUp);

    expect(refused.table).toBe("statements_v2");
    expect(refused.behind).toHaveLength(1);
    expect(refused.behind[0]!.end - refused.behind[0]!.position).toBe(more.length);
    expect(await liveTable(db.pool, statementsModel)).toBe("statements_v1");
    expect((await query(db.pool)).servedBy).toEqual(["statements_v1"]);
  });

  test("GIVEN statements_v2 was built from a longer log than the topic holds now WHEN reads are switched to it THEN BeyondTheLog names the partition past the end, and reads stay on statements_v1", async ({ kafka, db }) => {
    // The topic seeded again with --fresh: a shorter log, and a table whose positions lie past its end.
    const longer = await givenLog(kafka, { count: 30, name: "events-before" });
    const shorter = await givenLog(kafka, { count: 12, name: "events-now" });
    await deployBlueGreen(replayOf({ kafka, db }, shorter, statementsModel, "statements_v1"));
    await rebuild(replayOf({ kafka, db }, longer, statementsModel, "statements_v2"));

    const refused = await failureOf(() => switchReads(replayOf({ kafka, db }, shorter, statementsModel, "statements_v2")), BeyondTheLog);

    expect(refused.table).toBe("statements_v2");
    expect(refused.beyond).toEqual([{ partition: 0, position: 30, end: 12 }]);
    expect(await query(db.pool)).toEqual({ servedBy: ["statements_v1"], statements: foldStatements(shorter.events) });
  });

  test("GIVEN the view serves a version with other columns WHEN reads are switched to statements_v2 THEN the view has statements_v2's columns: a new version may drop, rename or retype columns", async ({ kafka, db }) => {
    const log = await givenLog(kafka, { count: 20 });
    // Version 1 of the model was balances-shaped: columns that statements_v2 no longer has.
    await deployBlueGreen(replayOf({ kafka, db }, log, { ...balancesModel, name: statementsModel.name }, "statements_v1"));
    const { rows: before } = await db.pool.query<{ balance: string }>("SELECT balance FROM statements");
    expect(before.length).toBeGreaterThan(0);

    await deployBlueGreen(replayOf({ kafka, db }, log, statementsModel, "statements_v2"));

    expect(await query(db.pool)).toEqual({ servedBy: ["statements_v2"], statements: foldStatements(log.events) });
    expect(await liveTable(db.pool, statementsModel)).toBe("statements_v2");
  });
});

describe(tradeoff("a rebuild in place shows readers a half-built model"), () => {
  test(
    "GIVEN the balances table is complete WHEN it is rebuilt in place, with a query at every chunk THEN readers see a half-built table: each answer holds only the events replayed so far",
    proves("new-read-model-without-downtime", "rebuild in place", "broken"),
    async ({ kafka, db, annotate }) => {
      const log = await givenLog(kafka, { count: 60 });
      await rebuild(replayOf({ kafka, db }, log, balancesModel, "balances"));
      const complete = foldBalances(log.events);
      expect(await readBalances(db.pool, "balances")).toEqual(complete);
      const answers: Array<{ applied: number; balances: Record<string, number> }> = [];
      let applied = 0;
      const points = new Failpoints().on("after-chunk", async () => void answers.push({ applied, balances: await readBalances(db.pool, "balances") }));

      await rebuildInPlace(replayOf({ kafka, db }, log, balancesModel, "balances", { points, onProgress: (chunk) => (applied += chunk.applied) }));

      const halfBuilt = answers.filter((answer) => JSON.stringify(answer.balances) !== JSON.stringify(complete)).length;
      await annotate(`rebuild in place of ${log.events.length} events: ${halfBuilt} of ${answers.length} reads during it saw a half-built table`);
      expect(answers.map((answer) => answer.applied)).toEqual([10, 20, 30, 40, 50, 60]);
      // Each answer is exactly the model of the first events, not the live one.
      for (const answer of answers) expect(answer.balances).toEqual(foldBalances(log.events.slice(0, answer.applied)));
      expect(answers.filter((answer) => JSON.stringify(answer.balances) !== JSON.stringify(complete))).toHaveLength(5);
      expect(await readBalances(db.pool, "balances")).toEqual(complete);
    },
  );
});
