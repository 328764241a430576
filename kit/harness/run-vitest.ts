/** Runs vitest on the step tests in a child process, and reads back what the results reporter wrote. */
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { rootDir, stateDir } from "./paths.ts";
import type { ServiceUrls } from "../services/types.ts";
import type { RunResults } from "./results.ts";
import type { Target } from "./target-plugin.ts";

export interface VitestRun {
  target: Target;
  /** Folders or files to run, relative to the root; all steps when empty. */
  paths?: string[];
  /** Leave the terminal to the kit's summary (the reporter still records everything). */
  quiet?: boolean;
  watch?: boolean;
  /** Where the results go; a fresh file under kit/.state/results by default. */
  resultsFile?: string;
  extraArgs?: string[];
  env?: NodeJS.ProcessEnv;
  /** Services the command has already found: the tests use them without probing again. */
  services?: ServiceUrls;
  /** The step tests' config unless said otherwise (the kit's own tests have theirs). */
  configFile?: string;
  /** Stops the run (vitest gets SIGINT, as from Ctrl-C, so it ends its workers and reports). */
  signal?: AbortSignal;
}

export const vitestConfig = path.join("kit", "harness", "vitest.config.ts");

export async function runVitest(options: VitestRun): Promise<{ exitCode: number; results: RunResults | undefined }> {
  const resultsFile = options.resultsFile ?? path.join(stateDir, "results", `${options.target}-${process.pid}-${Date.now()}.json`);
  mkdirSync(path.dirname(resultsFile), { recursive: true });
  rmSync(resultsFile, { force: true });
  const args = [
    path.join(rootDir, "node_modules", "vitest", "vitest.mjs"),
    options.watch ? "watch" : "run",
    "--config",
    options.configFile ?? vitestConfig,
    ...(options.extraArgs ?? []),
    ...(options.paths ?? []),
  ];
  const env = {
    ...process.env,
    // kafkajs schedules its request-queue check with a negative delay when nothing is throttled;
    // Node 24 warns about each one (TimeoutNegativeWarning) and then does what every Node did
    // before: waits 1 ms. Pages of that warning would bury the test output.
    NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --disable-warning=TimeoutNegativeWarning`.trim(),
    ...options.env,
    KIT_TARGET: options.target,
    KIT_RESULTS: resultsFile,
    ...(options.services ? { KIT_SERVICES: JSON.stringify(options.services) } : {}),
    ...(options.quiet ? { KIT_QUIET: "1" } : {}),
  };
  const exitCode = await new Promise<number>((resolve) => {
    const child = spawn(process.execPath, args, { cwd: rootDir, env, stdio: options.quiet ? ["ignore", "ignore", "inherit"] : "inherit", ...(options.signal ? { signal: options.signal, killSignal: "SIGINT" as const } : {}) });
    child.on("error", () => {}); // an abort is reported as an error event; "close" still follows and resolves
    child.on("close", (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
  const results = existsSync(resultsFile) ? (JSON.parse(readFileSync(resultsFile, "utf8")) as RunResults) : undefined;
  // A results file nobody asked to keep is read once: don't let kit/.state fill up with them.
  if (!options.resultsFile) rmSync(resultsFile, { force: true });
  return { exitCode, results };
}
