/**
 * "What a feature costs", computed from the files: the counting rules on small texts, and each
 * step's README against its files, so that a table cannot drift from the code it describes.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { eventTypes, featureComparisons, featureCost, featureCostTable, handlers, linesOfCode, namedHandlers, testCount } from "../harness/feature-cost.ts";
import { exercisesDir, rootDir } from "../harness/paths.ts";

describe("what a feature costs: the counting rules", () => {
  test("lines of code leave out blank lines, line comments and comment blocks, and keep code around them", () => {
    const text = ["/**", " * A doc comment.", " */", "import x from 'y';", "", "// why", "const a = 1; // trailing", "/* one line */", "  return a;", ""].join("\n");
    expect(linesOfCode(text)).toBe(3);
  });

  test("event types are the names in an exported …EventTypes list; tests are test( calls", () => {
    expect(eventTypes('export const accountEventTypes = [\n  "A",\n  "B",\n] as const;\nexport const transferEventTypes = ["C"] as const;\nconst other = ["D"];')).toBe(3);
    expect(testCount('test("a", () => {});\n  test(\n"b", fn);\npureTest("c", fn);\n// test( in a comment is not at a line start? it is not: "// test("')).toBe(3);
  });

  test("handlers: a run of consecutive case labels is one, a run that only hands on is none; exported functions are not counted", () => {
    const text = [
      "switch (x) {",
      '  case "A":',
      '  case "B": {',
      "    return 1;",
      "  }",
      "  // a comment between cases",
      '  case "C":',
      "    return handleC(x);",
      '  case "D":',
      '  case "E":',
      "    return handOn(x, y);",
      "  default:",
      "    return unreachable(x);",
      "}",
      "export async function f() {}",
    ].join("\n");
    // A and B: one run, one handler. C, and D with E, only hand on: left out.
    expect(handlers(text)).toBe(1);
    expect(handlers('switch (step) {\n  case "finished":\n    return progress;\n}')).toBe(1);
  });

  test("named handlers must be functions the side's files export", () => {
    expect(namedHandlers(["open", "transfer"], ["export async function open() {}", "export function transfer() {}"])).toBe(2);
    expect(() => namedHandlers(["close"], ["export async function open() {}\nfunction close() {}"])).toThrow(/close/);
  });
});

describe.each(featureComparisons.map((comparison) => [comparison.step, comparison] as const))("what a feature costs in step %s", (step, comparison) => {
  test("each side's files exist and are counted", () => {
    for (const side of comparison.sides) {
      const cost = featureCost(comparison, side);
      expect(cost.files).toBe(side.sources.length);
      expect(cost.linesOfCode).toBeGreaterThan(0);
      expect(cost.tests).toBeGreaterThan(0);
    }
  });

  test("every source file of the solution and every test file of the step is in one side, the shared list or the list of others, once", () => {
    const listed = (pick: (side: { sources: string[]; tests: string[] }) => string[]) => [
      ...comparison.sides.flatMap(pick),
      ...pick(comparison.shared),
      ...(comparison.other ? pick(comparison.other) : []),
    ];
    const sources = readdirSync(path.join(rootDir, comparison.src), { recursive: true, encoding: "utf8" })
      .filter((file) => file.endsWith(".ts"))
      .map((file) => file.split(path.sep).join("/"));
    const tests = readdirSync(path.join(rootDir, comparison.tests), { encoding: "utf8" }).filter((file) => file.endsWith(".test.ts"));
    expect(sources.filter((file) => !listed((side) => side.sources).includes(file)), `files of ${comparison.src} in neither side, the shared list nor the others`).toEqual([]);
    expect(tests.filter((file) => !listed((side) => side.tests).includes(file)), `test files of ${comparison.tests} in neither side, the shared list nor the others`).toEqual([]);
    for (const all of [listed((side) => side.sources), listed((side) => side.tests)]) {
      expect(all.filter((file, i) => all.indexOf(file) !== i), "files listed twice").toEqual([]);
    }
  });

  test("the README prints the table the files give", () => {
    const readme = readFileSync(path.join(exercisesDir, step, "README.md"), "utf8");
    const expected = featureCostTable(comparison);
    expect(readme.includes(expected), `exercises/${step}/README.md must contain, exactly:\n\n${expected}\n`).toBe(true);
  });
});
