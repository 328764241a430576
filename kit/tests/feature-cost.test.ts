/**
 * "What a feature costs", computed from the files: the counting rules on small texts, and each
 * step's README against its files, so that a table cannot drift from the code it describes.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { eventTypes, featureComparisons, featureCost, featureCostTable, handlers, linesOfCode, testCount } from "../harness/feature-cost.ts";
import { exercisesDir } from "../harness/paths.ts";

describe("what a feature costs: the counting rules", () => {
  test("lines of code leave out blank lines, line comments and comment blocks, and keep code around them", () => {
    const text = ["/**", " * A doc comment.", " */", "import x from 'y';", "", "// why", "const a = 1; // trailing", "/* one line */", "  return a;", ""].join("\n");
    expect(linesOfCode(text)).toBe(3);
  });

  test("event types are the names in an exported …EventTypes list; handlers are case labels and exported async functions; tests are test( calls", () => {
    expect(eventTypes('export const accountEventTypes = [\n  "A",\n  "B",\n] as const;\nexport const transferEventTypes = ["C"] as const;\nconst other = ["D"];')).toBe(3);
    expect(handlers('switch (x) {\n  case "A":\n  case "B":\n    return 1;\n}\nexport async function f() {}\nexport function g() {}\nasync function h() {}')).toBe(3);
    expect(testCount('test("a", () => {});\n  test(\n"b", fn);\npureTest("c", fn);\n// test( in a comment is not at a line start? it is not: "// test("')).toBe(3);
  });
});

describe.each(featureComparisons.map((comparison) => [comparison.step, comparison] as const))("what a feature costs in step %s", (step, comparison) => {
  test("each side's files exist and are counted", () => {
    for (const side of comparison.sides) {
      const cost = featureCost(side);
      expect(cost.files).toBe(side.sources.length);
      expect(cost.linesOfCode).toBeGreaterThan(0);
      expect(cost.tests).toBeGreaterThan(0);
    }
  });

  test("the README prints the table the files give", () => {
    const readme = readFileSync(path.join(exercisesDir, step, "README.md"), "utf8");
    const expected = featureCostTable(comparison);
    expect(readme.includes(expected), `exercises/${step}/README.md must contain, exactly:\n\n${expected}\n`).toBe(true);
  });
});
