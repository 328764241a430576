/**
 * The vitest configuration of every step's tests.
 *
 * KIT_TARGET=exercises (the default) runs the tests against your work in exercises/;
 * KIT_TARGET=solutions runs the same tests against solutions/. The kit's commands
 * (`npm run step`, `npm test`, `npm run progress`) set it for you.
 */
import { defineConfig } from "vitest/config";
import { rootDir } from "./paths.ts";
import { kitReporters } from "./reporters.ts";
import { targetFromEnv, targetPlugin } from "./target-plugin.ts";

export default defineConfig({
  root: rootDir,
  plugins: [targetPlugin(targetFromEnv(), rootDir)],
  test: {
    include: ["exercises/*/test/**/*.test.ts"],
    reporters: kitReporters(),
    globalSetup: ["kit/harness/global-setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    teardownTimeout: 30_000,
    // The tests wait on services, not on the CPU: more workers than cores keeps them busy.
    maxWorkers: 4,
    // A test must never pass by luck: no retries.
    retry: 0,
  },
});
