/** The kit's own tests: its pure parts, and its machinery against the real services. */
import { defineConfig } from "vitest/config";
import { rootDir } from "../harness/paths.ts";

const resultsReporter = "./kit/harness/results-reporter.ts";

export default defineConfig({
  root: rootDir,
  test: {
    include: ["kit/tests/**/*.test.ts"],
    globalSetup: ["kit/harness/global-setup.ts"],
    reporters: process.env.KIT_RESULTS ? ["default", resultsReporter] : ["default"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
