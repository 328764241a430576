/**
 * A vitest reporter that writes every test's outcome, kind and ledger claims to the JSON
 * file named by KIT_RESULTS, for the kit's commands to check and summarise.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Reporter, SerializedError, TestCase, TestModule } from "vitest/node";
import { rootDir } from "./paths.ts";
import { classify, stepOfFile, type RunResults, type TestRecord } from "./results.ts";
import { targetFromEnv } from "./target-plugin.ts";
import { summarizeProgress } from "./progress.ts";
import { listSteps } from "./steps.ts";
import { tradeoffPanel } from "./panel.ts";
import { readPredictions } from "./predictions.ts";

export default class ResultsReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<SerializedError>): void {
    const output = process.env.KIT_RESULTS;
    const results: RunResults = {
      target: targetFromEnv(),
      finishedAt: new Date().toISOString(),
      tests: testModules.flatMap((module) => [...module.children.allTests()].map(toRecord)),
      moduleErrors: testModules
        .filter((module) => module.errors().length > 0)
        .map((module) => ({ file: relative(module.moduleId), errors: module.errors().map(brief) })),
      unhandledErrors: unhandledErrors.map(brief),
    };
    if (output) {
      mkdirSync(path.dirname(output), { recursive: true });
      writeFileSync(output, JSON.stringify(results, null, 2));
    }
    if (process.env.KIT_STEP_SUMMARY) {
      printStepSummary(results);
      console.log(tradeoffPanel(results, readPredictions()));
    }
  }
}

function toRecord(test: TestCase): TestRecord {
  const suites: string[] = [];
  for (let parent = test.parent; parent.type === "suite"; parent = parent.parent) suites.unshift(parent.name);
  const result = test.result();
  const file = relative(test.module.moduleId);
  return {
    step: stepOfFile(file),
    file,
    name: [...suites, test.name].join(" > "),
    ...classify(suites),
    state: result.state,
    errors: result.state === "failed" ? result.errors.map(brief) : [],
    ledger: test.meta().ledger ?? [],
    durationMs: Math.round(test.diagnostic()?.duration ?? 0),
    figures: test.annotations().map((annotation) => annotation.message),
  };
}

function brief(error: SerializedError): { name: string; message: string } {
  return { name: String(error.name ?? "Error"), message: String(error.message ?? "") };
}

function relative(file: string): string {
  return path.relative(rootDir, file).replaceAll("\\", "/");
}

/** After `npm run step NN`: which tasks are done and what is still open, in plain words. */
function printStepSummary(results: RunResults): void {
  const ran = new Set(results.tests.map((test) => test.step));
  for (const step of summarizeProgress(results, listSteps().filter((candidate) => ran.has(candidate.id)))) {
    const lines = [`\n${step.step}: ${step.solved ? "solved ✓" : "not solved yet"}`];
    for (const task of step.tasks) lines.push(`  ${task.done ? "✓" : "○"} Task ${task.number} — ${task.title}${task.done ? "" : `   (${task.hint})`}`);
    for (const failure of step.otherFailures) lines.push(`  ✗ ${failure}`);
    if (!step.solved) lines.push(`  stuck? npm run hint ${step.step.slice(0, 2)}`);
    console.log(lines.join("\n"));
  }
}
