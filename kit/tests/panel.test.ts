import { describe, expect, test } from "vitest";
import { checkSolutionRun } from "../harness/integrity.ts";
import { figuresAnchor, panelGroups, tradeoffPanel, tradeoffsWithoutFigures } from "../harness/panel.ts";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { PassThrough, Readable } from "node:stream";
import { askPredictions, checkQuestions, parseQuestions, predictionsFile, readPredictions, tradeoffTitles } from "../harness/predictions.ts";
import type { RunResults, TestRecord } from "../harness/results.ts";
import type { Step } from "../harness/steps.ts";
import { stepPage } from "../hub/pages.ts";

const step: Step = { id: "03-microservices", number: "03", title: "microservices", exerciseDir: "", solutionDir: "", readme: "" };

function record(overrides: Partial<TestRecord>): TestRecord {
  return { step: step.id, file: "exercises/03-microservices/test/tradeoff-dual-write.test.ts", name: "a test", kind: "check", state: "passed", errors: [], ledger: [], durationMs: 1, ...overrides };
}

function run(tests: TestRecord[]): RunResults {
  return { target: "solutions", finishedAt: "", tests, moduleErrors: [], unhandledErrors: [] };
}

const lost = record({ kind: "tradeoff", name: "Trade-off — dual writes lose events > GIVEN commit, then publish … THEN one event is lost", figures: ["10 committed · 9 in Kafka · 9 seen — 1 event lost"] });
const phantom = record({ kind: "tradeoff", name: "Trade-off — dual writes lose events > GIVEN publish, then commit … THEN a phantom", figures: ["9 committed · 10 in Kafka · 10 seen — 1 phantom event"] });

describe("the trade-off panel", () => {
  test("one line per trade-off test, with the figures it recorded, under its trade-off, and the prediction beside them", () => {
    const text = tradeoffPanel(run([record({ kind: "task" }), lost, phantom]), { [step.id]: { "dual writes lose events": "none lost" } });
    expect(text.split("\n")).toEqual([
      "",
      "What the trade-offs showed in this run (03-microservices):",
      "  dual writes lose events",
      "    you predicted: none lost",
      "    ✓ 10 committed · 9 in Kafka · 9 seen — 1 event lost",
      "    ✓ 9 committed · 10 in Kafka · 10 seen — 1 phantom event",
    ]);
  });

  test("a run without trade-off tests prints no panel; a failed one says so instead of figures", () => {
    expect(tradeoffPanel(run([record({ kind: "task" })]))).toBe("");
    expect(tradeoffPanel(run([{ ...lost, state: "failed", figures: [] }]))).toContain("✗ (failed: see above)");
  });

  test("groups keep the order the tests ran in", () => {
    const other = record({ kind: "tradeoff", name: "Trade-off — at-least-once > GIVEN …", figures: ["3 deliveries"] });
    expect(panelGroups([lost, other, phantom]).map((group) => [group.tradeoff, group.lines.length])).toEqual([
      ["dual writes lose events", 2],
      ["at-least-once", 1],
    ]);
  });

  test("a passing trade-off test whose figures hold no number fails the solution check; task and check tests need none", () => {
    const silent = { ...lost, figures: [] };
    const wordsOnly = { ...phantom, figures: ["an event was lost"] };
    expect(tradeoffsWithoutFigures([silent, wordsOnly, lost, record({ kind: "task" })])).toEqual([silent, wordsOnly]);
    expect(checkSolutionRun(run([silent, lost]), [step]).map((problem) => problem.message)).toEqual([expect.stringContaining("records no figures")]);
  });

  test("the hub's anchor for a test comes from its own title, so the ledger can link it", () => {
    expect(figuresAnchor("Trade-off — x > GIVEN alice holds 100 WHEN … THEN 150")).toBe("figures-given-alice-holds-100-when-then-150");
    expect(figuresAnchor("GIVEN alice holds 100 WHEN … THEN 150")).toBe(figuresAnchor("Trade-off — y > GIVEN alice holds 100 WHEN … THEN 150"));
  });
});

describe("predict, then run: the README's questions", () => {
  test("each question names its trade-off", () => {
    expect(parseQuestions("text\n> **Predict — dual writes lose events.** Ten deposits, one crash: how many events arrive?\nmore")).toEqual([
      { tradeoff: "dual writes lose events", question: "Ten deposits, one crash: how many events arrive?" },
    ]);
  });
});

describe("the hub's step page", () => {
  const stepOnPage: Step = { ...step, exerciseDir: "exercises/03-microservices" };
  const status = { state: "open" as const, progress: { step: step.id, title: step.title, solved: false, tasks: [], otherFailures: [] }, ranAt: new Date(0).toISOString(), stale: false, notRun: [], tests: [lost, phantom] };

  test("shows the panel of the last run, each line anchored for the ledger's links", () => {
    const html = stepPage(stepOnPage, status, "<p>readme</p>", {});
    expect(html).toContain("What the trade-offs showed in your last run");
    expect(html).toContain(`id="${figuresAnchor(lost.name)}"`);
    expect(html).toContain("10 committed · 9 in Kafka · 9 seen — 1 event lost");
  });

  test("reveals the hints seen so far and offers only the next one", () => {
    const html = stepPage(stepOnPage, status, "<p>readme</p>", {}, { revealed: [{ number: 1, title: "Task 1: a question", html: "<p>Why?</p>" }], total: 3 });
    expect(html).toContain("Hint 1 of 3 — Task 1: a question");
    expect(html).toContain("Show hint 2 of 3");
    expect(html).not.toContain("Hint 3 of 3");
  });
});

describe("predict, then run: asking", () => {
  test("a question per trade-off is required where asked for; a question for no trade-off is refused", () => {
    const titles = tradeoffTitles([`describe(tradeoff("dual writes lose events"), () => {})`, `describe(tradeoff('at-least-once'), …)`]);
    expect(titles).toEqual(["dual writes lose events", "at-least-once"]);
    expect(checkQuestions([{ tradeoff: "dual writes lose events", question: "?" }, { tradeoff: "typo", question: "?" }], titles, true)).toEqual([
      expect.stringContaining('"typo", which is no trade-off'),
      expect.stringContaining("no \"> **Predict — at-least-once.** …?\" question"),
    ]);
  });

  test("--predict reads one answer per line and keeps them for the panel; Enter alone keeps the earlier one", async () => {
    const saved = existsSync(predictionsFile) ? readFileSync(predictionsFile, "utf8") : undefined;
    try {
      const questions = [{ tradeoff: "a", question: "how many?" }, { tradeoff: "b", question: "what then?" }];
      const output = new PassThrough();
      expect(await askPredictions("99-test", questions, { input: Readable.from(["9\n", "\n"]), output })).toEqual({ a: "9" });
      expect(await askPredictions("99-test", questions, { input: Readable.from(["\n", "lost\n"]), output })).toEqual({ a: "9", b: "lost" });
      expect(readPredictions()["99-test"]).toEqual({ a: "9", b: "lost" });
    } finally {
      if (saved === undefined) rmSync(predictionsFile, { force: true });
      else writeFileSync(predictionsFile, saved);
    }
  });
});
