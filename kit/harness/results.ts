/** What a run of the step tests leaves behind for the kit's checks (integrity, ledger, progress). */
import type { LedgerClaim } from "../ledger/types.ts";

export type TestKind = "task" | "tradeoff" | "check";

export interface TestRecord {
  step: string;
  /** Path from the project root, with forward slashes. */
  file: string;
  /** Suites and test name joined with " > ". */
  name: string;
  kind: TestKind;
  task?: { number: number; title: string };
  state: "passed" | "failed" | "skipped" | "pending";
  /** `at`: the file:line in the step (the todo() or assertion) where the error was thrown, when its stack says. */
  errors: Array<{ name: string; message: string; at?: string }>;
  ledger: LedgerClaim[];
  /** A test skipped because a tool is missing on this machine (optional-tools.ts): what, and how to install it. */
  notChecked?: { what: string; install: string };
  durationMs: number;
  /**
   * What the test recorded of its run with vitest's `annotate` ("10 committed · 9 in Kafka ·
   * 9 seen — 1 event lost"): the trade-off panel prints them. Absent in files written before.
   */
  figures?: string[];
}

export interface RunResults {
  target: "exercises" | "solutions" | "pristine";
  finishedAt: string;
  tests: TestRecord[];
  /** Files that failed to load or collect (a syntax error, a crash at import). */
  moduleErrors: Array<{ file: string; errors: Array<{ name: string; message: string }> }>;
  unhandledErrors: Array<{ name: string; message: string }>;
}

const taskSuite = /^Task (\d+) — (.+)$/;
const tradeoffSuite = /^Trade-off — /;

/** Reads the kind of a test from the names of its suites: `task(…)` and `tradeoff(…)` in #kit/testing. */
export function classify(suiteNames: string[]): Pick<TestRecord, "kind" | "task"> {
  for (const name of suiteNames) {
    const task = taskSuite.exec(name);
    if (task?.[1] && task[2]) return { kind: "task", task: { number: Number(task[1]), title: task[2] } };
    if (tradeoffSuite.test(name)) return { kind: "tradeoff" };
  }
  return { kind: "check" };
}

/** "exercises/01-crud/test/wallet.test.ts" → "01-crud". */
export function stepOfFile(file: string): string {
  const match = /(?:^|\/)exercises\/([^/]+)\//.exec(file.replaceAll("\\", "/"));
  return match?.[1] ?? "";
}
