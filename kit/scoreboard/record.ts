/**
 * A scoreboard run as it is kept: kit/.state/scoreboard/latest.json and one file per run in
 * kit/.state/scoreboard/runs/, each with the machine's description (cores, memory, Node, and
 * the load while it ran: the machine may be shared), so that two runs — or two laptops — can
 * be compared. kit/scoreboard/reference.json is one such run, checked in, which the hub and
 * the closing deck show, marked as the kit's reference, until this machine has a run of its own.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { z } from "zod";
import { machineLine } from "../lib/bench.ts";
import { kitDir, rootDir, stateDir } from "../harness/paths.ts";
import type { Ceiling } from "./ceilings.ts";
import { measures, type ArchitectureFigures, type Figure, type Measure, type ScoreboardSize } from "./run.ts";

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

/** Where runs are kept. KIT_SCOREBOARD_DIR moves it: the kit's own tests use a folder of their own, never the attendee's runs. */
export const scoreboardDir = process.env.KIT_SCOREBOARD_DIR ? path.resolve(process.env.KIT_SCOREBOARD_DIR) : path.join(stateDir, "scoreboard");
export const latestScoreboard = path.join(scoreboardDir, "latest.json");
export const referenceScoreboard = path.join(kitDir, "scoreboard", "reference.json");

export function describeMachine(loadAtStart: number): MachineDescription {
  return { line: machineLine(), cores: os.cpus().length, loadAtStart, loadAtEnd: os.loadavg()[0]! };
}

export function currentLoad(): number {
  return os.loadavg()[0]!;
}

/** Keeps the run as the latest one and in the history; returns the history file's path. Each is written whole or not at all (a temporary file, renamed). */
export function saveRun(run: ScoreboardRun, folder = scoreboardDir): string {
  const runs = path.join(folder, "runs");
  mkdirSync(runs, { recursive: true });
  const text = `${JSON.stringify(run, null, 2)}\n`;
  const file = path.join(runs, `${run.at.replaceAll(":", "-")}-${run.size.mode}.json`);
  writeWhole(file, text);
  writeWhole(path.join(folder, "latest.json"), text);
  return file;
}

function writeWhole(file: string, text: string): void {
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, text);
  renameSync(temporary, file);
}

// The shape the kit writes: a file that is not it (a hand edit, a truncated write, an older kit's) is unreadable, said so, never half-drawn.
const figureSchema = z.union([z.object({ value: z.number(), unit: z.string() }), z.object({ missing: z.string() })]);
const runSchema = z.object({
  kind: z.enum(["run", "reference"]),
  at: z.string().refine((at) => !Number.isNaN(Date.parse(at)), "`at` is not a date"),
  machine: z.object({ line: z.string(), cores: z.number(), loadAtStart: z.number(), loadAtEnd: z.number() }),
  size: z.object({
    mode: z.enum(["full", "quick", "smoke"]),
    workload: z.object({ accounts: z.number(), operations: z.number(), seed: z.number() }),
    concurrency: z.number(),
    ceilingSamples: z.number(),
  }),
  ceilings: z.array(z.object({ id: z.string(), label: z.string(), chart: z.enum(["latency", "throughput", "staleness"]), value: z.number(), unit: z.string() })),
  architectures: z.array(
    z.object({
      step: z.string(),
      architecture: z.string(),
      path: z.string(),
      figures: z.object(Object.fromEntries(measures.map((measure) => [measure, figureSchema])) as Record<Measure, typeof figureSchema>),
      counts: z.record(z.string(), z.number()).optional(),
      crash: z.object({ verdict: z.enum(["holds", "broken", "n/a", "undeclared"]), design: z.string(), why: z.string() }).loose(),
      failure: z.string().optional(),
    }),
  ),
});

/** A run file as read: its run, or why it does not read; undefined when there is no such file. */
export type RunFile = { file: string; run: ScoreboardRun } | { file: string; unreadable: string };

export function readRunFile(file: string): RunFile | undefined {
  if (!existsSync(file)) return undefined;
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    return { file, unreadable: (error as NodeJS.ErrnoException).code ?? "cannot be read" };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { file, unreadable: text.trim() === "" ? "empty" : "not valid JSON" };
  }
  const parsed = runSchema.safeParse(json);
  if (parsed.success) return { file, run: parsed.data as ScoreboardRun };
  const issue = parsed.error.issues[0];
  const where = issue && issue.path.length > 0 ? `${issue.path.join(".")}: ` : "";
  return { file, unreadable: `not a scoreboard run: ${where}${issue?.message ?? "wrong shape"}` };
}

/** The run in `file`, or undefined when there is none or it does not read. */
export function readRun(file: string): ScoreboardRun | undefined {
  const read = readRunFile(file);
  return read && "run" in read ? read.run : undefined;
}

/** What the hub and the deck show: this machine's latest run; or, when it does not read, that (never the reference in its place, silently); else the kit's reference run. */
export type ScoreboardToShow = { run: ScoreboardRun } | UnreadableRun | undefined;
export interface UnreadableRun {
  which: "latest" | "reference";
  /** Relative to the repository. */
  file: string;
  unreadable: string;
}

export function scoreboardToShow(latest = latestScoreboard, reference = referenceScoreboard): ScoreboardToShow {
  const mine = readRunFile(latest);
  if (mine && "run" in mine) return { run: mine.run };
  if (mine) return { which: "latest", unreadable: mine.unreadable, file: path.relative(rootDir, mine.file).replaceAll("\\", "/") };
  const kits = readRunFile(reference);
  if (kits && "run" in kits) return { run: kits.run };
  if (kits) return { which: "reference", unreadable: kits.unreadable, file: path.relative(rootDir, kits.file).replaceAll("\\", "/") };
  return undefined;
}

/** The sentence the page, the slide and npm run bench say of a run file that does not read. */
export function unreadableSentence(shown: UnreadableRun): string {
  return `${shown.which === "latest" ? "The latest run" : "The kit's reference run"} at ${shown.file} is unreadable (${shown.unreadable})`;
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
