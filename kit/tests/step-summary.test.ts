/** What `npm run step` prints at the end of a run: per task, the first failure and where, or who blocks it. */
import { describe, expect, test } from "vitest";
import { locate } from "../harness/results-reporter.ts";
import type { RunResults, TestRecord } from "../harness/results.ts";
import { formatStepSummary, summarizeStep, taskOfTodo } from "../harness/step-summary.ts";

const step = { id: "05-event-sourcing", title: "event sourcing" };

function record(overrides: Partial<TestRecord>): TestRecord {
  return { step: step.id, file: "exercises/05-event-sourcing/test/a.test.ts", name: "Task 1 — parse > a test", kind: "task", state: "passed", errors: [], ledger: [], durationMs: 1, ...overrides };
}
const run = (tests: TestRecord[]): RunResults => ({ target: "exercises", finishedAt: "", tests, moduleErrors: [], unhandledErrors: [] });
const parse = { number: 4, title: "parse commands" };
const writer = { number: 5, title: "one writer per account" };
const todo4 = { name: "TodoError", message: "TODO: Task 4 — parse commands: JSON.parse in try/catch", at: "exercises/05-event-sourcing/src/commands.ts:66" };

describe("the step summary", () => {
  test("GIVEN a task whose tests fail only on another task's todo() THEN it is blocked by that task, not given its text", () => {
    const summary = summarizeStep(run([record({ task: parse, state: "failed", errors: [todo4] }), record({ task: writer, state: "failed", errors: [todo4] }), record({ task: writer, state: "failed", errors: [todo4] })]), step);
    expect(summary.tasks).toEqual([
      { number: 4, title: "parse commands", state: "open", failure: { test: "a test", message: "TODO: JSON.parse in try/catch", at: "exercises/05-event-sourcing/src/commands.ts:66" }, failing: 1, total: 1 },
      { number: 5, title: "one writer per account", state: "blocked", blockedBy: [{ number: 4, title: "parse commands" }], failing: 2, total: 2 },
    ]);
    const lines = formatStepSummary(summary, { number: "05", solution: false, foldedLogLines: 0, watching: false }).join("\n");
    expect(lines).toContain("○ Task 5 — one writer per account   blocked by Task 4 — parse commands");
    expect(lines).toContain("at exercises/05-event-sourcing/src/commands.ts:66");
    expect(lines.match(/JSON\.parse/g)).toHaveLength(1);
  });

  test("GIVEN a task with one test of its own failing THEN that failure is shown, even if others are blocked", () => {
    const own = { name: "AssertionError", message: "expected 1 to be 2\n\n- Expected\n+ Received\n\nmore", at: "exercises/05-event-sourcing/test/a.test.ts:12" };
    const summary = summarizeStep(run([record({ task: writer, state: "failed", errors: [todo4] }), record({ task: writer, name: "Task 5 > own", state: "failed", errors: [own] })]), step);
    expect(summary.tasks[0]).toMatchObject({ state: "open", failure: { test: "own", message: "expected 1 to be 2\n- Expected\n+ Received", at: own.at } });
  });

  test("GIVEN every test passing THEN solved, and the next step is named with how to start it", () => {
    const summary = summarizeStep(run([record({ task: parse }), record({ kind: "tradeoff", name: "Trade-off — x > y" })]), step);
    expect(summary.solved).toBe(true);
    const lines = formatStepSummary(summary, { number: "05", solution: false, next: { number: "06", title: "projections" }, foldedLogLines: 3, watching: true });
    expect(lines.join("\n")).toContain("Next: step 06 — projections. Start it with: npm run step 06 -- --watch");
    expect(lines.join("\n")).not.toMatch(/folded|✗/);
  });

  test("a TodoError names its task; other errors name none", () => {
    expect(taskOfTodo(todo4)).toBe(4);
    expect(taskOfTodo({ name: "TodoError", message: "TODO: something" })).toBeUndefined();
    expect(taskOfTodo({ name: "Error", message: "TODO: Task 4 — x" })).toBeUndefined();
  });
});

describe("where an error comes from", () => {
  test("the first frame in a step's folder, skipping the kit and the libraries", () => {
    const stack = [
      "TodoError: TODO: Task 4 — parse",
      "    at todo (/home/me/kit/kit/lib/todo.ts:17:9)",
      "    at parseCommand (/home/me/kit/exercises/05-event-sourcing/src/commands.ts:66:3)",
      "    at /home/me/kit/exercises/05-event-sourcing/test/parse.test.ts:10:5",
    ].join("\n");
    expect(locate({ stack })).toMatch(/exercises\/05-event-sourcing\/src\/commands\.ts:66$/);
    expect(locate({ stack: "Error\n    at x (/a/node_modules/kafkajs/src/index.ts:1:1)" })).toBeUndefined();
  });
});
