/** The scoreboard as text: the table `npm run bench` ends with, its ceilings, its crash footnotes, and the change since the previous run. */
import { ceilingLabel } from "./ceilings.ts";
import { crashCost, crashSummary } from "./crash.ts";
import type { ScoreboardRun } from "./record.ts";
import { measures, measureTitles, type Figure } from "./run.ts";

export function formatFigure(figure: Figure | undefined): string {
  if (!figure) return "—";
  if ("missing" in figure) return figure.missing;
  return `${formatNumber(figure.value)}${figure.unit === "ms" ? " ms" : ""}`;
}

export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (value === 0) return "0";
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : Math.abs(value) >= 1 ? 2 : 3;
  return value.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

export function sizeLine(run: ScoreboardRun): string {
  const { workload, concurrency, mode } = run.size;
  return `${mode} size: ${workload.accounts} accounts, ${workload.operations} operations after the openings (seed ${workload.seed}), ${concurrency} clients in the throughput pass`;
}

export function machineSentence(run: ScoreboardRun): string {
  return `${run.kind === "reference" ? "the kit's reference run, " : ""}${new Date(run.at).toISOString().slice(0, 16).replace("T", " ")} UTC on ${run.machine.line}, load ${run.machine.loadAtStart.toFixed(1)} → ${run.machine.loadAtEnd.toFixed(1)}`;
}

export function formatScoreboard(run: ScoreboardRun, previous?: ScoreboardRun): string {
  const header = ["architecture", ...measures.map((measure) => measureTitles[measure]), "crash in the middle"];
  // The crash cell as the ledger and this machine's last run of the solutions say now.
  const rows = run.architectures.map((row) => [`${row.step.slice(0, 2)} ${row.architecture}`, ...measures.map((measure) => formatFigure(row.figures[measure])), crashSummary(crashCost(row.step, row.crash.design))]);
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const line = (cells: string[]) => cells.map((cell, column) => (column === 0 || column === cells.length - 1 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join("  ").trimEnd();
  const lines = [
    `The scoreboard — one seeded wallet workload on every architecture (${sizeLine(run)})`,
    `  ${machineSentence(run)}`,
    "",
    `  ${line(header)}`,
    ...rows.map((row) => `  ${line(row)}`),
    "",
    `  ceilings, same run: ${run.ceilings.map((ceiling) => `${ceilingLabel(ceiling)} ${formatNumber(ceiling.value)} ${ceiling.unit}`).join(" · ")}`,
    "  write: call → acknowledged · read: one balance query · stale: ack → the first read that shows the write (0: the first read after the ack did)",
    ...run.architectures.filter((row) => row.failure).map((row) => `  ${row.step}: the run failed: ${row.failure}`),
    "  crash in the middle, from each step's own fault test (the ledger's survives-crash cell):",
    ...run.architectures.map((row) => `    ${row.step} (${row.crash.design}): ${row.crash.why}${row.crash.proof ? ` — ${row.crash.proof.file}` : ""}`),
  ];
  if (previous) lines.push("", ...formatComparison(run, previous));
  return lines.join("\n");
}

/** Each architecture's write median and throughput against the previous run of the same size. */
export function formatComparison(run: ScoreboardRun, previous: ScoreboardRun): string[] {
  const ratio = (now: Figure | undefined, before: Figure | undefined) =>
    now && before && "value" in now && "value" in before ? `${formatFigure(now)} (was ${formatFigure(before)})` : "not comparable";
  return [
    `  compared with the previous ${previous.size.mode} run (${machineSentence(previous)}):`,
    ...run.architectures.map((row) => {
      const before = previous.architectures.find((candidate) => candidate.step === row.step);
      if (!before) return `    ${row.step}: not in that run`;
      return `    ${row.step}: write median ${ratio(row.figures.writeMedian, before.figures.writeMedian)} · writes/s ${ratio(row.figures.throughput, before.figures.throughput)} · stale p95 ${ratio(row.figures.staleP95, before.figures.staleP95)}`;
    }),
  ];
}
