/**
 * The kit's promise about its own steps, checked by `npm test`:
 * every solution passes; every exercise fails only on its open tasks, through todo().
 * Pure functions over a run's results, so the rules themselves are unit-tested.
 */
import { readFileSync } from "node:fs";
import { stepOfFile, type RunResults, type TestRecord } from "./results.ts";
import type { Step } from "./steps.ts";
import { tradeoffsWithoutFigures } from "./panel.ts";

export interface Problem {
  step: string;
  message: string;
}

export function checkSolutionRun(results: RunResults, steps: Step[]): Problem[] {
  const problems: Problem[] = [...loadProblems(results, "solution")];
  for (const step of steps) {
    const tests = results.tests.filter((test) => test.step === step.id);
    if (tests.length === 0) problems.push({ step: step.id, message: "has no tests" });
    for (const test of tests) {
      if (test.state !== "passed") {
        problems.push({ step: step.id, message: `solution ${test.state === "failed" ? "fails" : "skips"} "${test.name}" (${test.file})${firstError(test)}` });
      }
    }
    // The trade-off panel prints what each trade-off test recorded: one that records nothing shows no lesson.
    for (const test of tradeoffsWithoutFigures(tests)) {
      problems.push({ step: step.id, message: `trade-off test "${test.name}" (${test.file}) records no figures: add \`await annotate(\`…\${count}…\`)\` with the numbers it just saw, for the trade-off panel` });
    }
  }
  return problems;
}

export function checkExerciseRun(results: RunResults, steps: Step[]): Problem[] {
  const problems: Problem[] = [...loadProblems(results, "exercise")];
  for (const step of steps) {
    const tests = results.tests.filter((test) => test.step === step.id);
    const failed = tests.filter((test) => test.state === "failed");
    for (const test of failed) {
      if (test.kind !== "task") {
        problems.push({ step: step.id, message: `the exercise fails ${test.kind === "tradeoff" ? "trade-off" : "check"} test "${test.name}": only task tests may fail before the attendee's work${firstError(test)}` });
      } else if (!test.errors.every((error) => error.name === "TodoError")) {
        problems.push({ step: step.id, message: `the exercise fails "${test.name}" through something other than todo()${firstError(test, (error) => error.name !== "TodoError")}` });
      }
    }
    if (tests.length > 0 && !failed.some((test) => test.kind === "task")) {
      problems.push({ step: step.id, message: "the exercise has no open task: no task test fails before the attendee's work" });
    }
    for (const test of tests.filter((test) => test.state === "skipped" || test.state === "pending")) {
      problems.push({ step: step.id, message: `the exercise skips "${test.name}"` });
    }
  }
  return problems;
}

/** The README's "### Task N — title" headings must be the tasks the tests check, word for word. */
export function checkReadmeTasks(step: Step, tests: TestRecord[], readme = safeRead(step.readme)): Problem[] {
  const fromReadme = new Map([...readme.matchAll(/^###\s+Task (\d+) — (.+?)\s*$/gm)].map((match) => [Number(match[1]), match[2]!]));
  const fromTests = new Map(tests.filter((test) => test.step === step.id && test.task).map((test) => [test.task!.number, test.task!.title]));
  const problems: Problem[] = [];
  for (const [number, title] of fromTests) {
    if (!fromReadme.has(number)) problems.push({ step: step.id, message: `README.md has no "### Task ${number} — ${title}" heading` });
    else if (fromReadme.get(number) !== title) problems.push({ step: step.id, message: `README.md calls task ${number} "${fromReadme.get(number)}", the tests "${title}"` });
  }
  for (const [number, title] of fromReadme) {
    if (!fromTests.has(number)) problems.push({ step: step.id, message: `README.md lists task ${number} ("${title}") but no test checks it` });
  }
  return problems;
}

function loadProblems(results: RunResults, what: string): Problem[] {
  return [
    ...results.moduleErrors.map((module) => ({ step: stepOfFile(module.file), message: `${module.file} does not load against the ${what}: ${module.errors.map((error) => `${error.name}: ${error.message}`).join("; ")}` })),
    ...results.unhandledErrors.map((error) => ({ step: "", message: `unhandled error during the ${what} run: ${error.name}: ${error.message}` })),
  ];
}

function firstError(test: TestRecord, which: (error: TestRecord["errors"][number]) => boolean = () => true): string {
  const error = test.errors.find(which);
  return error ? `: ${error.name}: ${error.message.split("\n")[0]}` : "";
}

function safeRead(file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return "";
  }
}
