/**
 * `npm run bench kit`: the attendee's loop, timed as the attendee meets it — each command is
 * started the way they type it (`npm run step 05 -- --solution`), so the figures include npm's
 * and tsx's start, the services probe and vitest's start, not only the tests.
 *
 * Figures are printed and kept in kit/.state/bench/kit/ with the machine's load, never asserted:
 * a loaded 2-core laptop and a quiet one give different numbers, and both are worth knowing.
 */
import { spawn } from "node:child_process";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { report, summarize, type BenchRow } from "../lib/bench.ts";
import { rootDir } from "./paths.ts";
import type { Step } from "./steps.ts";

/** The targets of issue 14, on 2 cores with the services warm. Reported beside each figure. */
export const loopTargets = { stepWithoutKafka: 2_000, stepWithKafka: 4_000, watchRerun: 1_500, progress: 2_000, npmTest: 60_000 } as const;

const npm = process.platform === "win32" ? "npm.cmd" : "npm";

/** Runs an npm script to its end and says how long it took, with its output kept for a failure. */
export async function timeCommand(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ ms: number; exitCode: number; output: string }> {
  const started = performance.now();
  let output = "";
  const exitCode = await new Promise<number>((resolve) => {
    const child = spawn(npm, args, { cwd: rootDir, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"], shell: process.platform === "win32" });
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.on("close", (code) => resolve(code ?? 1));
  });
  return { ms: performance.now() - started, exitCode, output };
}

/** A step talks to Kafka when its tests or code use the kafka fixture or #kit/kafka. */
export function stepUsesKafka(step: Step): boolean {
  const kafkaUse = /#kit\/kafka|\{[^}]*\bkafka\b[^}]*\}\s*\)\s*=>|\bkafka\./;
  for (const folder of [path.join(step.exerciseDir, "test"), path.join(step.exerciseDir, "src")]) {
    const files = (() => {
      try {
        return readdirSync(folder, { recursive: true, encoding: "utf8" }).filter((file) => file.endsWith(".ts"));
      } catch {
        return [];
      }
    })();
    if (files.some((file) => kafkaUse.test(readFileSync(path.join(folder, file), "utf8")))) return true;
  }
  return false;
}

/**
 * Starts `npm run step NN -- --watch --solution`, waits for its first run, saves one test file
 * unchanged (a new mtime is what an editor's save looks like to vitest), and times until the
 * re-run has finished. `runs` saves, one after another, in the same watcher.
 */
export async function timeWatchRerun(step: Step, runs: number): Promise<number[]> {
  const testDir = path.join(step.exerciseDir, "test");
  const testFile = path.join(testDir, readdirSync(testDir).filter((file) => file.endsWith(".test.ts")).sort()[0]!);
  const child = spawn(npm, ["run", "--silent", "step", step.number, "--", "--watch", "--solution"], { cwd: rootDir, env: { ...process.env, CI: "" }, stdio: ["ignore", "pipe", "pipe"], shell: process.platform === "win32", detached: process.platform !== "win32" });
  let output = "";
  let waiters: Array<() => void> = [];
  const onData = (chunk: Buffer) => {
    output += chunk.toString();
    for (const wake of waiters) wake();
  };
  child.stdout.on("data", onData);
  child.stderr.on("data", onData);
  // Printed after every run in watch mode, passing or failing: by the kit's step reporter, or by vitest's own.
  const marker = /Watching: save a file|Waiting for file changes/g;
  const runsSeen = () => output.match(marker)?.length ?? 0;
  const until = (count: number, timeoutMs: number) =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the watcher did not finish run ${count} within ${timeoutMs} ms:\n${output.slice(-2000)}`)), timeoutMs);
      const check = () => {
        if (runsSeen() >= count) {
          clearTimeout(timer);
          waiters = waiters.filter((wake) => wake !== check);
          resolve();
        }
      };
      waiters.push(check);
      check();
    });
  const samples: number[] = [];
  try {
    await until(1, 120_000);
    const content = readFileSync(testFile);
    for (let run = 0; run < runs; run++) {
      const started = performance.now();
      writeFileSync(testFile, content);
      await until(run + 2, 60_000);
      samples.push(performance.now() - started);
    }
  } finally {
    // Ctrl-C, as the attendee stops it (vitest's "q" needs a terminal), to the whole process group
    // (npm, tsx, vitest): npm alone would leave the watcher running and holding the pipes.
    const exited = new Promise<void>((resolve) => child.on("exit", () => resolve()));
    const signalGroup = (signal: NodeJS.Signals) => {
      try {
        if (process.platform === "win32" || child.pid === undefined) child.kill(signal);
        else process.kill(-child.pid, signal);
      } catch {
        // already gone
      }
    };
    signalGroup("SIGINT");
    const timer = setTimeout(() => signalGroup("SIGKILL"), 20_000);
    await exited;
    clearTimeout(timer);
    child.stdout.destroy();
    child.stderr.destroy();
  }
  return samples;
}

/** The machine's state while it was measured: a figure on a machine shared by others is only worth its load. */
export function loadNote(): string {
  const [one, five] = os.loadavg();
  return `load average ${one?.toFixed(2)} (1 min), ${five?.toFixed(2)} (5 min) on ${os.cpus().length} cores`;
}

export interface LoopBenchOptions {
  steps: Step[];
  runs: number;
  /** The whole `npm test` takes a minute or more: `--quick` leaves it out. */
  withNpmTest: boolean;
  log: (line: string) => void;
}

export async function benchLoop({ steps, runs, withNpmTest, log }: LoopBenchOptions): Promise<number> {
  const rows: BenchRow[] = [];
  const notes: string[] = [`at the start: ${loadNote()}`];
  let failures = 0;
  const record = (label: string, samples: number[], target: number) => {
    const median = summarize(samples).median;
    rows.push({ label: `${label}, median of ${samples.length} (target ${(target / 1000).toFixed(1)} s)`, value: Math.round(median), unit: "ms" });
    log(`  ${label.padEnd(40)} ${(median / 1000).toFixed(2)} s   ${median <= target ? "≤" : ">"} ${(target / 1000).toFixed(1)} s   [${samples.map((ms) => (ms / 1000).toFixed(2)).join(", ")}]  ${loadNote()}`);
  };
  const timed = async (label: string, args: string[], count: number, target: number, env: NodeJS.ProcessEnv = {}) => {
    const samples: number[] = [];
    for (let run = 0; run < count; run++) {
      const { ms, exitCode, output } = await timeCommand(args, env);
      if (exitCode !== 0) {
        failures++;
        log(`  ✗ ${label} exited ${exitCode}:\n${output.slice(-3000)}`);
        return;
      }
      samples.push(ms);
    }
    record(label, samples, target);
  };

  // One untimed run: the first start pays for the disk cache and the services' first connections.
  if (steps[0]) await timeCommand(["run", "--silent", "step", steps[0].number, "--", "--solution"]);
  for (const step of steps) {
    const kafka = stepUsesKafka(step);
    await timed(`npm run step ${step.number} (${kafka ? "Kafka" : "no Kafka"})`, ["run", "--silent", "step", step.number, "--", "--solution"], runs, kafka ? loopTargets.stepWithKafka : loopTargets.stepWithoutKafka);
  }
  const watched = steps.find((step) => step.number === "01") ?? steps[0];
  if (watched) {
    try {
      record(`watch re-run of step ${watched.number} after a save`, await timeWatchRerun(watched, runs), loopTargets.watchRerun);
    } catch (error) {
      failures++;
      log(`  ✗ watch re-run: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  // progress exits 0 whatever the attendee's state; it is timed as they would run it.
  await timed("npm run progress", ["run", "--silent", "progress"], runs, loopTargets.progress);
  if (withNpmTest) await timed("npm test (whole check)", ["test"], 1, loopTargets.npmTest);
  notes.push(`at the end: ${loadNote()}`);
  report({ step: "kit", title: "the attendee's loop", rows, notes });
  return failures === 0 ? 0 : 1;
}
