/**
 * Two rules of the kit's layout, read from the source: kit/ never imports a step (the kit must
 * work whatever state an attendee's exercises are in, and must not lean on the solutions), and
 * no module imports itself round a loop.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { findTangles, importSpecifiers, resolveSpecifier } from "../harness/imports.ts";
import { rootDir } from "../harness/paths.ts";

describe("reading the import graph", () => {
  test("GIVEN every form of import WHEN read THEN each specifier is found, and commented-out ones are not", () => {
    // Spelled so that this file's own scan does not take the examples for its imports.
    const dynamic = "import";
    const source = [
      'import { a } from "./a.ts";',
      'import type { B } from "../b.ts";',
      'import "./side-effect.ts";',
      'export { c } from "#kit/c";',
      "export * from './d.ts';",
      `type E = typeof ${dynamic}("../../solutions/07-replay/src/e.ts");`,
      `const f = await ${dynamic}("./f.ts");`,
      '// import { g } from "./g.ts";',
      '/* import { h } from "./h.ts"; */',
      'const path = "see http://example.org"; import {',
      '  i,',
      '} from "./i.ts";',
    ].join("\n");
    expect(importSpecifiers(source)).toEqual(["./a.ts", "../b.ts", "#kit/c", "./d.ts", "./i.ts", "./side-effect.ts", "../../solutions/07-replay/src/e.ts", "./f.ts"]);
  });

  test("GIVEN specifiers WHEN resolved from a file THEN relative ones and #kit/ name project files, packages none", () => {
    expect(resolveSpecifier("kit/commands/seed.ts", "../../solutions/07-replay/src/workload.ts")).toBe("solutions/07-replay/src/workload.ts");
    expect(resolveSpecifier("exercises/05-event-sourcing/test/a.test.ts", "#kit/testing")).toBe("kit/lib/testing.ts");
    expect(resolveSpecifier("kit/lib/kafka.ts", "kafkajs")).toBeUndefined();
    expect(resolveSpecifier("kit/lib/kafka.ts", "node:path")).toBeUndefined();
  });

  test("GIVEN a graph with a two-module loop and a three-module loop WHEN searched THEN both are found, and a shared dependency is not a loop", () => {
    const graph = new Map([
      ["a", ["b", "shared"]],
      ["b", ["a", "shared"]],
      ["c", ["d"]],
      ["d", ["e", "shared"]],
      ["e", ["c"]],
      ["shared", []],
      // Entered at "q" (from "m"), the tangle still reads in name order.
      ["m", ["q"]],
      ["q", ["p"]],
      ["p", ["q"]],
      ["self", ["self"]],
    ]);
    expect(findTangles(graph)).toEqual([
      ["a", "b"],
      ["c", "d", "e"],
      ["p", "q"],
      ["self"],
    ]);
  });

  test("GIVEN a loop that passes through a file the search has already finished WHEN searched THEN that file is in the tangle", () => {
    // Depth-first from a: b is entered and finished (a→b→a) before c is; c→b then meets a
    // finished file, and a search that reports only back edges never sees the loop a→c→b→a.
    const graph = new Map([
      ["a", ["b", "c"]],
      ["b", ["a"]],
      ["c", ["b"]],
    ]);
    expect(findTangles(graph)).toEqual([["a", "b", "c"]]);
  });

  test("GIVEN a known tangle that grew a file WHEN compared with the known list THEN it is not known", () => {
    const known = ["x.ts ↔ y.ts"];
    const found = findTangles(new Map([["x.ts", ["y.ts"]], ["y.ts", ["x.ts", "z.ts"]], ["z.ts", ["y.ts"]]])).map(named);
    expect(found).toEqual(["x.ts ↔ y.ts ↔ z.ts"]);
    expect(found.filter((tangle) => !known.includes(tangle))).toEqual(["x.ts ↔ y.ts ↔ z.ts"]);
  });
});

/**
 * Tangles (files that import each other, directly or round a longer loop) in code landing from
 * other branches (step 09, and the services' hardening), found in main before this check merged.
 * Each is allowed only as exactly these files: a new file joining one, or a new tangle, fails.
 * One that no longer exists (its branch broke it) is only reported, so that branch can land
 * without touching this list; remove it from here then.
 */
const knownTangles = [
  "exercises/09-exactly-once/src/commands.ts ↔ exercises/09-exactly-once/src/idempotency.ts",
  "solutions/09-exactly-once/src/commands.ts ↔ solutions/09-exactly-once/src/idempotency.ts",
  "kit/services/checkup.ts ↔ kit/services/docker-doctor.ts ↔ kit/services/kafka-identity.ts ↔ kit/services/node-version.ts",
];

/** A tangle as one line: its files in name order. */
function named(tangle: readonly string[]): string {
  return tangle.join(" ↔ ");
}

describe("the project's imports", () => {
  const files = ["kit", "exercises", "solutions"].flatMap((dir) => sourceFiles(dir));
  const graph = new Map(
    files.map((file) => {
      const imports = importSpecifiers(readFileSync(path.join(rootDir, file), "utf8")).flatMap((specifier) => resolveSpecifier(file, specifier) ?? []);
      return [file, imports] as const;
    }),
  );

  test("there are files to check", () => {
    expect(files.filter((file) => file.startsWith("kit/")).length).toBeGreaterThan(50);
    expect(files.filter((file) => file.startsWith("solutions/")).length).toBeGreaterThan(50);
  });

  test("kit/ never imports exercises/ or solutions/: npm run rebuild loads a step's code by path, through #kit/rebuild-contract", () => {
    const intoSteps = [...graph]
      .filter(([file]) => file.startsWith("kit/"))
      .flatMap(([file, imports]) => imports.filter((target) => /^(exercises|solutions)\//.test(target)).map((target) => `${file} imports ${target}`));
    expect(intoSteps).toEqual([]);
  });

  test("no import cycles in the kit, the exercises or the solutions (other than the known tangles, exactly)", () => {
    const tangles = findTangles(graph).map(named);
    const waiting = tangles.filter((tangle) => knownTangles.includes(tangle));
    if (waiting.length > 0) console.log(`import tangles still to break (known, listed in kit/tests/dependencies.test.ts):\n  ${waiting.join("\n  ")}`);
    const broken = knownTangles.filter((tangle) => !tangles.includes(tangle));
    if (broken.length > 0) console.log(`known import tangles no longer found: remove them from knownTangles in kit/tests/dependencies.test.ts:\n  ${broken.join("\n  ")}`);
    expect(tangles.filter((tangle) => !knownTangles.includes(tangle))).toEqual([]);
  });
});

/** The TypeScript files under `dir`, relative to the root; not kit/.state (run-time files). */
function sourceFiles(dir: string): string[] {
  return readdirSync(path.join(rootDir, dir), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(".ts"))
    .map((entry) => path.relative(rootDir, path.join(entry.parentPath, entry.name)).split(path.sep).join("/"))
    .filter((file) => !file.startsWith("kit/.state/") && !file.includes("/node_modules/"))
    .sort();
}
