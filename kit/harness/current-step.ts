/**
 * The current step, as rustlings has one: the first step that the attendee's recorded runs do
 * not show solved (a step never run is not solved). `npm run step` and `npm run hint` with no
 * argument work on it, `npm run progress` marks it, and a step that turns green names the next.
 * Read from the results the kit already keeps (kit/.state/results/attendee): nothing is run.
 */
import { readRecordedRuns, stepStatus } from "../hub/status.ts";
import type { RunResults } from "./results.ts";
import { listSteps, type Step } from "./steps.ts";

function solvedSteps(steps: Step[], runs: RunResults[]): Set<string> {
  return new Set(steps.filter((step) => stepStatus(step, runs).state === "solved").map((step) => step.id));
}

/** The first step not yet solved; undefined when every step is. */
export function currentStep(steps = listSteps(), runs = readRecordedRuns()): Step | undefined {
  const solved = solvedSteps(steps, runs);
  return steps.find((step) => !solved.has(step.id));
}

/** Where to go once `step` is solved: the first unsolved step after it, else the first before it. */
export function nextStepAfter(step: Pick<Step, "id">, steps = listSteps(), runs = readRecordedRuns()): Step | undefined {
  const solved = solvedSteps(steps, runs);
  const open = steps.filter((candidate) => candidate.id !== step.id && !solved.has(candidate.id));
  return open.find((candidate) => candidate.id > step.id) ?? open[0];
}
