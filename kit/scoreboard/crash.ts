/**
 * The crash column is not measured again here: it is the step's ledger cell for
 * "survives-crash" (the design the adapter names), whose fault test forces the crash at an
 * exact point and records what it cost. The figure quoted is that cell's, and the proof's
 * state is the one the last run of the solutions recorded (npm test keeps it).
 */
import { readFileSync } from "node:fs";
import { proveCells } from "../ledger/check.ts";
import { cells } from "../ledger/guarantees.ts";
import type { RunResults } from "../harness/results.ts";
import { latestSolutionResults } from "../harness/paths.ts";
import type { CrashCost } from "./record.ts";

export function crashCost(step: string, design: string, results = readSolutionResults()): CrashCost {
  const cell = proveCells(cells, results).find((candidate) => candidate.guarantee === "survives-crash" && candidate.step === step && candidate.design === design);
  if (!cell) return { verdict: "undeclared", design, why: `the ledger has no survives-crash cell for "${design}" in ${step}` };
  const proof = cell.proofs[0];
  return {
    verdict: cell.verdict,
    design,
    why: cell.why,
    ...(proof ? { proof: { file: proof.file, name: proof.name, state: proof.state, ...(results ? { ranAt: results.finishedAt } : {}) } } : {}),
  };
}

/** The crash cell in the table's few words; its why (the figure the fault test recorded) is a footnote. */
export function crashSummary(crash: CrashCost): string {
  const proof = crash.proof ? (crash.proof.state === "passed" ? "" : ` (proof ${crash.proof.state})`) : " (no proof run yet)";
  switch (crash.verdict) {
    case "holds":
      return `none lost or doubled${proof}`;
    case "broken":
      return `broken${proof}`;
    case "n/a":
      return "n/a";
    case "undeclared":
      return "not in the ledger";
  }
}

function readSolutionResults(): RunResults | undefined {
  try {
    return JSON.parse(readFileSync(latestSolutionResults, "utf8")) as RunResults;
  } catch {
    return undefined;
  }
}
