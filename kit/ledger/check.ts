/**
 * Checks the declared ledger against a run of the solutions: every declared cell has a
 * passing test that proves it, and no test claims a cell the ledger does not declare.
 */
import type { Problem } from "../harness/integrity.ts";
import type { RunResults, TestRecord } from "../harness/results.ts";
import type { Cell, Guarantee } from "./types.ts";

export interface Proof {
  file: string;
  name: string;
  state: TestRecord["state"];
}

export interface ProvenCell extends Cell {
  proofs: Proof[];
}

export function proveCells(cells: Cell[], results: RunResults | undefined): ProvenCell[] {
  return cells.map((cell) => ({
    ...cell,
    proofs: (results?.tests ?? [])
      .filter((test) => test.step === cell.step && test.ledger.some((claim) => claim.guarantee === cell.guarantee && claim.design === cell.design && claim.verdict === cell.verdict))
      .map((test) => ({ file: test.file, name: test.name, state: test.state })),
  }));
}

export function checkLedger(guarantees: Guarantee[], steps: string[], cells: Cell[], results: RunResults, existingSteps: string[]): Problem[] {
  const problems: Problem[] = [];
  const guaranteeIds = new Set(guarantees.map((guarantee) => guarantee.id));
  const seen = new Set<string>();

  for (const step of steps) {
    if (!existingSteps.includes(step)) problems.push({ step, message: `the ledger has a column for step ${step}, which has no folder in exercises/` });
    for (const guarantee of guarantees) {
      if (!cells.some((cell) => cell.step === step && cell.guarantee === guarantee.id)) {
        problems.push({ step, message: `the ledger says nothing about "${guarantee.id}" in ${step}: add a cell (n/a with a reason if it does not apply)` });
      }
    }
  }

  for (const cell of proveCells(cells, results)) {
    const where = `ledger cell (${cell.guarantee}, ${cell.step}, ${cell.design})`;
    const key = `${cell.guarantee}|${cell.step}|${cell.design}`;
    if (seen.has(key)) problems.push({ step: cell.step, message: `${where} is declared twice` });
    seen.add(key);
    if (!guaranteeIds.has(cell.guarantee)) problems.push({ step: cell.step, message: `${where} names an unknown guarantee` });
    if (!steps.includes(cell.step)) problems.push({ step: cell.step, message: `${where} is in a step the ledger has no column for` });
    if (!cell.why.trim()) problems.push({ step: cell.step, message: `${where} needs a one-line why` });
    if (cell.verdict === "n/a") continue;
    if (cell.proofs.length === 0) problems.push({ step: cell.step, message: `${where} declares "${cell.verdict}" but no test proves it: tag one with proves("${cell.guarantee}", "${cell.design}", "${cell.verdict}")` });
    for (const proof of cell.proofs.filter((proof) => proof.state !== "passed")) {
      problems.push({ step: cell.step, message: `${where} is contradicted: its proof "${proof.name}" (${proof.file}) ${proof.state === "failed" ? "fails" : "did not run"}` });
    }
  }

  for (const test of results.tests) {
    for (const claim of test.ledger) {
      const declared = cells.find((cell) => cell.step === test.step && cell.guarantee === claim.guarantee && cell.design === claim.design);
      if (!declared) {
        problems.push({ step: test.step, message: `"${test.name}" (${test.file}) claims (${claim.guarantee}, ${test.step}, ${claim.design}) = ${claim.verdict}, which the ledger does not declare` });
      } else if (declared.verdict !== claim.verdict) {
        problems.push({ step: test.step, message: `"${test.name}" (${test.file}) claims ${claim.design} ${claim.verdict === "holds" ? "keeps" : "breaks"} "${claim.guarantee}", the ledger says ${declared.verdict}` });
      }
    }
  }
  return problems;
}
