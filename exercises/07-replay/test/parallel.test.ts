/** Task 3: partitions rebuilt by parallel workers give exactly the serial rebuild's model. */
import { rebuildInParallel } from "../src/parallel.ts";
import { rebuild } from "../src/rebuild.ts";
import { prepareTable } from "../src/replay.ts";
import { foldStatements, readStatements, statementsModel } from "../src/statements.ts";
import { describe, expect, task, test } from "#kit/testing";
import { givenLog, replayOf } from "./helpers.ts";

describe(task(3, "rebuild partitions in parallel"), () => {
  test(
    "GIVEN 160 events on 4 partitions WHEN rebuilt by 2 workers in parallel THEN each worker reads only its own 2 partitions, and the statements are those of the serial rebuild",
    async ({ kafka, db }) => {
      const log = await givenLog(kafka, { count: 160, partitions: 4, accounts: 12 });
      const serial = await rebuild(replayOf({ kafka, db }, log, statementsModel, "statements_serial"));
      const options = replayOf({ kafka, db }, log, statementsModel, "statements_parallel");
      await prepareTable(db.pool, statementsModel, options.table);

      const parallel = await rebuildInParallel(options, 2);

      expect(serial.read).toBe(160);
      expect(parallel.subsets).toEqual([[0, 2], [1, 3]]);
      expect(parallel.workers.map((worker) => Object.keys(worker.readByPartition).map(Number).sort())).toEqual([[0, 2], [1, 3]]);
      expect(parallel.workers.reduce((sum, worker) => sum + worker.read, 0)).toBe(160);
      const expected = foldStatements(log.events);
      expect(await readStatements(db.pool, "statements_serial")).toEqual(expected);
      expect(await readStatements(db.pool, "statements_parallel")).toEqual(expected);
    },
  );

  test("GIVEN 2 partitions and 5 workers wanted WHEN rebuilt in parallel THEN only 2 workers run, one per partition", async ({ kafka, db }) => {
    const log = await givenLog(kafka, { count: 30, partitions: 2 });
    const options = replayOf({ kafka, db }, log, statementsModel, "statements");
    await prepareTable(db.pool, statementsModel, options.table);

    const parallel = await rebuildInParallel(options, 5);

    expect(parallel.subsets).toEqual([[0], [1]]);
    expect(parallel.workers.map((worker) => worker.read).reduce((a, b) => a + b)).toBe(30);
    expect(await readStatements(db.pool, "statements")).toEqual(foldStatements(log.events));
  });
});
