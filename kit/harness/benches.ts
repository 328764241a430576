/** Where the steps' benchmarks are, and the vitest config that runs them (see #kit/bench). */
import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { rootDir } from "./paths.ts";

export const benchConfig = path.join("kit", "harness", "bench.config.ts");

/** The steps that have benchmarks, as `exercises/NN-name/bench/` paths. */
export function benchFolders(stepIds: string[]): string[] {
  return stepIds
    .map((id) => path.join("exercises", id, "bench"))
    .filter((folder) => existsSync(path.join(rootDir, folder)) && readdirSync(path.join(rootDir, folder)).some((file) => file.endsWith(".bench.ts")));
}

/** The scoreboard's bench file: run after the steps' benchmarks (kit/scoreboard/). */
export const scoreboardBench = path.join("kit", "scoreboard", "scoreboard.bench.ts");
