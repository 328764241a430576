/**
 * The ledger for the hub: the declared cells, each with the tests that claim it. The claims are
 * read from the test files themselves (`test("…", proves(g, d, v), …)`), so the page shows every
 * proof offline; the last run of the solutions (`npm test` keeps it) adds whether each passed.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { cells, guarantees, ledgerSteps } from "../ledger/guarantees.ts";
import type { Cell, Guarantee } from "../ledger/types.ts";
import type { RunResults } from "../harness/results.ts";
import { exercisesDir, latestSolutionResults, rootDir } from "../harness/paths.ts";

export interface StaticProof {
  file: string;
  /** The test's own title, as written in the file. */
  title: string;
  guarantee: string;
  design: string;
  verdict: string;
}

export interface LedgerProof extends StaticProof {
  /** From the last run of the solutions, if there is one. */
  state: "passed" | "failed" | "skipped" | "pending" | "not run";
}

export interface LedgerView {
  guarantees: Guarantee[];
  steps: string[];
  cells: Array<Cell & { proofs: LedgerProof[] }>;
  lastRun?: string;
}

const claim = /test\(\s*(["'`])((?:\\.|(?!\1)[^\\])*)\1\s*,\s*proves\(\s*["']([^"']+)["']\s*,\s*["']([^"']+)["']\s*,\s*["']([^"']+)["']\s*\)/g;

export function findClaims(source: string, file: string): StaticProof[] {
  return [...source.matchAll(claim)].map((match) => ({
    file,
    title: match[2]!.replace(/\\(.)/g, "$1"),
    guarantee: match[3]!,
    design: match[4]!,
    verdict: match[5]!,
  }));
}

export function scanClaims(): StaticProof[] {
  if (!existsSync(exercisesDir)) return [];
  return readdirSync(exercisesDir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(".test.ts"))
    .flatMap((entry) => {
      const full = path.join(entry.parentPath, entry.name);
      return findClaims(readFileSync(full, "utf8"), path.relative(rootDir, full).replaceAll("\\", "/"));
    });
}

export function ledgerView(claims = scanClaims(), results = readSolutionRun()): LedgerView {
  return {
    guarantees,
    steps: ledgerSteps,
    cells: cells.map((cell) => ({
      ...cell,
      proofs: claims
        .filter((proof) => proof.file.startsWith(`exercises/${cell.step}/`) && proof.guarantee === cell.guarantee && proof.design === cell.design && proof.verdict === cell.verdict)
        .map((proof) => ({ ...proof, state: results?.tests.find((test) => test.file === proof.file && test.name.endsWith(proof.title))?.state ?? "not run" })),
    })),
    ...(results ? { lastRun: results.finishedAt } : {}),
  };
}

function readSolutionRun(): RunResults | undefined {
  try {
    return JSON.parse(readFileSync(latestSolutionResults, "utf8")) as RunResults;
  } catch {
    return undefined;
  }
}

const marks = { holds: "✓", broken: "✗", "n/a": "–" } as const;

/** The ledger as a compact table for a slide (the ```ledger block): a mark per design, its why on hover. */
export function compactLedgerTable(view: LedgerView = ledgerView()): string {
  const escape = (text: string) => text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll('"', "&quot;");
  // Eight steps and more do not fit a slide as "05-event-sourcing": the number on top, the
  // name below in small type that may wrap at its hyphens' places, the full id on hover.
  const stepHead = (step: string) =>
    `<th title="${escape(step)}"><span class="step-number">${escape(step.slice(0, 2))}</span><span class="step-name">${escape(step.slice(3).replaceAll("-", " "))}</span></th>`;
  const head = `<tr><th></th>${view.steps.map(stepHead).join("")}</tr>`;
  const rows = view.guarantees.map((guarantee) => {
    const cellsHtml = view.steps.map((step) => {
      const cells = view.cells.filter((cell) => cell.guarantee === guarantee.id && cell.step === step);
      const body = cells.map((cell) => `<span class="ledger-mark ${cell.verdict === "n/a" ? "na" : cell.verdict}" title="${escape(`${cell.design}: ${cell.why}`)}">${marks[cell.verdict]}</span>`).join(" ");
      return `<td>${body || "?"}</td>`;
    });
    return `<tr><th scope="row">${escape(guarantee.title)}</th>${cellsHtml.join("")}</tr>`;
  });
  return `<table class="ledger-compact">${head}${rows.join("")}</table>`;
}
