/** The hub's step status, from recorded runs only: unknown, open, solved, stale, partly run. */
import { describe, expect, test } from "vitest";
import type { RunResults, TestRecord } from "../harness/results.ts";
import type { Step } from "../harness/steps.ts";
import { stepStatus } from "../hub/status.ts";
import { findClaims } from "../hub/ledger-view.ts";

const step: Step = { id: "01-crud", number: "01", title: "crud", exerciseDir: "/x/exercises/01-crud", solutionDir: "/x/solutions/01-crud", readme: "/x/exercises/01-crud/README.md" };
const files = ["exercises/01-crud/test/a.test.ts", "exercises/01-crud/test/b.test.ts"];

function record(file: string, task: number, state: TestRecord["state"]): TestRecord {
  return {
    step: step.id,
    file,
    name: `Task ${task} — t${task} > a test`,
    kind: "task",
    task: { number: task, title: `t${task}` },
    state,
    errors: state === "failed" ? [{ name: "TodoError", message: `TODO: Task ${task} — t${task}: still open` }] : [],
    ledger: [],
    durationMs: 1,
  };
}

function run(finishedAt: string, tests: TestRecord[]): RunResults {
  return { target: "exercises", finishedAt, tests, moduleErrors: [], unhandledErrors: [] };
}

describe("step status from recorded runs", () => {
  test("GIVEN no recorded run WHEN asked THEN unknown, saying which command records one", () => {
    const status = stepStatus(step, [], files, 0);
    expect(status).toEqual({ state: "unknown", reason: expect.stringContaining("npm run step 01") });
  });

  test("GIVEN a run with an open task WHEN asked THEN open, with the task's hint", () => {
    const status = stepStatus(step, [run("2026-01-01T10:00:00.000Z", [record(files[0]!, 1, "passed"), record(files[1]!, 2, "failed")])], files, 0);
    expect(status.state).toBe("open");
    if (status.state === "unknown") throw new Error("unreachable");
    expect(status.progress.tasks.map((task) => [task.number, task.done, task.hint])).toEqual([
      [1, true, undefined],
      [2, false, "TODO: still open"],
    ]);
    expect(status.stale).toBe(false);
  });

  test("GIVEN a watch re-run of one file WHEN asked THEN each file's newest run counts, and the older one fills in the rest", () => {
    const full = run("2026-01-01T10:00:00.000Z", [record(files[0]!, 1, "failed"), record(files[1]!, 2, "failed")]);
    const rerun = run("2026-01-01T10:05:00.000Z", [record(files[0]!, 1, "passed")]);
    const status = stepStatus(step, [rerun, full], files, 0);
    if (status.state === "unknown") throw new Error("expected a status");
    expect(status.progress.tasks.map((task) => task.done)).toEqual([true, false]);
    expect(status.ranAt).toBe("2026-01-01T10:00:00.000Z");
  });

  test("GIVEN every task passed but a file changed since WHEN asked THEN solved, and stale", () => {
    const status = stepStatus(step, [run("2026-01-01T10:00:00.000Z", [record(files[0]!, 1, "passed"), record(files[1]!, 2, "passed")])], files, Date.parse("2026-01-01T11:00:00.000Z"));
    expect(status).toMatchObject({ state: "solved", stale: true, notRun: [] });
  });

  test("GIVEN a run that missed a test file WHEN asked THEN not solved, and the file is named", () => {
    const status = stepStatus(step, [run("2026-01-01T10:00:00.000Z", [record(files[0]!, 1, "passed")])], files, 0);
    expect(status).toMatchObject({ state: "open", notRun: [files[1]] });
  });
});

describe("ledger claims read from test files", () => {
  test("GIVEN tests tagged with proves() WHEN scanned THEN each claim with its test's title", () => {
    const source = `
  test(
    "GIVEN a WHEN b THEN \\"c\\"",
    proves("no-lost-updates", "naive read-modify-write", "broken"),
    async () => {},
  );
  test('GIVEN d', proves("read-your-writes", "single database", "holds"), async () => {});
  test("not a claim", async () => {});`;
    expect(findClaims(source, "f.test.ts")).toEqual([
      { file: "f.test.ts", title: 'GIVEN a WHEN b THEN "c"', guarantee: "no-lost-updates", design: "naive read-modify-write", verdict: "broken" },
      { file: "f.test.ts", title: "GIVEN d", guarantee: "read-your-writes", design: "single database", verdict: "holds" },
    ]);
  });
});
