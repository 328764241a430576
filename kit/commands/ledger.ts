/**
 * npm run ledger             the guarantee table, each cell with the test that proves it
 * npm run ledger -- --json   the same for machines (and the hub)
 *
 * The proofs come from the last run of the solutions (`npm test` keeps it) when no test,
 * solution or ledger file changed since; otherwise the solutions run again first.
 */
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { cells, guarantees, ledgerSteps } from "../ledger/guarantees.ts";
import { proveCells } from "../ledger/check.ts";
import { ledgerAsJson, ledgerAsText } from "../ledger/format.ts";
import { exercisesDir, kitDir, latestSolutionResults as latest, solutionsDir } from "../harness/paths.ts";
import type { RunResults } from "../harness/results.ts";
import { readStateFile } from "../harness/state-file.ts";
import { z } from "zod";
import { runVitest } from "../harness/run-vitest.ts";
import { main, parseArguments } from "./cli.ts";

await main(async () => {
  const { flags } = parseArguments(process.argv.slice(2), ["json"]);
  let results = freshResults();
  if (!results) {
    if (!flags.has("json")) console.log("Running the solutions to prove each cell…");
    results = (await runVitest({ target: "solutions", quiet: true, resultsFile: latest })).results;
  }
  const proven = proveCells(cells, results);
  console.log(flags.has("json") ? JSON.stringify(ledgerAsJson(guarantees, ledgerSteps, proven), null, 2) : ledgerAsText(guarantees, ledgerSteps, proven));
  return 0;
});

function freshResults(): RunResults | undefined {
  if (!existsSync(latest)) return undefined;
  const madeAt = statSync(latest).mtimeMs;
  const sources = [exercisesDir, solutionsDir, path.join(kitDir, "ledger")];
  if (sources.some((dir) => newestChange(dir) > madeAt)) return undefined;
  // A broken file is set aside and the solutions run again, as if there were none.
  return readStateFile<RunResults | undefined>(latest, recordedRun, undefined);
}

/** Enough of a recorded run to prove cells from; what proveCells reads of each test. */
const recordedRun = z.looseObject({
  target: z.string(),
  finishedAt: z.string(),
  tests: z.array(z.looseObject({ step: z.string(), file: z.string(), name: z.string(), state: z.string(), ledger: z.array(z.looseObject({ guarantee: z.string(), design: z.string(), verdict: z.string() })) })),
}) as unknown as z.ZodType<RunResults>;

function newestChange(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) newest = Math.max(newest, statSync(path.join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}
