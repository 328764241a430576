/**
 * npm run step 01                  your work in exercises/01-*, once
 * npm run step 01 -- --watch       … again on every save
 * npm run step 01 -- --solution    the same tests against solutions/01-*
 */
import { findStep } from "../harness/steps.ts";
import { runVitest } from "../harness/run-vitest.ts";
import { main, parseArguments } from "./cli.ts";

await main(async () => {
  const { positional, flags } = parseArguments();
  const step = findStep(positional[0]);
  const target = flags.has("solution") ? "solutions" : "exercises";
  console.log(`Step ${step.id} — ${step.title}${target === "solutions" ? " (against the solution)" : ""}`);
  const { exitCode } = await runVitest({
    target,
    paths: [`exercises/${step.id}/`],
    watch: flags.has("watch"),
    env: { KIT_STEP_SUMMARY: "1" },
  });
  return exitCode;
});
