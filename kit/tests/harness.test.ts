import path from "node:path";
import { describe, expect, test } from "vitest";
import { checkHints, parseHints } from "../harness/hints.ts";
import { checkExerciseRun, checkReadmeTasks, checkSolutionRun } from "../harness/integrity.ts";
import { summarizeProgress } from "../harness/progress.ts";
import { classify, stepOfFile, type RunResults, type TestRecord } from "../harness/results.ts";
import { findStep, listSteps, UnknownStep, type Step } from "../harness/steps.ts";
import { mirroredFileFor } from "../harness/target-plugin.ts";

const step: Step = { id: "01-crud", number: "01", title: "CRUD", exerciseDir: "", solutionDir: "", readme: "" };

function record(overrides: Partial<TestRecord>): TestRecord {
  return { step: "01-crud", file: "exercises/01-crud/test/wallet.test.ts", name: "a test", kind: "check", state: "passed", errors: [], ledger: [], durationMs: 1, ...overrides };
}

function run(tests: TestRecord[], extra: Partial<RunResults> = {}): RunResults {
  return { target: "exercises", finishedAt: "", tests, moduleErrors: [], unhandledErrors: [], ...extra };
}

const todoFailure = { name: "TodoError", message: "TODO: deposit" };
const openTask = record({ kind: "task", task: { number: 1, title: "deposit" }, state: "failed", errors: [todoFailure] });

describe("test kinds come from the suite names", () => {
  test("Task N — title, Trade-off — …, anything else is a check", () => {
    expect(classify(["Task 3 — deposit without losing updates"])).toEqual({ kind: "task", task: { number: 3, title: "deposit without losing updates" } });
    expect(classify(["Trade-off — naive writes lose updates", "inner"])).toEqual({ kind: "tradeoff" });
    expect(classify(["Services"])).toEqual({ kind: "check" });
  });

  test("the step is the exercise folder", () => {
    expect(stepOfFile("exercises/01-crud/test/wallet.test.ts")).toBe("01-crud");
    expect(stepOfFile("kit/tests/harness.test.ts")).toBe("");
  });
});

describe("exercise integrity: an exercise fails only on its open tasks, through todo()", () => {
  test("a pristine exercise with an open task and passing trade-offs is sound", () => {
    expect(checkExerciseRun(run([openTask, record({ kind: "tradeoff" })]), [step])).toEqual([]);
  });

  test("a task failing through anything but todo() is a problem", () => {
    const problems = checkExerciseRun(run([record({ ...openTask, errors: [{ name: "AssertionError", message: "expected 150" }] })]), [step]);
    expect(problems.map((problem) => problem.message)).toEqual([expect.stringContaining("through something other than todo(): AssertionError: expected 150")]);
  });

  test("a failing trade-off test is a problem: it must pass from the start", () => {
    const problems = checkExerciseRun(run([openTask, record({ kind: "tradeoff", state: "failed", errors: [todoFailure] })]), [step]);
    expect(problems.map((problem) => problem.message)).toEqual([expect.stringContaining("fails trade-off test")]);
  });

  test("an exercise with no open task is a problem", () => {
    const problems = checkExerciseRun(run([record({ kind: "task", task: { number: 1, title: "deposit" } })]), [step]);
    expect(problems.map((problem) => problem.message)).toEqual([expect.stringContaining("no open task")]);
  });

  test("a test file that does not load is a problem", () => {
    const problems = checkExerciseRun(run([openTask], { moduleErrors: [{ file: "exercises/01-crud/test/x.test.ts", errors: [{ name: "SyntaxError", message: "oops" }] }] }), [step]);
    expect(problems).toEqual([{ step: "01-crud", message: expect.stringContaining("does not load against the exercise: SyntaxError: oops") }]);
  });
});

describe("solutions: every test passes", () => {
  test("a failing or skipped solution test is a problem, and so is a step without tests", () => {
    const other: Step = { ...step, id: "02-cache" };
    const problems = checkSolutionRun(run([record({ state: "failed", errors: [{ name: "Error", message: "boom" }] }), record({ state: "skipped" })]), [step, other]);
    expect(problems.map((problem) => problem.message)).toEqual([
      expect.stringContaining("solution fails"),
      expect.stringContaining("solution skips"),
      "has no tests",
    ]);
  });
});

