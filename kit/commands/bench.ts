/**
 * npm run bench                    every step's benchmarks, full size, against the solutions
 * npm run bench 02                 one step's
 * npm run bench 02 -- --exercises  … against your own work in exercises/
 *
 * Each benchmark prints a table; the figures are also kept in kit/.state/bench/.
 */
import path from "node:path";
import { benchConfig, benchFolders, benchHeadline } from "../harness/benches.ts";
import { runVitest } from "../harness/run-vitest.ts";
import { findStep, listSteps } from "../harness/steps.ts";
import { ensureServices } from "../services/index.ts";
import { main, parseArguments } from "./cli.ts";

await main(async () => {
  const { positional, flags } = parseArguments(process.argv.slice(2), ["exercises"]);
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
