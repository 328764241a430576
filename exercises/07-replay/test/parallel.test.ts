/** Task 3: partitions rebuilt by parallel workers give exactly the serial rebuild's model. */
import { rebuildInParallel } from "../src/parallel.ts";
import { rebuild } from "../src/rebuild.ts";
import { prepareTable } from "../src/replay.ts";
import { foldStatements, readStatements, statementsModel } from "../src/statements.ts";
import { describe, eventually, expect, Failpoints, failureOf, InjectedFailure, Latch, task, test } from "#kit/testing";
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

  test("GIVEN 2 workers WHEN one fails at its first chunk while the other is still replaying THEN the rebuild fails only once the other has stopped too, with the first failure", async ({ kafka, db }) => {
    const log = await givenLog(kafka, { count: 60, partitions: 2 });
    const options = replayOf({ kafka, db }, log, statementsModel, "statements");
    await prepareTable(db.pool, statementsModel, options.table);
    const groups = [`${options.groupId}-0`, `${options.groupId}-1`];
    const otherMayGoOn = new Latch();
    let otherChunks = 0;
    // The first chunk committed fails its worker; the other worker waits at each of its chunks until let go.
    const points = new Failpoints().on("after-chunk", async () => {
      if (points.timesReached("after-chunk") === 1) throw new InjectedFailure("after-chunk");
      otherChunks++;
      await otherMayGoOn.wait();
    });
    let settled = false;
    const rebuilding = rebuildInParallel({ ...options, points }, 2).finally(() => (settled = true));
    rebuilding.catch(() => {});

    // The failed worker has left its group; the other is held at its first chunk.
    await Promise.race([
      rebuilding,
      eventually(
        async () => {
          expect(otherChunks).toBe(1);
          const { groups: described } = await kafka.admin.describeGroups(groups);
          expect(described.map((group) => group.members.length).sort()).toEqual([0, 1]);
        },
        { what: "one worker to have failed and left, the other to wait at its first chunk" },
      ),
    ]);
    await db.pool.query("SELECT 1");

    expect(settled).toBe(false);
    otherMayGoOn.open();
    const failure = await failureOf(() => rebuilding, InjectedFailure);
    expect(failure.point).toBe("after-chunk");
    const { groups: after } = await kafka.admin.describeGroups(groups);
    expect(after.map((group) => group.members.length)).toEqual([0, 0]);
  });
});
