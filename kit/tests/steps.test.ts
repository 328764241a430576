/**
 * Exercises and solutions must not drift apart: the same files, and a file the attendee
 * has nothing to do in is the same in both. README commands must exist.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { checkHints, readHints } from "../harness/hints.ts";
import { checkQuestions, parseQuestions, tradeoffTitles } from "../harness/predictions.ts";
import { rootDir } from "../harness/paths.ts";
import { listSteps } from "../harness/steps.ts";

const steps = listSteps();
const scripts = Object.keys((JSON.parse(readFileSync(path.join(rootDir, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)))
    .sort();
}

describe.each(steps.map((step) => [step.id, step] as const))("step %s", (_id, step) => {
  const exerciseSrc = path.join(step.exerciseDir, "src");
  const solutionSrc = path.join(step.solutionDir, "src");

  test("has a README, a src/, tests and a solution", () => {
    expect(existsSync(step.readme)).toBe(true);
    expect(existsSync(exerciseSrc)).toBe(true);
    expect(existsSync(path.join(step.exerciseDir, "test"))).toBe(true);
    expect(existsSync(solutionSrc)).toBe(true);
  });

  test("the solution mirrors src/ file for file", () => {
    expect(sourceFiles(solutionSrc)).toEqual(sourceFiles(exerciseSrc));
  });

  test("a file with no todo() is the same in the exercise and the solution", () => {
    for (const file of sourceFiles(exerciseSrc)) {
      const exercise = readFileSync(path.join(exerciseSrc, file), "utf8");
      if (exercise.includes("todo(")) continue;
      expect(readFileSync(path.join(solutionSrc, file), "utf8"), file).toBe(exercise);
    }
  });

  test("the solution has no todo() left", () => {
    for (const file of sourceFiles(solutionSrc)) {
      expect(readFileSync(path.join(solutionSrc, file), "utf8"), file).not.toMatch(/\btodo\(/);
    }
  });

  test("its hints are in hints.md, graded (no task's first hint shows code), and the README lists their titles only", () => {
    expect(checkHints(readFileSync(step.readme, "utf8"), readHints(step))).toEqual([]);
  });

  // Predict, then run: steps 01–06 ask a question for every trade-off; any step's question names a real one.
  test("its README's questions each name a trade-off of its tests (steps 01–06: one for every trade-off)", () => {
    const testDir = path.join(step.exerciseDir, "test");
    const sources = sourceFiles(testDir).filter((file) => file.endsWith(".test.ts")).map((file) => readFileSync(path.join(testDir, file), "utf8"));
    const required = Number(step.number) >= 1 && Number(step.number) <= 6;
    expect(checkQuestions(parseQuestions(readFileSync(step.readme, "utf8")), tradeoffTitles(sources), required)).toEqual([]);
  });

  test("its README is titled with its own number and names only commands that exist", () => {
    const readme = readFileSync(step.readme, "utf8");
    expect(readme).toMatch(new RegExp(`^# Step ${step.number}\\b`, "m"));
    expect(readme).toMatch(/^## What this step costs/m);
    for (const [, script] of readme.matchAll(/npm run ([a-z:]+)/g)) expect(scripts, `npm run ${script}`).toContain(script);
  });
});

test("the root README names only commands that exist", () => {
  const readme = readFileSync(path.join(rootDir, "README.md"), "utf8");
  const named = [...readme.matchAll(/npm run ([a-z:]+)/g)].map((match) => match[1]!);
  expect(named.length).toBeGreaterThan(5);
  for (const script of named) expect(scripts, `npm run ${script}`).toContain(script);
});
