/**
 * What a feature costs, computed from the files rather than counted by hand.
 *
 * A step that builds one feature in two architectures names, here, the files each side of it
 * lives in; `featureCost` reads them (by path: the kit never imports a step's code) and counts
 * files, lines of code, event types, handlers and tests. The step's README prints the table
 * between two markers, and kit/tests/feature-cost.test.ts fails when the README and the files
 * disagree — so the table cannot drift when the code changes.
 *
 * What is counted, so that a reader can check it by hand:
 *   files          the source files of the side (shared files, used by both sides, are in neither)
 *   lines of code  lines that are not blank and not only a comment
 *   event types    the names in an `export const …EventTypes = [ … ]` list
 *   handlers       each place that reacts to one kind of request or message: a `case "Type":`
 *                  of a switch over commands, events or the saga's steps, and each exported
 *                  async function (a request the CRUD adapter serves)
 *   tests          the `test(` calls in the side's test files
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { rootDir } from "./paths.ts";

export interface FeatureSide {
  label: string;
  /** Source files, relative to the repository's root. */
  sources: string[];
  /** Test files, relative to the repository's root. */
  tests: string[];
}

export interface FeatureComparison {
  step: string;
  feature: string;
  sides: [FeatureSide, FeatureSide];
}

export interface FeatureCost {
  files: number;
  linesOfCode: number;
  eventTypes: number;
  handlers: number;
  tests: number;
}

const transfers = (file: string) => `solutions/10-transfers/src/${file}`;
const transferTests = (file: string) => `exercises/10-transfers/test/${file}`;

/** The features compared so far. A step adds its comparison here and the table to its README. */
export const featureComparisons: FeatureComparison[] = [
  {
    step: "10-transfers",
    feature: "a transfer between two accounts",
    sides: [
      {
        label: "CRUD: one SQL transaction",
        sources: ["crud/bank.ts", "crud/errors.ts", "crud/transactions.ts"].map(transfers),
        tests: ["tradeoff-crud-transfer.test.ts", "tradeoff-crud-concurrency.test.ts"].map(transferTests),
      },
      {
        label: "event-sourced: a saga",
        sources: ["domain.ts", "transfer.ts", "envelope.ts", "log.ts", "writer.ts", "saga.ts", "desk.ts", "report.ts"].map(transfers),
        tests: ["account-legs.test.ts", "next-step.test.ts", "saga.test.ts", "concurrency.test.ts", "request.test.ts"].map(transferTests),
      },
    ],
  },
];

/** Lines that are not blank and not only a comment (`//`, or inside or around a `/* … *\/` block). */
export function linesOfCode(text: string): number {
  let count = 0;
  let inBlock = false;
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (inBlock) {
      if (line.includes("*/")) inBlock = false;
      continue;
    }
    if (line === "" || line.startsWith("//")) continue;
    if (line.startsWith("/*")) {
      if (!line.includes("*/")) inBlock = true;
      continue;
    }
    count += 1;
  }
  return count;
}

export function eventTypes(text: string): number {
  let count = 0;
  for (const list of text.matchAll(/export const \w*EventTypes = \[([\s\S]*?)\]/g)) count += (list[1]?.match(/"[^"]+"/g) ?? []).length;
  return count;
}

export function handlers(text: string): number {
  return (text.match(/^\s*case "[^"]+":/gm) ?? []).length + (text.match(/^export async function /gm) ?? []).length;
}

export function testCount(text: string): number {
  return (text.match(/^\s*(?:test|pureTest)\(/gm) ?? []).length;
}

function read(file: string): string {
  return readFileSync(path.join(rootDir, file), "utf8");
}

export function featureCost(side: FeatureSide): FeatureCost {
  const sources = side.sources.map(read);
  return {
    files: sources.length,
    linesOfCode: sources.reduce((sum, text) => sum + linesOfCode(text), 0),
    eventTypes: sources.reduce((sum, text) => sum + eventTypes(text), 0),
    handlers: sources.reduce((sum, text) => sum + handlers(text), 0),
    tests: side.tests.map(read).reduce((sum, text) => sum + testCount(text), 0),
  };
}

export const TABLE_START = "<!-- feature-cost: computed by kit/harness/feature-cost.ts; kit/tests/feature-cost.test.ts checks it -->";
export const TABLE_END = "<!-- /feature-cost -->";

/** The Markdown table a README prints, markers included. */
export function featureCostTable(comparison: FeatureComparison): string {
  const [left, right] = comparison.sides.map(featureCost) as [FeatureCost, FeatureCost];
  const row = (name: string, key: keyof FeatureCost) => `| ${name} | ${left[key]} | ${right[key]} |`;
  const files = (side: FeatureSide) => side.sources.map((file) => `\`${path.basename(path.dirname(file)) === "crud" ? "crud/" : ""}${path.basename(file)}\``).join(", ");
  return [
    TABLE_START,
    `| ${comparison.feature} | ${comparison.sides[0].label} | ${comparison.sides[1].label} |`,
    "|---|---|---|",
    row("files", "files"),
    row("lines of code", "linesOfCode"),
    row("event types", "eventTypes"),
    row("handlers", "handlers"),
    row("tests", "tests"),
    `| counted in | ${files(comparison.sides[0])} | ${files(comparison.sides[1])} |`,
    TABLE_END,
  ].join("\n");
}
