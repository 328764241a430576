/**
 * npm run bench                    every step's benchmarks, full size, against the solutions
 * npm run bench 02                 one step's
 * npm run bench 02 -- --exercises  … against your own work in exercises/
 * npm run bench kit                the attendee's loop itself: each step, a watch re-run, progress, npm test
 *                                  (`-- --quick`: one run of each, without npm test; `-- --runs=5`)
 *
 * Each benchmark prints a table; the figures are also kept in kit/.state/bench/.
 */
import path from "node:path";
import { benchConfig, benchFolders, benchHeadline } from "../harness/benches.ts";
import { runVitest } from "../harness/run-vitest.ts";
import { findStep, listSteps } from "../harness/steps.ts";
import { benchLoop } from "../harness/loop-bench.ts";
import { ensureServices } from "../services/index.ts";
import { main, parseArguments, parseCount } from "./cli.ts";

await main(async () => {
  const { positional, flags } = parseArguments(process.argv.slice(2), ["exercises", "quick", "runs="]);
  if (positional[0] === "kit") {
    const runsFlag = [...flags].find((flag) => flag.startsWith("runs="));
    const runs = runsFlag ? parseCount(runsFlag.slice(5), { what: "--runs", max: 20, over: "three to five runs give a steady median" }) : flags.has("quick") ? 1 : 3;
    await ensureServices({ log: (line) => console.error(line) });
    console.log(`The attendee's loop, timed as typed (npm run step NN -- --solution, …), median of ${runs}:`);
    return benchLoop({ steps: listSteps(), runs, withNpmTest: !flags.has("quick"), log: (line) => console.log(line) });
  }
  const stepIds = positional[0] ? [findStep(positional[0]).id] : listSteps().map((step) => step.id);
  const folders = benchFolders(stepIds);
  if (folders.length === 0) {
    console.log(`No benchmarks in ${positional[0] ? `step ${stepIds[0]}` : "any step"} yet.`);
    return 0;
  }
  const target = flags.has("exercises") ? "exercises" : "solutions";
  const names = folders.map((folder) => folder.split(path.sep)[1] ?? folder);
  // The first line says whose code the figures are of, before anything else is printed.
  console.log(benchHeadline(names, target));
  const { urls } = await ensureServices({ log: (line) => console.error(line) });
  const { exitCode } = await runVitest({ target, paths: folders, services: urls, configFile: benchConfig, env: { KIT_BENCH: "full" } });
  return exitCode;
});
