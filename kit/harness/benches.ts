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

/** The first line of `npm run bench`: whose code is measured, so a figure is never taken for the other's. */
export function benchHeadline(stepIds: string[], target: "exercises" | "solutions"): string {
  const whose = target === "solutions" ? `the solution's code (solutions/…/src; your own with -- --exercises)` : `your code in exercises/…/src (the solution's without --exercises)`;
  return `Measuring ${whose}: benchmarks of ${stepIds.join(", ")}, full size, one at a time.`;
}

/** The scoreboard's bench file: run after the steps' benchmarks (kit/scoreboard/). */
export const scoreboardBench = path.join("kit", "scoreboard", "scoreboard.bench.ts");
