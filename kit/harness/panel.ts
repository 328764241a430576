/**
 * The trade-off panel: what the step's trade-off tests just showed, in the numbers they
 * recorded during the run (vitest's `annotate`), one line per test, grouped by trade-off.
 * `npm run step` prints it after the task summary; the hub draws the same lines from the
 * attendee's last run. Nothing here is written in advance: a line is a test's own record.
 */
import type { RunResults, TestRecord } from "./results.ts";

export interface PanelLine {
  /** The trade-off's title: `tradeoff("…")` of the test's suite. */
  tradeoff: string;
  /** The test's full name, for a link or a hover. */
  test: string;
  file: string;
  state: TestRecord["state"];
  figures: string[];
}

export interface PanelGroup {
  tradeoff: string;
  /** The attendee's answer to the README's question, if they gave one (`npm run step NN -- --predict`). */
  prediction?: string;
  lines: PanelLine[];
}

const tradeoffSuite = /^Trade-off — (.+)$/;

/** The trade-off title of a test, from its suites (the first `Trade-off — …` of its name). */
export function tradeoffOf(test: Pick<TestRecord, "name" | "kind">): string | undefined {
  if (test.kind !== "tradeoff") return undefined;
  for (const part of test.name.split(" > ")) {
    const match = tradeoffSuite.exec(part);
    if (match?.[1]) return match[1];
  }
  return undefined;
}

/** The panel's groups, in the order the tests ran. `predictions` maps trade-off titles to answers. */
export function panelGroups(tests: TestRecord[], predictions: Record<string, string> = {}): PanelGroup[] {
  const groups = new Map<string, PanelGroup>();
  for (const test of tests) {
    const tradeoff = tradeoffOf(test);
    if (!tradeoff) continue;
    const group = groups.get(tradeoff) ?? { tradeoff, ...(predictions[tradeoff] ? { prediction: predictions[tradeoff] } : {}), lines: [] };
    group.lines.push({ tradeoff, test: test.name, file: test.file, state: test.state, figures: test.figures ?? [] });
    groups.set(tradeoff, group);
  }
  return [...groups.values()];
}

const mark: Record<TestRecord["state"], string> = { passed: "✓", failed: "✗", skipped: "–", pending: "–" };

/** The panel as text, for the terminal: empty when the run had no trade-off test. */
export function tradeoffPanel(results: RunResults, predictions: Record<string, Record<string, string>> = {}): string {
  const bySteps = new Map<string, TestRecord[]>();
  for (const test of results.tests) bySteps.set(test.step, [...(bySteps.get(test.step) ?? []), test]);
  const out: string[] = [];
  for (const [step, tests] of bySteps) {
    const groups = panelGroups(tests, predictions[step] ?? {});
    if (groups.length === 0) continue;
    out.push(`\nWhat the trade-offs showed in this run (${step}):`);
    for (const group of groups) {
      out.push(`  ${group.tradeoff}`);
      if (group.prediction) out.push(`    you predicted: ${group.prediction}`);
      for (const line of group.lines) {
        const figures = line.figures.length > 0 ? line.figures.join(" · ") : line.state === "passed" ? "(recorded no figures)" : `(${line.state === "failed" ? "failed: see above" : line.state})`;
        out.push(`    ${mark[line.state]} ${figures}`);
      }
    }
  }
  return out.join("\n");
}

/** A passing trade-off test that recorded no number did not show its lesson: the kit's check refuses it. */
export function tradeoffsWithoutFigures(tests: TestRecord[]): TestRecord[] {
  return tests.filter((test) => test.kind === "tradeoff" && test.state === "passed" && !(test.figures ?? []).some((figure) => /\d/.test(figure)));
}

/** The id of a test's line in the hub's panel, from the test's own title (the ledger links to it). */
export function figuresAnchor(testName: string): string {
  const title = testName.split(" > ").pop() ?? testName;
  return `figures-${title.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "").slice(0, 80)}`;
}
