/**
 * What a feature costs, computed from the files rather than counted by hand.
 *
 * A step that builds one feature in two architectures names, here, the files each side of it
 * lives in, and the files both sides share; `featureCost` reads them (by path: the kit never
 * imports a step's code) and counts files, lines of code, event types, handlers and tests. The
 * step's README prints the table between two markers, and kit/tests/feature-cost.test.ts fails
 * when the README and the files disagree, or when a file of the solution's src/ (or a test
 * file) is in neither side nor the shared list nor the list of files that are not part of the
 * comparison — so the table cannot drift when the code changes.
 *
 * What is counted, so that a reader can check it by hand:
 *   files          the source files of the side (shared files, used by both sides, are in neither)
 *   lines of code  lines that are not blank and not only a comment
 *   event types    the names in an `export const …EventTypes = [ … ]` list
 *   handlers       where a side reacts to one kind of request or message. Counted, for a side
 *                  built on switches: each run of consecutive `case "Type":` labels of a switch
 *                  over commands, events or the saga's steps is one handler, and a run whose body
 *                  only hands on (`return otherFunction(…);`) is left out — the function it hands
 *                  on to has its own cases. Named, for a side with no such switch (the CRUD
 *                  bank): the exported functions a caller changes the bank with, listed in
 *                  `handlers` below and checked to be exported by the side's files.
 *   tests          the `test(` calls in the side's test files
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { rootDir } from "./paths.ts";

export interface FeatureSide {
  label: string;
  /** Source files, relative to the comparison's `src`. */
  sources: string[];
  /** The handlers, by name, for a side that has no switch to count them from. */
  handlers?: string[];
  /** Test files, relative to the comparison's `tests`. */
  tests: string[];
}

export interface FeatureComparison {
  step: string;
  feature: string;
  /** The solution's source folder, relative to the repository's root. */
  src: string;
  /** The step's test folder, relative to the repository's root. */
  tests: string;
  /** Files both sides use, counted in neither (relative to `src` and `tests`). */
  shared: { sources: string[]; tests: string[] };
  /**
   * Files of the step that are not part of this comparison — another subject of the step —
   * counted in neither side, and declared here so that a file nobody declared still fails.
   */
  other?: { sources: string[]; tests: string[] };
  sides: [FeatureSide, FeatureSide];
}

export interface FeatureCost {
  files: number;
  linesOfCode: number;
  eventTypes: number;
  handlers: number;
  tests: number;
}

