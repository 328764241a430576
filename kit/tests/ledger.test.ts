import { describe, expect, test } from "vitest";
import { checkLedger, proveCells } from "../ledger/check.ts";
import { ledgerAsText } from "../ledger/format.ts";
import { cells as declaredCells, guarantees as declaredGuarantees, ledgerSteps } from "../ledger/guarantees.ts";
import type { RunResults, TestRecord } from "../harness/results.ts";
import type { Cell, Guarantee } from "../ledger/types.ts";

const guarantees: Guarantee[] = [{ id: "no-lost-updates", title: "No lost updates" }];
const cells: Cell[] = [
  { guarantee: "no-lost-updates", step: "01-crud", design: "naive", verdict: "broken", why: "read-modify-write" },
  { guarantee: "no-lost-updates", step: "01-crud", design: "atomic update", verdict: "holds", why: "one statement" },
];

function proof(design: string, verdict: "holds" | "broken", state: TestRecord["state"] = "passed"): TestRecord {
  return { step: "01-crud", file: "exercises/01-crud/test/t.test.ts", name: `${design} ${verdict}`, kind: "tradeoff", state, errors: [], ledger: [{ guarantee: "no-lost-updates", design, verdict }], durationMs: 1 };
}

function run(tests: TestRecord[]): RunResults {
  return { target: "solutions", finishedAt: "", tests, moduleErrors: [], unhandledErrors: [] };
}

describe("the ledger check", () => {
  test("every cell proven by a passing test: no problem", () => {
    expect(checkLedger(guarantees, ["01-crud"], cells, run([proof("naive", "broken"), proof("atomic update", "holds")]), ["01-crud"])).toEqual([]);
  });

  test("a declared cell without a proof fails", () => {
    const problems = checkLedger(guarantees, ["01-crud"], cells, run([proof("naive", "broken")]), ["01-crud"]);
    expect(problems.map((problem) => problem.message)).toEqual([expect.stringContaining('(no-lost-updates, 01-crud, atomic update) declares "holds" but no test proves it')]);
  });

  test("a failing proof contradicts its cell", () => {
    const problems = checkLedger(guarantees, ["01-crud"], cells, run([proof("naive", "broken"), proof("atomic update", "holds", "failed")]), ["01-crud"]);
    expect(problems.map((problem) => problem.message)).toEqual([expect.stringContaining("is contradicted")]);
  });

  test("a test claiming the opposite verdict, or an undeclared cell, fails", () => {
    const problems = checkLedger(guarantees, ["01-crud"], cells, run([proof("naive", "broken"), proof("atomic update", "holds"), proof("naive", "holds"), proof("row lock", "holds")]), ["01-crud"]);
    expect(problems.map((problem) => problem.message)).toEqual([
      expect.stringContaining("claims naive keeps \"no-lost-updates\", the ledger says broken"),
      expect.stringContaining("(no-lost-updates, 01-crud, row lock) = holds, which the ledger does not declare"),
    ]);
  });

  test("a step column must say something about every guarantee", () => {
    const problems = checkLedger([...guarantees, { id: "full-history", title: "Full history" }], ["01-crud"], cells, run([proof("naive", "broken"), proof("atomic update", "holds")]), ["01-crud"]);
    expect(problems.map((problem) => problem.message)).toEqual([expect.stringContaining('says nothing about "full-history" in 01-crud')]);
  });

  test("the text table marks a step that breaks with one design and keeps with another", () => {
    const text = ledgerAsText(guarantees, ["01-crud"], proveCells(cells, run([proof("naive", "broken"), proof("atomic update", "holds")])));
    expect(text).toContain("no-lost-updates  ✗✓");
    expect(text).toContain("proven by exercises/01-crud/test/t.test.ts › atomic update holds");
  });
});

describe("the declared ledger", () => {
  test("names known guarantees and steps, and gives every cell a why", () => {
    const ids = new Set(declaredGuarantees.map((guarantee) => guarantee.id));
    for (const cell of declaredCells) {
      expect(ids.has(cell.guarantee), cell.guarantee).toBe(true);
      expect(ledgerSteps).toContain(cell.step);
      expect(cell.why.trim().length, `${cell.guarantee}/${cell.step}`).toBeGreaterThan(0);
    }
  });
});
