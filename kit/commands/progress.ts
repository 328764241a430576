/**
 * npm run progress             every step: solved or not, and which tasks are still open
 * npm run progress -- --json   the same for machines (and the hub)
 */
import path from "node:path";
import { attendeeResultsDir } from "../harness/paths.ts";
import { summarizeProgress } from "../harness/progress.ts";
import { runVitest } from "../harness/run-vitest.ts";
import { listSteps } from "../harness/steps.ts";
import { bold, dim, green, main, parseArguments } from "./cli.ts";
import { ensureServices } from "../services/index.ts";

await main(async () => {
  const { flags } = parseArguments(process.argv.slice(2), ["json"]);
  const json = flags.has("json");
  if (!json) console.log("Running every step's tests against your work…");
  // Found (or started) here rather than in vitest's global setup alone, so that a missing
  // service is told in plain words, not under a stack trace.
  const { urls } = await ensureServices({ log: (line) => console.error(line) });
  // Kept, so the hub (npm start) can show each step's status without running anything.
  const { results } = await runVitest({ target: "exercises", quiet: true, services: urls, resultsFile: path.join(attendeeResultsDir, "progress.json") });
  if (!results) throw new Error("the step tests did not run (see the errors above)");
  const progress = summarizeProgress(results, listSteps());
  if (json) {
    console.log(JSON.stringify(progress, null, 2));
    return 0;
  }
  console.log("");
  for (const step of progress) {
    console.log(`${step.solved ? green("✓") : "○"} ${bold(step.step)}  ${step.title}${step.solved ? green("  solved") : ""}`);
    if (step.solved) continue;
    for (const task of step.tasks) console.log(`    ${task.done ? green("✓") : "○"} Task ${task.number} — ${task.title}${task.done ? "" : dim(`   ${task.hint ?? ""}`)}`);
    for (const failure of step.otherFailures) console.log(`    ✗ ${failure}`);
  }
  const solved = progress.filter((step) => step.solved).length;
  const next = progress.find((step) => !step.solved);
  console.log(`\n${solved} of ${progress.length} steps solved.${next ? ` Next: npm run step ${next.step.slice(0, 2)}  (stuck? npm run hint ${next.step.slice(0, 2)})` : " All done!"}`);
  return 0;
});
