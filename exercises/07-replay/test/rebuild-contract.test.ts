/**
 * `npm run rebuild` runs this step's code through the kit's own interface
 * (#kit/rebuild-contract), loading the modules by path. This check (it passes from the start)
 * keeps the two in step: the type-check fails if a signature drifts, and the test if a name does.
 */
import * as blueGreen from "../src/blue-green.ts";
import type { ReadModel } from "../src/replay.ts";
import * as snapshots from "../src/snapshots.ts";
import * as statements from "../src/statements.ts";
import { rebuildFunctionNames, rebuildModuleFiles, rebuildStep, type RebuildModules } from "#kit/rebuild-contract";
import { describe, expect, test } from "#kit/testing";

describe("what npm run rebuild needs from this step", () => {
  test("GIVEN the step's blue-green, statements and snapshots modules WHEN read as the rebuild command reads them THEN they offer every function and the model it calls", () => {
    const modules: RebuildModules<ReadModel> = { ...blueGreen, ...statements, ...snapshots };
    const exported: Record<string, unknown> = { ...blueGreen, ...statements, ...snapshots };

    expect(rebuildStep).toBe("07-replay");
    expect([...rebuildModuleFiles]).toEqual(["blue-green.ts", "statements.ts", "snapshots.ts"]);
    expect(rebuildFunctionNames.filter((name) => typeof exported[name] !== "function")).toEqual([]);
    expect(modules.statementsModel.name).toBe("statements");
  });
});
