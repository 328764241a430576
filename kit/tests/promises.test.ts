/**
 * Nothing promised that is not there: the READMEs, the decks and the ledger name only steps
 * that exist, and never "a later step" without saying which.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { bareNamesOfMissingSteps, linksToMissingSteps, namesOfMissingSteps, vaguePromises } from "../harness/promises.ts";
import { rootDir } from "../harness/paths.ts";
import { listSteps } from "../harness/steps.ts";
import { listDeckNames } from "../hub/deck-check.ts";

/**
 * Steps being built on other branches: links to them and their names are allowed while their
 * folder is missing, and checked like any other once it is there.
 * 11-cluster was built (issue 13) and taken out again before landing: its wiped-disk tests were
 * not yet deterministic. It is in the history (git log --grep "step 11"); remove it here once it lands.
 */
const landing = ["11-cluster"];

describe("the promise checks", () => {
  test("GIVEN vague promises WHEN checked THEN each is found with its line; a named step is not a vague promise", () => {
    const text = "Fixed in a later step.\nThe next step shows it, and later steps too.\nStep 06 shows it.\nThe next steps of the relay";
    expect(vaguePromises("x.md", text).map((problem) => `${problem.line}: ${problem.message.split(" promises")[0]}`)).toEqual([
      '1: "a later step"',
      '2: "The next step"',
      '2: "later steps"',
      '4: "The next steps"',
    ]);
  });

  test("GIVEN a vague promise hard-wrapped over two lines WHEN checked THEN it is found, on the line where it starts", () => {
    const text = "One line.\nThe fix comes in a later\nstep, with its test.";
    expect(vaguePromises("x.md", text).map((problem) => `${problem.line}: ${problem.message.split(" promises")[0]}`)).toEqual(['2: "a later step"']);
  });

  test("GIVEN steps named by number alone WHEN checked THEN a number that is no step's is a problem, in lists and ranges too", () => {
    const text = "Step 05 shows it.\nsteps 09 and 12 fix it;\nsee steps 04–13, and step 5 is not a number of two digits";
    expect(bareNamesOfMissingSteps("x.md", text, new Set(["04", "05", "09"])).map((problem) => `${problem.line}: ${problem.message}`)).toEqual([
      "2: names step 12, which does not exist",
      "3: names step 13, which does not exist",
    ]);
  });

  test("GIVEN links to steps WHEN checked THEN a missing step's folder is a problem, from a README's or a deck's folder and in the hub's form", () => {
    const steps = new Set(["01-crud"]);
    const text = [
      "[ok](../01-crud/README.md) [gone](../09-nope/README.md)",
      "[hub](/steps/09-nope) [hub ok](/steps/01-crud)",
      "[web](https://kafka.apache.org) [anchor](#tasks) [file](src/wallet.ts)",
    ].join("\n");
    expect(linksToMissingSteps("exercises/01-crud/README.md", text, steps).map((problem) => `${problem.line}: ${problem.message}`)).toEqual([
      "1: links to step 09-nope, which does not exist",
      "2: links to step 09-nope, which does not exist",
    ]);
    const fromDeck = '[x](../exercises/09-nope/test/a.test.ts "test: x") [ok](../exercises/01-crud/README.md)';
    expect(linksToMissingSteps("slides/02-log.md", fromDeck, steps).map((problem) => problem.message)).toEqual(["links to step 09-nope, which does not exist"]);
  });

  test("GIVEN step ids written out WHEN checked THEN only those with a step's number that name no step are problems", () => {
    const known = new Set(["01-crud", "02-log"]);
    const text = "see 01-crud and 02-log, not 01-crude; openjdk-17-jdk and 2026-12 are not steps; exercises/01-crud/x is a path";
    expect(namesOfMissingSteps("x.md", text, known, new Set(["01", "02"])).map((problem) => problem.message)).toEqual(["names 01-crude, which is neither a step nor a deck"]);
  });
});

describe("the documents promise only what is there", () => {
  const steps = listSteps().map((step) => step.id);
  const pending = landing.filter((id) => !steps.includes(id));
  const known = new Set([...steps, ...pending, ...listDeckNames()]);
  const highest = Math.max(...[...steps, ...landing].map((id) => Number(id.slice(0, 2))));
  const stepNumbers = new Set(Array.from({ length: highest + 2 }, (_, n) => String(n).padStart(2, "0")));
  const documents = [
    "README.md",
    "kit/README.md",
    ...listMarkdown("slides"),
    ...steps.map((id) => `exercises/${id}/README.md`),
    ...listFiles("kit/ledger/columns", ".ts"),
    "kit/ledger/guarantees.ts",
  ].filter((file) => existsSync(path.join(rootDir, file)));

  test("there are documents to check", () => {
    expect(documents.length).toBeGreaterThan(steps.length + 5);
    if (pending.length < landing.length) console.log(`landed: ${landing.filter((id) => steps.includes(id)).join(", ")} — remove from the landing list in kit/tests/promises.test.ts`);
  });

  test.each(documents)("%s promises no unnamed step, and names and links only steps that exist", (file) => {
    const text = readFileSync(path.join(rootDir, file), "utf8");
    const problems = [
      ...vaguePromises(file, text),
      ...linksToMissingSteps(file, text, new Set([...steps, ...pending])),
      ...namesOfMissingSteps(file, text, known, stepNumbers),
      ...bareNamesOfMissingSteps(file, text, new Set([...steps, ...pending].map((id) => id.slice(0, 2)))),
    ];
    expect(problems.map((problem) => `${problem.file}:${problem.line}: ${problem.message}`)).toEqual([]);
  });
});

function listMarkdown(dir: string): string[] {
  return listFiles(dir, ".md");
}

function listFiles(dir: string, ending: string): string[] {
  const full = path.join(rootDir, dir);
  if (!existsSync(full)) return [];
  return readdirSync(full)
    .filter((name) => name.endsWith(ending))
    .sort()
    .map((name) => `${dir}/${name}`);
}
