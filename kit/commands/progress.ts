/**
 * npm run progress             every step: solved or not, which tasks are still open, and the current step
 * npm run progress -- --json   the same for machines (and the hub)
 * npm run progress -- --rerun  run every step's tests again instead of trusting the recorded runs
 *
 * Answers from the runs the kit recorded (npm run step, earlier progress runs): only the steps
 * whose code or tests changed since, or that never ran, are run again — with a line per test
 * file, so a long first run is not silence.
 */
import { writeFileSync, mkdirSync } from "node:fs";
import path from "node:path";
import { attendeeResultsDir } from "../harness/paths.ts";
import { type StepProgress } from "../harness/progress.ts";
import type { RunResults } from "../harness/results.ts";
import { runVitest } from "../harness/run-vitest.ts";
import { listSteps } from "../harness/steps.ts";
import { readRecordedRuns, stepStatus } from "../hub/status.ts";
import { bold, dim, green, main, parseArguments } from "./cli.ts";
import { ensureServices } from "../services/index.ts";

await main(async () => {
  const { flags } = parseArguments(process.argv.slice(2), ["json", "rerun"]);
  const json = flags.has("json");
  const steps = listSteps();
  const fresh = (runs: RunResults[]) => new Set(steps.filter((step) => {
    const status = stepStatus(step, runs);
    return status.state !== "unknown" && !status.stale && status.notRun.length === 0;
  }).map((step) => step.id));
  const recorded = flags.has("rerun") ? new Set<string>() : fresh(readRecordedRuns());
  const toRun = steps.filter((step) => !recorded.has(step.id));

  if (toRun.length > 0) {
    if (!json) console.log(`Running the tests of ${toRun.map((step) => step.number).join(", ")} against your work (${recorded.size > 0 ? "changed since their last run, or never run" : "no recorded run to answer from"}); the others answer from their last run…`);
    // Found (or started) here rather than in vitest's global setup alone, so that a missing
    // service is told in plain words, not under a stack trace.
    const { urls } = await ensureServices({ log: (line) => console.error(line) });
    const { results } = await runVitest({ target: "exercises", quiet: json, services: urls, paths: toRun.map((step) => `exercises/${step.id}/`), ...(json ? {} : { env: { KIT_STEP_SUMMARY: "lines" } }) });
    if (!results) throw new Error("the step tests did not run (see the errors above)");
    // Kept per step, as npm run step keeps them: the next progress (and the hub) answers from them.
    mkdirSync(attendeeResultsDir, { recursive: true });
    for (const step of toRun) {
      const own: RunResults = { ...results, tests: results.tests.filter((test) => test.step === step.id), moduleErrors: results.moduleErrors.filter((module) => module.file.includes(`exercises/${step.id}/`)) };
      writeFileSync(path.join(attendeeResultsDir, `step-${step.id}.json`), JSON.stringify(own, null, 2));
    }
  }

  const runs = readRecordedRuns();
  const progress: StepProgress[] = steps.flatMap((step) => {
    const status = stepStatus(step, runs);
    return status.state === "unknown" ? [{ step: step.id, title: step.title, solved: false, tasks: [], otherFailures: [status.reason] }] : [status.progress];
  });
  const current = progress.find((step) => !step.solved);
  if (json) {
    console.log(JSON.stringify(progress.map((step) => ({ ...step, current: step === current })), null, 2));
    return 0;
  }
  console.log("");
  for (const step of progress) {
    const mark = step === current ? bold("→") : step.solved ? green("✓") : "○";
    console.log(`${mark} ${bold(step.step)}  ${step.title}${step.solved ? green("  solved") : ""}${step === current ? bold("   ← the current step") : ""}`);
    if (step.solved) continue;
    for (const task of step.tasks) console.log(`    ${task.done ? green("✓") : "○"} Task ${task.number} — ${task.title}${task.done ? "" : dim(`   ${task.hint ?? ""}`)}`);
    for (const failure of step.otherFailures) console.log(`    ✗ ${failure}`);
  }
  const solved = progress.filter((step) => step.solved).length;
  const number = current?.step.slice(0, 2);
  console.log(`\n${solved} of ${progress.length} steps solved.${current ? ` Current: ${current.step} — npm run step (or npm run step ${number})  ·  stuck? npm run hint` : " All done!"}`);
  if (recorded.size > 0 && toRun.length === 0) console.log(dim("Answered from your last runs (npm run step records them); -- --rerun runs every step again."));
  return 0;
});
