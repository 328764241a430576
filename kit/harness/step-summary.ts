/**
 * What `npm run step NN` prints at the end of a run, in place of vitest's pages of stack traces:
 * per task, done or not; for an open one, its first failing test with its message and the
 * file:line of the todo() or assertion; a task held up only by another task's todo() says
 * "blocked by Task 4 — …" instead of repeating that task's text as its own. `--verbose` shows
 * vitest's own report as well.
 *
 * Pure: it reads a run's records and returns lines, so the kit's tests check it without a run.
 */
import type { RunResults, TestRecord } from "./results.ts";
import type { Step } from "./steps.ts";

export interface TaskLine {
  number: number;
  title: string;
  state: "done" | "open" | "blocked";
  /** The first failing test of an open task, its message's first lines, and where. */
  failure?: { test: string; message: string; at?: string };
  /** The other tasks whose todo() stops this one's tests. */
  blockedBy?: Array<{ number: number; title: string }>;
  failing: number;
  total: number;
}

export interface StepSummary {
  step: string;
  title: string;
  solved: boolean;
  tasks: TaskLine[];
  /** Tests outside the tasks (trade-offs, checks) that failed: each with its first line and where. */
  otherFailures: Array<{ test: string; message: string; at?: string }>;
  loadFailures: Array<{ file: string; message: string }>;
  passed: number;
  total: number;
}

const todoTask = /^TODO: Task (\d+) — /;

/** The task a TodoError's message names ("TODO: Task 4 — parse commands: …"), if it names one. */
export function taskOfTodo(error: { name: string; message: string }): number | undefined {
  if (error.name !== "TodoError") return undefined;
  const match = todoTask.exec(error.message);
  return match?.[1] ? Number(match[1]) : undefined;
}

function firstLines(message: string, count = 3): string {
  return message.split("\n").filter((line) => line.trim()).slice(0, count).join("\n");
}

function shortName(test: TestRecord): string {
  return test.name.split(" > ").pop() ?? test.name;
}

export function summarizeStep(results: RunResults, step: Pick<Step, "id" | "title">): StepSummary {
  const tests = results.tests.filter((test) => test.step === step.id);
  const titles = new Map<number, string>();
  for (const test of tests) if (test.task) titles.set(test.task.number, test.task.title);
  const byTask = new Map<number, TestRecord[]>();
  for (const test of tests) if (test.task) byTask.set(test.task.number, [...(byTask.get(test.task.number) ?? []), test]);

  const tasks: TaskLine[] = [...byTask.entries()]
    .sort(([a], [b]) => a - b)
    .map(([number, own]) => {
      const title = titles.get(number) ?? "";
      const failed = own.filter((test) => test.state !== "passed");
      if (failed.length === 0) return { number, title, state: "done", failing: 0, total: own.length };
      // A test that fails on another task's todo() says nothing about this task yet.
      const blockers = failed.map((test) => {
        const other = test.errors[0] ? taskOfTodo(test.errors[0]) : undefined;
        return other !== undefined && other !== number ? other : undefined;
      });
      const ownFailure = failed.find((_, index) => blockers[index] === undefined);
      if (!ownFailure) {
        const blockedBy = [...new Set(blockers as number[])].sort((a, b) => a - b).map((other) => ({ number: other, title: titles.get(other) ?? "" }));
        return { number, title, state: "blocked", blockedBy, failing: failed.length, total: own.length };
      }
      const error = ownFailure.errors[0];
      return {
        number,
        title,
        state: "open",
        failure: { test: shortName(ownFailure), message: error ? firstLines(withoutTaskName(error.message, number, title)) : ownFailure.state, ...(error?.at ? { at: error.at } : {}) },
        failing: failed.length,
        total: own.length,
      };
    });
  const otherFailures = tests
    .filter((test) => !test.task && test.state === "failed")
    .map((test) => ({ test: test.name, message: firstLines(test.errors[0]?.message ?? "failed"), ...(test.errors[0]?.at ? { at: test.errors[0].at } : {}) }));
  const loadFailures = results.moduleErrors.filter((module) => module.file.includes(`exercises/${step.id}/`)).map((module) => ({ file: module.file, message: firstLines(module.errors[0]?.message ?? "does not load") }));
  return {
    step: step.id,
    title: step.title,
    solved: tests.length > 0 && tasks.every((task) => task.state === "done") && otherFailures.length === 0 && loadFailures.length === 0,
    tasks,
    otherFailures,
    loadFailures,
    passed: tests.filter((test) => test.state === "passed").length,
    total: tests.length,
  };
}

/** "TODO: Task 3 — deposit: one atomic UPDATE…" under "Task 3 — deposit" reads twice; keep what is new. */
function withoutTaskName(message: string, number: number, title: string): string {
  const prefix = `TODO: Task ${number} — ${title}`;
  return message.startsWith(prefix) ? `TODO${message.slice(prefix.length)}` : message;
}

export interface SummaryContext {
  /** "05": for the commands the summary suggests. */
  number: string;
  solution: boolean;
  /** The step to go on to once this one is solved (the first unsolved after it), if any. */
  next?: { number: string; title: string };
  /** stderr lines (kafkajs, the drivers) folded away: their count, shown by --verbose. */
  foldedLogLines: number;
  watching: boolean;
}

const indent = (text: string, by: string) => text.split("\n").map((line) => by + line).join("\n");

export function formatStepSummary(summary: StepSummary, context: SummaryContext): string[] {
  const lines: string[] = [];
  const doneCount = summary.tasks.filter((task) => task.state === "done").length;
  if (summary.solved) {
    lines.push(`\n${summary.step}: solved ✓  (${summary.passed} tests passed)`);
  } else {
    lines.push(`\n${summary.step}: not solved yet — ${doneCount} of ${summary.tasks.length} tasks done, ${summary.passed} of ${summary.total} tests pass`);
  }
  for (const task of summary.tasks) {
    const head = `Task ${task.number} — ${task.title}`;
    if (task.state === "done") lines.push(`  ✓ ${head}`);
    else if (task.state === "blocked") lines.push(`  ○ ${head}   blocked by ${task.blockedBy!.map((other) => `Task ${other.number} — ${other.title}`).join(", ")}`);
    else {
      lines.push(`  ✗ ${head}   (${task.failing} of ${task.total} tests fail; the first:)`);
      lines.push(`      ${task.failure!.test}`);
      lines.push(indent(task.failure!.message, "      "));
      if (task.failure!.at) lines.push(`      at ${task.failure!.at}`);
    }
  }
  for (const load of summary.loadFailures) lines.push(`  ✗ ${load.file} does not load:`, indent(load.message, "      "));
  for (const failure of summary.otherFailures) {
    lines.push(`  ✗ ${failure.test}`, indent(failure.message, "      "));
    if (failure.at) lines.push(`      at ${failure.at}`);
  }
  const verbose = `npm run step ${context.number} -- ${context.solution ? "--solution " : ""}--verbose`;
  if (context.foldedLogLines > 0 && !summary.solved) lines.push(`  (${context.foldedLogLines} log line${context.foldedLogLines === 1 ? "" : "s"} of the libraries folded away: ${verbose} shows them)`);
  if (!summary.solved) {
    lines.push(`  stuck? npm run hint ${context.number}   ·   every test and stack trace: ${verbose}`);
  } else if (!context.solution) {
    lines.push(context.next ? `  Next: step ${context.next.number} — ${context.next.title}. Start it with: npm run step ${context.next.number}${context.watching ? " -- --watch" : ""}  (or just npm run step)` : "  That was the last step: every step is solved. npm run ledger shows what each architecture keeps.");
  }
  return lines;
}
