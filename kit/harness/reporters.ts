/**
 * The reporters of both vitest configs (steps and the kit's own tests): KIT_RESULTS names a
 * JSON file for the kit's checks; KIT_QUIET leaves the terminal to the kit's own summary.
 */
const resultsReporter = "./kit/harness/results-reporter.ts";
/** `npm run step`'s: a line per file and a summary per task; KIT_VERBOSE adds vitest's own report. */
const stepReporter = "./kit/harness/step-reporter.ts";

export function kitReporters(): string[] {
  if (!process.env.KIT_RESULTS) return ["default"];
  if (process.env.KIT_STEP_SUMMARY) return process.env.KIT_VERBOSE ? ["default", stepReporter] : [stepReporter];
  return process.env.KIT_QUIET ? [resultsReporter] : ["default", resultsReporter];
}