/** The features compared so far. A step adds its comparison here and the table to its README. */
export const featureComparisons: FeatureComparison[] = [
  {
    step: "08-errors-forever",
    feature: "freezing an account",
    src: "solutions/08-errors-forever/src",
    tests: "exercises/08-errors-forever/test",
    shared: { sources: [], tests: [] },
    // The step's other subjects: dead letters (Task 2), upcasting (Task 3), corrections (Task 1).
    other: {
      sources: ["dead-letter.ts", "upcast.ts"],
      tests: [
        "correction.test.ts",
        "dead-letter.test.ts",
        "upcast.test.ts",
        "step-05-records.test.ts",
        "tradeoff-immutable-log.test.ts",
        "tradeoff-poison.test.ts",
        "tradeoff-schema-versions.test.ts",
      ],
    },
    sides: [
      {
        label: "CRUD wallet (Task 4)",
        sources: ["crud/wallet.ts", "crud/errors.ts", "crud/input.ts"],
        handlers: ["openAccount", "deposit", "withdraw", "freezeAccount", "unfreezeAccount"],
        tests: ["crud-freeze.test.ts"],
      },
      {
        label: "event-sourced wallet (Task 5)",
        sources: ["input.ts", "commands.ts", "domain.ts", "envelope-shape.ts", "envelope.ts", "event-log.ts", "command-handler.ts", "record.ts", "read-model.ts", "projection.ts"],
        tests: ["es-freeze.test.ts", "bad-input.test.ts", "write-side.test.ts", "reading-records.test.ts", "read-model.test.ts"],
      },
    ],
  },
  {
    step: "10-transfers",
    feature: "a transfer between two accounts",
    src: "solutions/10-transfers/src",
    tests: "exercises/10-transfers/test",
    shared: { sources: ["input.ts"], tests: [] },
    sides: [
      {
        label: "CRUD: one SQL transaction",
        sources: ["crud/bank.ts", "crud/errors.ts", "crud/transactions.ts"],
        handlers: ["openAccount", "freezeAccount", "transfer"],
        tests: ["tradeoff-crud-transfer.test.ts", "tradeoff-crud-concurrency.test.ts"],
      },
      {
        label: "event-sourced: a saga",
        sources: ["domain.ts", "transfer.ts", "envelope.ts", "log.ts", "writer.ts", "saga.ts", "desk.ts", "report.ts"],
        tests: ["account-legs.test.ts", "next-step.test.ts", "saga.test.ts", "concurrency.test.ts", "request.test.ts", "writer.test.ts"],
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

const caseLabel = /^case "[^"]+":(?:\s*\{)?$/;

/** Runs of consecutive case labels, one handler each, leaving out those that only hand on. */
export function handlers(text: string): number {
  const lines = text
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "" && !line.startsWith("//"));
  let count = 0;
  for (let i = 0; i < lines.length; i += 1) {
    if (!caseLabel.test(lines[i] ?? "")) continue;
    while (caseLabel.test(lines[i + 1] ?? "")) i += 1;
    const handsOn = /^return \w+\(.*\);$/.test(lines[i + 1] ?? "") && /^(?:case |default:|\})/.test(lines[i + 2] ?? "");
    if (!handsOn) count += 1;
  }
  return count;
}

/** Handlers named by hand: each must be a function the side's files export. */
export function namedHandlers(names: readonly string[], texts: readonly string[]): number {
  for (const name of names) {
    const exported = new RegExp(`^export (?:async )?function ${name}\\b`, "m");
    if (!texts.some((text) => exported.test(text))) throw new RangeError(`handler ${name} is not an exported function of the side's files`);
  }
  return names.length;
}

export function testCount(text: string): number {
  return (text.match(/^\s*(?:test|pureTest)\(/gm) ?? []).length;
}

function read(file: string): string {
  return readFileSync(path.join(rootDir, file), "utf8");
}

export function featureCost(comparison: FeatureComparison, side: FeatureSide): FeatureCost {
  const sources = side.sources.map((file) => read(path.join(comparison.src, file)));
  return {
    files: sources.length,
    linesOfCode: sources.reduce((sum, text) => sum + linesOfCode(text), 0),
    eventTypes: sources.reduce((sum, text) => sum + eventTypes(text), 0),
    handlers: side.handlers ? namedHandlers(side.handlers, sources) : sources.reduce((sum, text) => sum + handlers(text), 0),
    tests: side.tests.map((file) => read(path.join(comparison.tests, file))).reduce((sum, text) => sum + testCount(text), 0),
  };
}

export const TABLE_START = "<!-- feature-cost: computed by kit/harness/feature-cost.ts; kit/tests/feature-cost.test.ts checks it -->";
export const TABLE_END = "<!-- /feature-cost -->";

/** The Markdown table a README prints, markers included. */
export function featureCostTable(comparison: FeatureComparison): string {
  const [left, right] = comparison.sides.map((side) => featureCost(comparison, side)) as [FeatureCost, FeatureCost];
  const row = (name: string, key: keyof FeatureCost) => `| ${name} | ${left[key]} | ${right[key]} |`;
  const files = (side: FeatureSide) => side.sources.map((file) => `\`${file}\``).join(", ");
  const handlersRow = (side: FeatureSide, cost: FeatureCost) => (side.handlers ? `${cost.handlers} (${side.handlers.map((name) => `\`${name}\``).join(", ")})` : `${cost.handlers}`);
  return [
    TABLE_START,
    `| ${comparison.feature} | ${comparison.sides[0].label} | ${comparison.sides[1].label} |`,
    "|---|---|---|",
    row("files", "files"),
    row("lines of code", "linesOfCode"),
    row("event types", "eventTypes"),
    `| handlers | ${handlersRow(comparison.sides[0], left)} | ${handlersRow(comparison.sides[1], right)} |`,
    row("tests", "tests"),
    `| counted in (\`src/\`) | ${files(comparison.sides[0])} | ${files(comparison.sides[1])} |`,
    TABLE_END,
  ].join("\n");
}
