/**
 * npm run step 01                  your work in exercises/01-*, once
 * npm run step 01 -- --watch       … again on every save
 * npm run step 01 -- --solution    the same tests against solutions/01-*
 * npm run step 01 -- --verbose     … with every test and stack trace (vitest's own report)
 * npm run step                     the current step: the first one not solved yet
 * npm run step 01 -- --predict     first answer the README's questions; the panel shows each answer beside what happened
 *
 * If Kafka dies during the run, the run stops within seconds and says so. On Ctrl-C, the
 * topics, groups, schemas and keys the interrupted tests had no time to remove are removed.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { attendeeResultsDir } from "../harness/paths.ts";
import { findStep, listSteps } from "../harness/steps.ts";
import { currentStep } from "../harness/current-step.ts";
import { runVitest } from "../harness/run-vitest.ts";
import { main, parseArguments, UsageError } from "./cli.ts";
import { ensureServices } from "../services/index.ts";
import { describeRemoved, findLeftovers, newSince, removeLeftovers } from "../services/clean.ts";
import { kafkaWentAway, watchKafka } from "../services/kafka-watch.ts";
import { askPredictions, parseQuestions } from "../harness/predictions.ts";
import type { Step } from "../harness/steps.ts";

await main(async () => {
  const { positional, flags } = parseArguments(process.argv.slice(2), ["watch", "solution", "verbose", "predict"]);
  const current = positional[0] === undefined ? currentStep() : undefined;
  const step = current ?? findStep(positional[0] ?? (listSteps().length > 0 ? listSteps().at(-1)!.id : undefined));
  if (positional[0] === undefined) console.log(current ? `The current step (the first not solved yet): ${current.id}` : "Every step is solved; running the last one again.");
  if (flags.has("predict")) await predictFirst(step);
  const target = flags.has("solution") ? "solutions" : "exercises";
  // Found (or started) here rather than in vitest's global setup alone, so that a missing
  // service is told in plain words, not under a stack trace.
  const { urls } = await ensureServices({ log: (line) => console.error(line) });
  console.log(`Step ${step.id} — ${step.title}${target === "solutions" ? " (against the solution)" : ""}`);

  // What exists before the run, so that an interrupted run removes only what it created.
  const before = await findLeftovers(urls).catch(() => undefined);
  const stop = new AbortController();
  let interrupted = false;
  // The terminal sends Ctrl-C's SIGINT to vitest too; here it only means: clean up once vitest has stopped.
  process.once("SIGINT", () => {
    interrupted = true;
    stop.abort();
  });
  let kafkaGone = false;
  const unwatch = watchKafka(urls.kafkaBrokers, () => {
    kafkaGone = true;
    stop.abort();
  });
  const { exitCode } = await runVitest({
    target,
    paths: [`exercises/${step.id}/`],
    watch: flags.has("watch"),
    services: urls,
    env: { KIT_STEP_SUMMARY: "1", ...(flags.has("verbose") ? { KIT_VERBOSE: "1" } : {}), ...(flags.has("watch") ? { KIT_WATCH: "1" } : {}) },
    signal: stop.signal,
    // Kept, so the hub (npm start) can show the step's status without running anything.
    ...(target === "exercises" ? { resultsFile: path.join(attendeeResultsDir, `step-${step.id}.json`) } : {}),
  }).finally(unwatch);

  if (kafkaGone) throw new UsageError(kafkaWentAway(urls.kafkaBrokers, `npm run step ${step.number}${flags.has("solution") ? " -- --solution" : ""}`, { fromEnvironment: Boolean(process.env.KAFKA_BROKERS) }));
  // In watch mode vitest reads Ctrl-C as a key and exits 130 without a SIGINT reaching this process.
  if ((interrupted || exitCode === 130) && before) {
    try {
      const left = newSince(before, await findLeftovers(urls));
      const { removed, kept } = await removeLeftovers(urls, left);
      const lines = describeRemoved(removed);
      console.error(`\nInterrupted.${lines.length > 0 ? ` Removed what the stopped tests left behind:\n  ${lines.join("\n  ")}` : ""}`);
      for (const what of kept) console.error(`  kept ${what}: npm run services -- --clean removes it later`);
    } catch (error) {
      // Ctrl-C is often pressed because a service hung: say so in one line, not a stack trace.
      console.error(`\nInterrupted. Could not clean up now (${error instanceof Error ? error.message : String(error)}): npm run services -- --clean removes what was left, later.`);
    }
    return 130;
  }
  return exitCode;
});

/** Predict, then run: the README's questions, asked before the services are even looked for. */
async function predictFirst(step: Step): Promise<void> {
  const questions = parseQuestions(readFileSync(step.readme, "utf8"));
  if (questions.length === 0) {
    console.log(`Step ${step.id}'s README asks no questions to predict yet: running it.`);
    return;
  }
  await askPredictions(step.id, questions);
  console.log("");
}
