/** The kit's own tests: its pure parts, and its machinery against the real services. */
import { defineConfig } from "vitest/config";
import { rootDir } from "../harness/paths.ts";
import { kitReporters } from "../harness/reporters.ts";

export default defineConfig({
  root: rootDir,
  test: {
    include: ["kit/tests/**/*.test.ts"],
    globalSetup: ["kit/harness/global-setup.ts"],
    reporters: kitReporters(),
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
