/**
 * The files a step carries over from an earlier one stay equal to their source: a fix made to
 * one (the inTransaction error listener once had to touch six files) cannot miss another.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { checkCopy, copySource, withoutHeader } from "../harness/copies.ts";
import { rootDir } from "../harness/paths.ts";

const header = (source: string) => `// Copy of ${source}: keep the two equal (the kit checks it).`;

describe("checking a copy", () => {
  const files: Record<string, string> = {
    "exercises/05-x/src/envelope.ts": "/** the envelope */\nexport const a = 1;\n",
    "exercises/05-x/src/processor.ts": "todo()\n",
    "solutions/05-x/src/processor.ts": "done()\n",
    "exercises/06-y/src/envelope.ts": `${header("exercises/05-x/src/envelope.ts")}\n/** the envelope */\nexport const a = 1;\n`,
    "exercises/06-y/src/processor.ts": `${header("exercises/05-x/src/processor.ts")}\ndone()\n`,
    "exercises/07-z/src/envelope.ts": `${header("exercises/06-y/src/envelope.ts")}\n/** the envelope */\nexport const a = 2;\n`,
    "exercises/07-z/src/gone.ts": `${header("exercises/05-x/src/gone.ts")}\nx\n`,
    "exercises/07-z/src/plain.ts": "// Copy of something, loosely\nx\n",
  };
  const read = (file: string) => files[file];

  test("GIVEN the header WHEN read THEN it names the source; any other first line names none", () => {
    expect(copySource(files["exercises/06-y/src/envelope.ts"]!)).toBe("exercises/05-x/src/envelope.ts");
    expect(copySource(files["exercises/07-z/src/plain.ts"]!)).toBeUndefined();
    expect(withoutHeader(files["exercises/06-y/src/envelope.ts"]!)).toBe(files["exercises/05-x/src/envelope.ts"]);
  });

  test("GIVEN copies WHEN checked THEN an equal copy (of an exercise, or of a task file's solution) passes, a changed one or one of a missing file does not", () => {
    const problems = Object.keys(files).flatMap((file) => checkCopy(file, read));
    expect(problems.map((problem) => `${problem.file}: ${problem.message.split(",")[0]}`)).toEqual([
      "exercises/07-z/src/envelope.ts: differs from exercises/06-y/src/envelope.ts",
      "exercises/07-z/src/gone.ts: says it is a copy of exercises/05-x/src/gone.ts",
    ]);
  });
});

describe("the steps' copies", () => {
  const files = ["exercises", "solutions"].flatMap((dir) => sourceFiles(dir));
  const read = (file: string) => (existsSync(path.join(rootDir, file)) ? readFileSync(path.join(rootDir, file), "utf8") : undefined);
  const copies = files.filter((file) => copySource(read(file)!) !== undefined);

  test("the copies carried from step to step are marked", () => {
    // The envelope, the event log, the input checks and inTransaction, in both folders.
    expect(copies.length).toBeGreaterThanOrEqual(28);
    expect(copies).toContain("exercises/06-projections/src/transactions.ts");
    expect(copies).toContain("solutions/08-errors-forever/src/event-log.ts");
  });

  test("every marked copy equals its source apart from its first line", () => {
    expect(copies.flatMap((file) => checkCopy(file, read)).map((problem) => `${problem.file}: ${problem.message}`)).toEqual([]);
  });

  test("a file that is byte for byte an earlier step's file says it is a copy", () => {
    const byStep = (file: string) => file.split("/")[1]!;
    const unmarked = files.flatMap((file) => {
      const text = read(file)!;
      if (copySource(text) !== undefined) return [];
      const twin = files.find((other) => byStep(other) < byStep(file) && other.split("/")[0] === file.split("/")[0] && withoutHeader(read(other)!) === text);
      return twin === undefined ? [] : [`${file} is ${twin}: give it the header "${header(twin.replace(/^solutions\//, "exercises/"))}"`];
    });
    expect(unmarked).toEqual([]);
  });
});

/** The source files of the steps (src/ only: tests and benchmarks are each step's own). */
function sourceFiles(dir: string): string[] {
  return readdirSync(path.join(rootDir, dir), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(".ts"))
    .map((entry) => path.relative(rootDir, path.join(entry.parentPath, entry.name)).split(path.sep).join("/"))
    .filter((file) => /^(exercises|solutions)\/\d\d-[a-z0-9-]+\/src\//.test(file))
    .sort();
}
