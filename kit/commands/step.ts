/**
 * npm run step 01                  your work in exercises/01-*, once
 * npm run step 01 -- --watch       … again on every save
 * npm run step 01 -- --solution    the same tests against solutions/01-*
 */
import path from "node:path";
import { attendeeResultsDir } from "../harness/paths.ts";
import { findStep } from "../harness/steps.ts";
import { runVitest } from "../harness/run-vitest.ts";
import { main, parseArguments } from "./cli.ts";
import { ensureServices } from "../services/index.ts";

await main(async () => {
  const { positional, flags } = parseArguments(process.argv.slice(2), ["watch", "solution"]);
  const step = findStep(positional[0]);
  const target = flags.has("solution") ? "solutions" : "exercises";
  // Found (or started) here rather than in vitest's global setup alone, so that a missing
  // service is told in plain words, not under a stack trace.
  const { urls } = await ensureServices({ log: (line) => console.error(line) });
  console.log(`Step ${step.id} — ${step.title}${target === "solutions" ? " (against the solution)" : ""}`);
  const { exitCode } = await runVitest({
    target,
    paths: [`exercises/${step.id}/`],
    watch: flags.has("watch"),
    services: urls,
    env: { KIT_STEP_SUMMARY: "1" },
    // Kept, so the hub (npm start) can show the step's status without running anything.
    ...(target === "exercises" ? { resultsFile: path.join(attendeeResultsDir, `step-${step.id}.json`) } : {}),
  });
  return exitCode;
});
