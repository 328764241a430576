/**
 * npm run bench                    every step's benchmarks, full size, against the solutions, then the scoreboard
 * npm run bench -- --quick         only the scoreboard, at a live session's size (under a minute)
 * npm run bench -- --scoreboard    only the scoreboard, full size
 * npm run bench 02                 one step's benchmarks (no scoreboard)
 * npm run bench 02 -- --exercises  … against your own work in exercises/
 * npm run bench kit                the attendee's loop itself: each step, a watch re-run, progress, npm test
 *                                  (`-- --quick`: one run of each, without npm test; `-- --runs=5`)
 *
 * Each benchmark prints a table; the figures are also kept in kit/.state/bench/. The
 * scoreboard (kit/scoreboard/) runs one seeded wallet workload on every architecture with the
 * ceilings, keeps the run in kit/.state/scoreboard/ with the machine's description, and is
 * printed last, compared with the previous run of the same size; the hub draws it at /scoreboard.
 */
import path from "node:path";
import { benchConfig, benchFolders, benchHeadline, scoreboardBench } from "../harness/benches.ts";
import { runVitest } from "../harness/run-vitest.ts";
import { findStep, listSteps } from "../harness/steps.ts";
import { benchLoop } from "../harness/loop-bench.ts";
import { formatScoreboard } from "../scoreboard/format.ts";
import { latestScoreboard, previousRun, readRunFile, unreadableSentence } from "../scoreboard/record.ts";
import { adapterPaths } from "../scoreboard/adapters.ts";
import { ensureServices } from "../services/index.ts";
import { main, parseArguments, parseCount, UsageError } from "./cli.ts";

await main(async () => {
  const { positional, flags } = parseArguments(process.argv.slice(2), ["exercises", "quick", "scoreboard", "runs="]);
  if (positional[0] === "kit") {
    const runsFlag = [...flags].find((flag) => flag.startsWith("runs="));
    const runs = runsFlag ? parseCount(runsFlag.slice(5), { what: "--runs", max: 20, over: "three to five runs give a steady median" }) : flags.has("quick") ? 1 : 3;
    await ensureServices({ log: (line) => console.error(line) });
    console.log(`The attendee's loop, timed as typed (npm run step NN -- --solution, …), median of ${runs}:`);
    return benchLoop({ steps: listSteps(), runs, withNpmTest: !flags.has("quick"), log: (line) => console.log(line) });
  }
  const quick = flags.has("quick");
  const scoreboardOnly = quick || flags.has("scoreboard");
  if (scoreboardOnly && positional[0]) throw new UsageError(`--${quick ? "quick" : "scoreboard"} runs the scoreboard only, over every step: leave out the step (npm run bench -- --${quick ? "quick" : "scoreboard"})`);
  const stepIds = positional[0] ? [findStep(positional[0]).id] : listSteps().map((step) => step.id);
  const withScoreboard = !positional[0] && adapterPaths(stepIds).length > 0;
  const folders = scoreboardOnly ? [] : benchFolders(stepIds);
  const paths = [...folders, ...(withScoreboard ? [scoreboardBench] : [])];
  if (paths.length === 0) {
    console.log(`No benchmarks in ${positional[0] ? `step ${stepIds[0]}` : "any step"} yet.`);
    return 0;
  }
  const target = flags.has("exercises") ? "exercises" : "solutions";
  const names = folders.map((folder) => folder.split(path.sep)[1] ?? folder);
  // The first line says whose code the figures are of, before anything else is printed.
  console.log(
    scoreboardOnly
      ? `The scoreboard at ${quick ? "a live session's" : "full"} size, measuring ${target === "solutions" ? "the solution's code (your own with -- --exercises)" : "your code in exercises/"}.`
      : `${benchHeadline(names, target)}${withScoreboard ? " Then the scoreboard." : ""}`,
  );
  const { urls } = await ensureServices({ log: (line) => console.error(line) });
  const startedAt = new Date().toISOString();
  const { exitCode } = await runVitest({ target, paths, services: urls, configFile: benchConfig, env: { KIT_BENCH: quick ? "quick" : "full" } });
  if (withScoreboard) {
    const read = readRunFile(latestScoreboard);
    const run = read && "run" in read ? read.run : undefined;
    if (read && "unreadable" in read) {
      console.log(`\n${unreadableSentence({ which: "latest", file: path.relative(process.cwd(), read.file), unreadable: read.unreadable })}: nothing to show.`);
    } else if (run && run.at >= startedAt) {
      console.log(`\n${formatScoreboard(run, previousRun(run))}\n\n  kept in kit/.state/scoreboard/ · drawn by npm start at /scoreboard`);
    } else console.log("\nThe scoreboard did not run to the end (see above): nothing new to show.");
  }
  return exitCode;
});
