/** The ledger as text for the terminal (and as JSON for machines and the hub). */
import type { Guarantee } from "./types.ts";
import type { ProvenCell } from "./check.ts";

const mark = { holds: "✓", broken: "✗", "n/a": "–" } as const;

export function ledgerAsJson(guarantees: Guarantee[], steps: string[], cells: ProvenCell[]) {
  return { guarantees, steps, cells };
}

export function ledgerAsText(guarantees: Guarantee[], steps: string[], cells: ProvenCell[], { proofs = true } = {}): string {
  const lines: string[] = [];
  const width = Math.max(...guarantees.map((guarantee) => guarantee.id.length));
  lines.push(`${"".padEnd(width)}  ${steps.map((step) => step.padEnd(10)).join(" ")}`);
  for (const guarantee of guarantees) {
    const row = steps.map((step) => summary(cells.filter((cell) => cell.guarantee === guarantee.id && cell.step === step)).padEnd(10));
    lines.push(`${guarantee.id.padEnd(width)}  ${row.join(" ")}`);
  }
  lines.push("", "✓ holds   ✗ broken   – does not apply   (✗✓: broken by one design of the step, kept by another)", "");

  for (const guarantee of guarantees) {
    lines.push(guarantee.title);
    for (const step of steps) {
      for (const cell of cells.filter((candidate) => candidate.guarantee === guarantee.id && candidate.step === step)) {
        lines.push(`  ${step}  ${mark[cell.verdict]} ${cell.design}: ${cell.why}`);
        if (proofs) {
          for (const proof of cell.proofs) lines.push(`           ${proof.state === "passed" ? "proven by" : `NOT PROVEN (${proof.state})`} ${proof.file} › ${proof.name}`);
          if (cell.verdict !== "n/a" && cell.proofs.length === 0) lines.push("           NOT PROVEN: no test claims this cell");
        }
      }
    }
    lines.push("");
  }
  return lines.join("\n");
}

function summary(cells: ProvenCell[]): string {
  if (cells.length === 0) return "?";
  const marks = [...new Set(cells.map((cell) => mark[cell.verdict]))];
  return marks.sort((a, b) => (a === "✗" ? -1 : b === "✗" ? 1 : 0)).join("");
}
