/**
 * The vitest configuration of the steps' benchmarks (exercises/NN-name/bench/*.bench.ts).
 * One file at a time, one worker: benchmarks that compete for two cores measure each other.
 * `npm run bench` sets KIT_BENCH=full (quick: the scoreboard's live-session size); `npm test` runs them at a small size.
 * The scoreboard (kit/scoreboard/scoreboard.bench.ts) runs here too, last.
 */
import { defineConfig } from "vitest/config";
import { rootDir } from "./paths.ts";
import { kitReporters } from "./reporters.ts";
import { targetFromEnv, targetPlugin } from "./target-plugin.ts";

export default defineConfig({
  root: rootDir,
  plugins: [targetPlugin(targetFromEnv(), rootDir)],
  test: {
    include: ["exercises/*/bench/**/*.bench.ts", "kit/scoreboard/*.bench.ts"],
    reporters: kitReporters(),
    globalSetup: ["kit/harness/global-setup.ts"],
    fileParallelism: false,
    maxWorkers: 1,
    // A full-size workload (a million events) takes minutes on a laptop.
    testTimeout: 30 * 60_000,
    hookTimeout: 60_000,
    passWithNoTests: true,
    retry: 0,
  },
});
