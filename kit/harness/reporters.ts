/**
 * The reporters of both vitest configs (steps and the kit's own tests): KIT_RESULTS names a
 * JSON file for the kit's checks; KIT_QUIET leaves the terminal to the kit's own summary.
 */
const resultsReporter = "./kit/harness/results-reporter.ts";

export function kitReporters(): string[] {
  if (!process.env.KIT_RESULTS) return ["default"];
  return process.env.KIT_QUIET ? [resultsReporter] : ["default", resultsReporter];
}
