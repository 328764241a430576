/** An attendee's progress, read from a run of the step tests against their work. */
import { stepOfFile, type RunResults } from "./results.ts";
import type { Step } from "./steps.ts";
import { taskOfTodo } from "./step-summary.ts";

export interface TaskProgress {
  number: number;
  title: string;
  done: boolean;
  /** The first open todo() or failure, to say what is left. */
  hint?: string;
}

export interface StepProgress {
  step: string;
  title: string;
  solved: boolean;
  tasks: TaskProgress[];
  /** Tests outside the tasks that fail (a trade-off or service check): something to look at. */
  otherFailures: string[];
}

export function summarizeProgress(results: RunResults, steps: Step[]): StepProgress[] {
  return steps.map((step) => {
    const tests = results.tests.filter((test) => test.step === step.id);
    const byTask = new Map<number, TaskProgress>();
    const blockedBy = new Map<number, number>();
    for (const test of tests) {
      if (!test.task) continue;
      const task = byTask.get(test.task.number) ?? { number: test.task.number, title: test.task.title, done: true };
      if (test.state !== "passed") {
        task.done = false;
        const error = test.errors[0];
        // A test stopped by another task's todo() says nothing about this task: "blocked by" it, unless one of its own fails.
        const other = error ? taskOfTodo(error) : undefined;
        if (other !== undefined && other !== task.number) blockedBy.set(task.number, blockedBy.get(task.number) ?? other);
        else task.hint ??= error ? (error.name === "TodoError" ? withoutTaskName(error.message, task) : `${test.name.split(" > ").pop()}: ${error.message.split("\n")[0]}`) : `${test.state}`;
      }
      byTask.set(task.number, task);
    }
    for (const [number, other] of blockedBy) {
      const task = byTask.get(number)!;
      task.hint ??= `blocked by Task ${other}${byTask.get(other) ? ` — ${byTask.get(other)!.title}` : ""}`;
    }
    const loadFailures = results.moduleErrors.filter((module) => stepOfFile(module.file) === step.id).map((module) => `${module.file} does not load: ${module.errors[0]?.message ?? ""}`);
    const otherFailures = [...loadFailures, ...tests.filter((test) => !test.task && test.state === "failed").map((test) => test.name)];
    const tasks = [...byTask.values()].sort((a, b) => a.number - b.number);
    return { step: step.id, title: step.title, solved: tests.length > 0 && tasks.every((task) => task.done) && otherFailures.length === 0, tasks, otherFailures };
  });
}

/** "TODO: Task 3 — deposit: one atomic UPDATE…" beside "Task 3 — deposit" reads twice; keep what is new. */
function withoutTaskName(message: string, task: { number: number; title: string }): string {
  const prefix = `TODO: Task ${task.number} — ${task.title}`;
  return message.startsWith(prefix) ? `TODO${message.slice(prefix.length)}` : message;
}
