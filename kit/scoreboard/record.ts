/**
 * A scoreboard run as it is kept: kit/.state/scoreboard/latest.json and one file per run in
 * kit/.state/scoreboard/runs/, each with the machine's description (cores, memory, Node, and
 * the load while it ran: the machine may be shared), so that two runs — or two laptops — can
 * be compared. kit/scoreboard/reference.json is one such run, checked in, which the hub and
 * the closing deck show, marked as the kit's reference, until this machine has a run of its own.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { machineLine } from "../lib/bench.ts";
import { kitDir, stateDir } from "../harness/paths.ts";
import type { Ceiling } from "./ceilings.ts";
import type { ArchitectureFigures, Figure, Measure, ScoreboardSize } from "./run.ts";

export interface MachineDescription {
  /** cores, CPU, memory, platform, Node: as every benchmark prints it. */
  line: string;
  cores: number;
  /** The 1-minute load average when the run started and when it ended (0 on Windows, which has none). */
  loadAtStart: number;
  loadAtEnd: number;
}

/** What a crash in the middle costs: the step's ledger cell for "survives-crash", and its proof. */
export interface CrashCost {
  verdict: "holds" | "broken" | "n/a" | "undeclared";
  design: string;
  why: string;
  /** The step's own fault test that proves it, and how it did in the last run of the solutions. */
  proof?: { file: string; name: string; state: string; ranAt?: string };
}

export interface ArchitectureResult {
  step: string;
  architecture: string;
  path: string;
  figures: Record<Measure, Figure>;
  counts?: ArchitectureFigures["counts"];
  crash: CrashCost;
  /** Set when the architecture's run failed: every figure then says so. */
  failure?: string;
}

export interface ScoreboardRun {
  /** "run": measured on this machine; "reference": the kit's checked-in run from its authors' machine. */
  kind: "run" | "reference";
  at: string;
  machine: MachineDescription;
  size: ScoreboardSize;
  ceilings: Ceiling[];
  architectures: ArchitectureResult[];
}

export const scoreboardDir = path.join(stateDir, "scoreboard");
export const latestScoreboard = path.join(scoreboardDir, "latest.json");
export const referenceScoreboard = path.join(kitDir, "scoreboard", "reference.json");

export function describeMachine(loadAtStart: number): MachineDescription {
  return { line: machineLine(), cores: os.cpus().length, loadAtStart, loadAtEnd: os.loadavg()[0]! };
}

export function currentLoad(): number {
  return os.loadavg()[0]!;
}

/** Keeps the run as the latest one and in the history; returns the history file's path. */
export function saveRun(run: ScoreboardRun, folder = scoreboardDir): string {
  const runs = path.join(folder, "runs");
  mkdirSync(runs, { recursive: true });
  const text = `${JSON.stringify(run, null, 2)}\n`;
  const file = path.join(runs, `${run.at.replaceAll(":", "-")}-${run.size.mode}.json`);
  writeFileSync(file, text);
  writeFileSync(path.join(folder, "latest.json"), text);
  return file;
}

export function readRun(file: string): ScoreboardRun | undefined {
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, "utf8")) as ScoreboardRun;
  } catch {
    return undefined;
  }
}

/** The latest run on this machine, or else the kit's reference run. */
export function scoreboardToShow(): ScoreboardRun | undefined {
  return readRun(latestScoreboard) ?? readRun(referenceScoreboard);
}

/** The run before `run` of the same size on this machine, to compare with. */
export function previousRun(run: ScoreboardRun, folder = scoreboardDir): ScoreboardRun | undefined {
  const runs = path.join(folder, "runs");
  if (!existsSync(runs)) return undefined;
  const earlier = readdirSync(runs)
    .filter((file) => file.endsWith(`-${run.size.mode}.json`))
    .sort()
    .map((file) => readRun(path.join(runs, file)))
    .filter((candidate): candidate is ScoreboardRun => candidate !== undefined && candidate.at < run.at);
  return earlier[earlier.length - 1];
}
