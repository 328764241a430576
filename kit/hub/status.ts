/**
 * Each step's status for the hub, from the runs the kit already recorded (`npm run step`,
 * `npm run progress`, or the hub's own "run the tests" button): the hub itself runs nothing
 * and needs no services to show it. It says plainly when the status is unknown or stale.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { attendeeResultsDir, rootDir } from "../harness/paths.ts";
import { summarizeProgress, type StepProgress } from "../harness/progress.ts";
import { stepOfFile, type RunResults, type TestRecord } from "../harness/results.ts";
import type { Step } from "../harness/steps.ts";

export type StepStatus =
  | { state: "unknown"; reason: string }
  | {
      state: "solved" | "open";
      progress: StepProgress;
      /** When the oldest of the runs used here finished. */
      ranAt: string;
      /** Files of the step changed after that run: the status may be out of date. */
      stale: boolean;
      /** Test files of the step that no recorded run covers. */
      notRun: string[];
      /** The tests of those runs, as recorded: the trade-off panel reads their figures. */
      tests: TestRecord[];
    };

/** Every recorded run of the attendee's work (never of the solutions). */
export function readRecordedRuns(dir = attendeeResultsDir): RunResults[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => name.endsWith(".json"))
    .flatMap((name) => {
      try {
        const results = JSON.parse(readFileSync(path.join(dir, name), "utf8")) as RunResults;
        return results.target === "exercises" && Array.isArray(results.tests) ? [results] : [];
      } catch {
        return []; // a run still being written: the next change event reads it whole
      }
    });
}

export function stepTestFiles(step: Step): string[] {
  const dir = path.join(step.exerciseDir, "test");
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(".test.ts"))
    .map((entry) => path.relative(rootDir, path.join(entry.parentPath, entry.name)).replaceAll("\\", "/"))
    .sort();
}

/** The newest change to the step's own files (code and tests), in ms since the epoch. */
export function newestChange(step: Step): number {
  let newest = 0;
  for (const dir of [path.join(step.exerciseDir, "src"), path.join(step.exerciseDir, "test")]) {
    if (!existsSync(dir)) continue;
    for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
      if (entry.isFile()) newest = Math.max(newest, statSync(path.join(entry.parentPath, entry.name)).mtimeMs);
    }
  }
  return newest;
}

/**
 * For each of the step's test files, the newest run that covered it (a watch-mode re-run
 * covers only the files it re-ran); then the kit's own progress summary over those tests.
 */
export function stepStatus(step: Step, runs: RunResults[], testFiles = stepTestFiles(step), changedAt = newestChange(step)): StepStatus {
  const newestFirst = [...runs].sort((a, b) => b.finishedAt.localeCompare(a.finishedAt));
  const tests: TestRecord[] = [];
  const moduleErrors: RunResults["moduleErrors"] = [];
  const used: string[] = [];
  const notRun: string[] = [];
  for (const file of testFiles) {
    const run = newestFirst.find((candidate) => candidate.tests.some((test) => test.file === file) || candidate.moduleErrors.some((module) => module.file === file));
    if (!run) {
      notRun.push(file);
      continue;
    }
    tests.push(...run.tests.filter((test) => test.file === file));
    moduleErrors.push(...run.moduleErrors.filter((module) => module.file === file));
    used.push(run.finishedAt);
  }
  if (used.length === 0) return { state: "unknown", reason: `not run yet: npm run step ${step.number} runs its tests and shows the status here` };
  const ranAt = used.sort()[0]!;
  const [progress] = summarizeProgress({ target: "exercises", finishedAt: ranAt, tests, moduleErrors: moduleErrors.filter((module) => stepOfFile(module.file) === step.id), unhandledErrors: [] }, [step]);
  const solved = progress!.solved && notRun.length === 0;
  return { state: solved ? "solved" : "open", progress: progress!, ranAt, stale: changedAt > Date.parse(ranAt), notRun, tests };
}
