/**
 * #kit/bench — what a step's benchmarks use.
 *
 * A benchmark is a vitest file `exercises/NN-name/bench/*.bench.ts`: it runs a fixed workload
 * on the real services and `report`s what it measured. Numbers are printed and recorded, never
 * asserted: laptops and CI machines are too noisy for a timed test. A benchmark may assert
 * correctness (counts, hit ratios), which does not depend on the machine.
 *
 *   npm run bench        every step's benchmarks, full size, against the solutions
 *   npm run bench 02     one step's
 *   npm test             runs each one at a small size, so none of them rots
 */
import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { stateDir } from "../harness/paths.ts";

export type BenchMode = "full" | "smoke";

/** `full` under `npm run bench`; `smoke` (a small size) anywhere else. */
export function benchMode(): BenchMode {
  return process.env.KIT_BENCH === "full" ? "full" : "smoke";
}

/** The size of a workload: `full` under `npm run bench`, a hundredth of it (at least 1) when `npm test` smoke-runs it. */
export function benchSize(full: number): number {
  return benchMode() === "full" ? full : Math.max(1, Math.ceil(full / 100));
}

/** Runs `fn` once and says how long it took, in milliseconds. */
export async function measure<T>(fn: () => Promise<T> | T): Promise<{ ms: number; result: T }> {
  const start = performance.now();
  const result = await fn();
  return { ms: performance.now() - start, result };
}

/**
 * Times `operation` `count` times, one after another. One untimed call comes first: it pays
 * for connecting and warming up, which is not what the samples are about.
 */
export async function timeEach(count: number, operation: () => Promise<unknown>): Promise<number[]> {
  await operation();
  const samples: number[] = [];
  for (let i = 0; i < count; i++) samples.push((await measure(operation)).ms);
  return samples;
}

export interface Summary {
  count: number;
  min: number;
  median: number;
  p95: number;
  mean: number;
  max: number;
}

/** Order statistics of a list of samples (p95 by nearest rank). */
export function summarize(samples: readonly number[]): Summary {
  if (samples.length === 0) throw new RangeError("summarize needs at least one sample");
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (fraction: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1))]!;
  const middle = sorted.length / 2;
  const median = sorted.length % 2 === 1 ? sorted[Math.floor(middle)]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  return {
    count: sorted.length,
    min: sorted[0]!,
    median,
    p95: at(0.95),
    mean: sorted.reduce((sum, sample) => sum + sample, 0) / sorted.length,
    max: sorted[sorted.length - 1]!,
  };
}

/** Items per second, for `count` items done in `ms` milliseconds. */
export function perSecond(count: number, ms: number): number {
  return ms > 0 ? (count * 1000) / ms : Number.POSITIVE_INFINITY;
}

export interface BenchRow {
  label: string;
  value: number;
  unit: string;
}

/** Report rows for some statistics of a summary: "`label`, median", "`label`, p95", … */
export function summaryRows(label: string, summary: Summary, statistics: ReadonlyArray<Exclude<keyof Summary, "count">> = ["median", "p95"], unit = "ms"): BenchRow[] {
  return statistics.map((statistic) => ({ label: `${label}, ${statistic}`, value: summary[statistic], unit }));
}

export interface BenchReport {
  step: string;
  title: string;
  rows: BenchRow[];
  notes?: string[];
}

export interface RecordedBenchReport extends BenchReport {
  mode: BenchMode;
  machine: string;
  at: string;
}

/** The machine, in one line, so a figure is never quoted without where it was measured. */
export function machineLine(): string {
  const cpus = os.cpus();
  const model = cpus[0]?.model.trim() ?? "unknown CPU";
  const memoryGiB = Math.round(os.totalmem() / 2 ** 30);
  return `${cpus.length} cores (${model}), ${memoryGiB} GiB, ${os.platform()} ${os.arch()}, Node ${process.version}`;
}

export const benchResultsDir = path.join(stateDir, "bench");

/** Prints a report as a table and records it in kit/.state/bench/<step>/<title>.json. */
export function report(benchReport: BenchReport): RecordedBenchReport {
  const recorded: RecordedBenchReport = { ...benchReport, mode: benchMode(), machine: machineLine(), at: new Date().toISOString() };
  const folder = path.join(benchResultsDir, benchReport.step);
  mkdirSync(folder, { recursive: true });
  writeFileSync(path.join(folder, `${slug(benchReport.title)}.json`), `${JSON.stringify(recorded, null, 2)}\n`);
  console.log(formatReport(recorded));
  return recorded;
}

export function formatReport(recorded: RecordedBenchReport): string {
  const labelWidth = Math.max(...recorded.rows.map((row) => row.label.length), 5);
  const values = recorded.rows.map((row) => formatNumber(row.value));
  const valueWidth = Math.max(...values.map((value) => value.length), 5);
  const lines = [
    `${recorded.step} — ${recorded.title}${recorded.mode === "smoke" ? "  (small size: npm run bench measures the full one)" : ""}`,
    ...recorded.rows.map((row, index) => `  ${row.label.padEnd(labelWidth)}  ${values[index]!.padStart(valueWidth)} ${row.unit}`),
    ...(recorded.notes ?? []).map((note) => `  ${note}`),
    `  on ${recorded.machine}`,
  ];
  return lines.join("\n");
}

function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value)) return value.toLocaleString("en-US");
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : Math.abs(value) >= 1 ? 2 : 3;
  return value.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

function slug(title: string): string {
  return title.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "") || "report";
}