describe("README tasks match the tests", () => {
  const tests = [record({ kind: "task", task: { number: 1, title: "validate amounts" } }), record({ kind: "task", task: { number: 2, title: "open an account" } })];

  test("the same numbers and titles: no problem", () => {
    expect(checkReadmeTasks(step, tests, "### Task 1 — validate amounts\n…\n### Task 2 — open an account\n")).toEqual([]);
  });

  test("a missing, renamed or extra task is reported", () => {
    const problems = checkReadmeTasks(step, tests, "### Task 1 — validate the amounts\n### Task 3 — withdraw\n");
    expect(problems.map((problem) => problem.message)).toEqual([
      'README.md calls task 1 "validate the amounts", the tests "validate amounts"',
      'README.md has no "### Task 2 — open an account" heading',
      'README.md lists task 3 ("withdraw") but no test checks it',
    ]);
  });
});

describe("progress", () => {
  test("a task is done when all its tests pass; the open ones say what is left", () => {
    const results = run([
      record({ kind: "task", task: { number: 1, title: "validate amounts" } }),
      record({ kind: "task", task: { number: 2, title: "deposit" } }),
      record({ kind: "task", task: { number: 2, title: "deposit" }, state: "failed", errors: [todoFailure] }),
    ]);
    const [progress] = summarizeProgress(results, [step]);
    expect(progress).toMatchObject({ solved: false, tasks: [{ number: 1, done: true }, { number: 2, done: false, hint: "TODO: deposit" }] });
    const [again] = summarizeProgress(run([record({ kind: "task", task: { number: 2, title: "deposit" }, state: "failed", errors: [{ name: "TodoError", message: "TODO: Task 2 — deposit: one atomic UPDATE" }] })]), [step]);
    expect(again?.tasks[0]?.hint).toBe("TODO: one atomic UPDATE");
  });
});

describe("hints", () => {
  test("are read in order from hints.md's `## Hint N — title` headings", () => {
    const markdown = ["# Hints — step 01", "intro", "## Hint 1 — Task 1: where to start", "", "Which function changes the balance?", "", "## Hint 2 - Task 1: the SQL", "```sql", "UPDATE … RETURNING", "```", ""].join("\n");
    expect(parseHints(markdown)).toEqual([
      { number: 1, title: "Task 1: where to start", body: "Which function changes the balance?" },
      { number: 2, title: "Task 1: the SQL", body: "```sql\nUPDATE … RETURNING\n```" },
    ]);
  });

  test("the README lists their titles only; a task's first hint may not show code", () => {
    const hints = [
      { number: 1, title: "Task 1: the SQL", body: "```sql\nUPDATE\n```" },
      { number: 2, title: "Task 2: why", body: "Why does the second write win?" },
    ];
    expect(checkHints("## Hints\n\n1. Task 1: the SQL\n2. Task 2: why\n\n## How to run", hints)).toEqual([expect.stringContaining("task 1's first and shows code")]);
    expect(checkHints("## Hints\n\n1. Task 1: the SQL\n<details>x</details>", hints.slice(1).map((hint) => ({ ...hint, number: 1 })))).toEqual([
      expect.stringContaining("lists"),
      expect.stringContaining("<details>"),
    ]);
  });
});

describe("steps", () => {
  test("are the numbered folders of exercises/, each with a README", () => {
    const steps = listSteps();
    expect(steps.length).toBeGreaterThan(0);
    for (const each of steps) expect(each.id).toMatch(/^\d\d-[a-z0-9-]+$/);
    expect(steps.map((each) => each.id)).toEqual([...steps.map((each) => each.id)].sort());
  });

  test("are found by number, zero-padded number, full id or name", () => {
    const first = listSteps()[0]!;
    expect(findStep(first.number).id).toBe(first.id);
    expect(findStep(String(Number(first.number))).id).toBe(first.id);
    expect(findStep(first.id).id).toBe(first.id);
    expect(() => findStep("99")).toThrow(UnknownStep);
  });
});

describe("tests run against the solution by mirroring exercises/NN/src", () => {
  const root = path.join(path.sep, "kit");
  test("a source file of an exercise maps to the same file of the solution", () => {
    expect(mirroredFileFor(path.join(root, "exercises", "01-crud", "src", "wallet.ts"), root, path.join(root, "solutions"))).toBe(path.join(root, "solutions", "01-crud", "src", "wallet.ts"));
  });

  test("tests, READMEs and the kit itself are not redirected", () => {
    expect(mirroredFileFor(path.join(root, "exercises", "01-crud", "test", "wallet.test.ts"), root, path.join(root, "solutions"))).toBeUndefined();
    expect(mirroredFileFor(path.join(root, "kit", "lib", "todo.ts"), root, path.join(root, "solutions"))).toBeUndefined();
  });
});
