/**
 * The reporter of `npm run step NN`: one line per test file as it finishes (progress, not
 * silence), then the step's summary (step-summary.ts) instead of vitest's stack traces.
 *
 * Console output of the tests: what they print on stdout (an attendee's own console.log while
 * debugging) is shown, under the test's file; stderr — kafkajs's and the drivers' error logs —
 * is folded away and counted, and `--verbose` (vitest's own reporter) shows it all.
 *
 * Runs in vitest's main process; it records results like ResultsReporter, on which it is built.
 */
import path from "node:path";
import type { TestModule } from "vitest/node";
import type { UserConsoleLog } from "vitest";
import ResultsReporter from "./results-reporter.ts";
import type { RunResults } from "./results.ts";
import { rootDir } from "./paths.ts";
import { formatStepSummary, summarizeStep } from "./step-summary.ts";
import { listSteps } from "./steps.ts";
import { nextStepAfter } from "./current-step.ts";
import { tradeoffPanel } from "./panel.ts";
import { readPredictions } from "./predictions.ts";

export default class StepReporter extends ResultsReporter {
  #folded = 0;
  readonly #watching = Boolean(process.env.KIT_WATCH);
  readonly #verbose = Boolean(process.env.KIT_VERBOSE);
  /** `npm run progress` wants the file lines only: it prints its own table after. */
  readonly #linesOnly = process.env.KIT_STEP_SUMMARY === "lines";

  onWatcherStart(): void {
    // After every run in watch mode: the bench (loop-bench.ts) waits for this line too.
    if (!this.#verbose) console.log("\nWatching: save a file to run again, Ctrl-C to stop.");
  }

  onWatcherRerun(files: string[]): void {
    this.#folded = 0;
    if (!this.#verbose) console.log(`\nRunning again (${files.map((file) => path.basename(file)).join(", ")} changed)…`);
  }

  onUserConsoleLog(log: UserConsoleLog): void {
    if (this.#verbose) return; // vitest's reporter prints it
    if (log.type === "stderr") {
      this.#folded += log.content.split("\n").filter((line) => line.trim()).length;
      return;
    }
    process.stdout.write(log.content.endsWith("\n") ? log.content : `${log.content}\n`);
  }

  onTestModuleEnd(module: TestModule): void {
    if (this.#verbose) return;
    const tests = [...module.children.allTests()];
    const failed = tests.filter((test) => test.result().state === "failed").length;
    const relative = path.relative(rootDir, module.moduleId).replaceAll("\\", "/");
    const file = this.#linesOnly ? relative.replace(/^exercises\//, "") : relative.replace(/^exercises\/[^/]+\//, "");
    const broken = module.errors().length > 0;
    console.log(`  ${broken || failed > 0 ? "✗" : "✓"} ${file}  ${broken ? "does not load" : failed > 0 ? `${failed} of ${tests.length} fail` : `${tests.length} pass`}`);
  }

  protected override onResults(results: RunResults): void {
    if (this.#linesOnly) return;
    const steps = listSteps();
    const solution = results.target !== "exercises";
    for (const step of steps.filter((candidate) => results.tests.some((test) => test.step === candidate.id) || results.moduleErrors.some((module) => module.file.includes(`exercises/${candidate.id}/`)))) {
      const summary = summarizeStep(results, step);
      const next = summary.solved && !solution ? nextStepAfter(step, steps) : undefined;
      for (const line of formatStepSummary(summary, { number: step.number, solution, ...(next ? { next } : {}), foldedLogLines: this.#folded, watching: this.#watching })) console.log(line);
    }
    // The trade-off panel: what each trade-off test just showed, in its own figures, beside the predictions.
    console.log(tradeoffPanel(results, readPredictions()));
  }
}
