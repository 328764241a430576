/**
 * npm run bench                    every step's benchmarks, full size, against the solutions, then the scoreboard
 * npm run bench -- --quick         only the scoreboard, at a live session's size (under a minute)
 * npm run bench -- --scoreboard    only the scoreboard, full size
 * npm run bench 02                 one step's benchmarks (no scoreboard)
 * npm run bench 02 -- --exercises  … against your own work in exercises/
 *
 * Each benchmark prints a table; the figures are also kept in kit/.state/bench/. The
 * scoreboard (kit/scoreboard/) runs one seeded wallet workload on every architecture with the
 * ceilings, keeps the run in kit/.state/scoreboard/ with the machine's description, and is
 * printed last, compared with the previous run of the same size; the hub draws it at /scoreboard.
 */
import path from "node:path";
import { benchConfig, benchFolders, scoreboardBench } from "../harness/benches.ts";
import { runVitest } from "../harness/run-vitest.ts";
import { findStep, listSteps } from "../harness/steps.ts";
import { formatScoreboard } from "../scoreboard/format.ts";
import { latestScoreboard, previousRun, readRunFile, unreadableSentence } from "../scoreboard/record.ts";
import { adapterPaths } from "../scoreboard/adapters.ts";
import { ensureServices } from "../services/index.ts";
import { main, parseArguments, UsageError } from "./cli.ts";

await main(async () => {
  const { positional, flags } = parseArguments(process.argv.slice(2), ["exercises", "quick", "scoreboard"]);
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
  const { urls } = await ensureServices({ log: (line) => console.error(line) });
  const target = flags.has("exercises") ? "exercises" : "solutions";
  const startedAt = new Date().toISOString();
  console.log(
    scoreboardOnly
      ? `The scoreboard at ${quick ? "a live session's" : "full"} size, against the ${target}.`
      : `Benchmarks of ${folders.map((folder) => folder.split(path.sep)[1]).join(", ")}${withScoreboard ? ", then the scoreboard" : ""}, against the ${target}, full size, one at a time.`,
  );
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
