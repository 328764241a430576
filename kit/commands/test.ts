/**
 * npm test — the kit's whole check:
 *   1. type-check everything (exercises, solutions, the kit);
 *   2. find or start the services;
 *   3. the kit's own tests;
 *   4. every step's tests against its solution: all pass;
 *   5. the guarantee ledger: every declared cell proven by a passing test;
 *   6. every step's README lists the tasks its tests check;
 *   7. every exercise fails only on its open tasks, through todo();
 *   8. every step's benchmark and the scoreboard still run, at a small size (figures come from `npm run bench`).
 *
 * npm test -- --quick   only what can differ from one Node.js version to the next: 2 to 6 (the
 * kit's own tests, every solution, and the checks read from their results). CI runs the whole
 * check on Node 20, then this on Node 22 and 24 (.ci/run).
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { cells, guarantees, ledgerSteps } from "../ledger/guarantees.ts";
import { checkLedger } from "../ledger/check.ts";
import { benchConfig, benchFolders, scoreboardBench } from "../harness/benches.ts";
import { adapterPaths } from "../scoreboard/adapters.ts";
import { checkExerciseRun, checkReadmeTasks, checkSolutionRun, type Problem } from "../harness/integrity.ts";
import { latestSolutionResults, rootDir } from "../harness/paths.ts";
import { prepareIntegrityTarget } from "../harness/pristine.ts";
import { runVitest } from "../harness/run-vitest.ts";
import { listSteps } from "../harness/steps.ts";
import { ensureServices } from "../services/index.ts";
import { requireEveryTool } from "../harness/optional-tools.ts";
import { bold, green, main, parseArguments, red } from "./cli.ts";

await main(async () => {
  const started = Date.now();
  const tally = { passed: 0, failed: 0, notChecked: [] as Array<{ what: string; install: string }> };
  const count = (problems: Problem[], checks: number) => {
    tally.failed += problems.length;
    tally.passed += Math.max(0, checks - problems.length);
    for (const problem of problems) console.log(red(`  ✗ ${problem.step ? `${problem.step}: ` : ""}${problem.message}`));
  };
  const steps = listSteps();
  // The type-check and the exercise and benchmark runs give the same answer on every Node.js version.
  const quick = parseArguments().flags.has("quick");
  console.log(`Node.js ${process.versions.node}${quick ? " · quick: the kit's own tests and every solution" : ""}`);

  if (!quick) {
    section("1/8 Type-check");
    const typecheck = await runNode([path.join(rootDir, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.json"]);
    count(typecheck === 0 ? [] : [{ step: "", message: "the type-check failed (see above)" }], 1);
  }

  section("2/8 Services");
  const { urls: services } = await ensureServices({ verbose: true, log: (line) => console.log(line) });

  section("3/8 The kit's own tests");
  const kit = await runVitest({ target: "exercises", services, configFile: path.join("kit", "tests", "vitest.config.ts") });
  if (!kit.results) count([{ step: "", message: "the kit's own tests did not run" }], 1);
  else countTests(kit.results.tests, tally, kit.results.moduleErrors.length + kit.results.unhandledErrors.length);

  section("4/8 Every solution passes");
  const solutions = await runVitest({ target: "solutions", services, resultsFile: latestSolutionResults });
  if (!solutions.results) {
    count([{ step: "", message: "the solutions did not run" }], 1);
  } else {
    const problems = checkSolutionRun(solutions.results, steps);
    count(problems, solutions.results.tests.length + problems.filter((problem) => !problem.message.startsWith("solution ")).length);

    section("5/8 The guarantee ledger");
    const ledgerProblems = checkLedger(guarantees, ledgerSteps, cells, solutions.results, steps.map((step) => step.id));
    count(ledgerProblems, Math.max(cells.length, ledgerProblems.length));
    if (ledgerProblems.length === 0) console.log(green(`  ✓ ${cells.length} cells, each proven (npm run ledger shows them)`));

    section("6/8 READMEs list the tasks their tests check");
    const readmeProblems = steps.flatMap((step) => checkReadmeTasks(step, solutions.results!.tests));
    count(readmeProblems, Math.max(steps.length, readmeProblems.length));
    if (readmeProblems.length === 0) console.log(green(`  ✓ ${steps.length} steps`));
  }

  if (!quick) {
    section("7/8 Every exercise fails only on its open tasks");
    const target = await prepareIntegrityTarget(steps, (line) => console.log(line));
    const exercises = await runVitest({ target: target.target, quiet: true, services, env: target.env });
    if (!exercises.results) {
      count([{ step: "", message: "the exercises did not run" }], 1);
    } else {
      const problems = checkExerciseRun(exercises.results, steps);
      count(problems, Math.max(steps.length, problems.length));
      const open = exercises.results.tests.filter((test) => test.state === "failed").length;
      if (problems.length === 0) console.log(green(`  ✓ ${steps.length} exercises: ${open} task tests open, each through todo(); every other test passes`));
    }

    section("8/8 Every benchmark still runs (small size)");
    // The scoreboard too: its check is that every architecture produced every figure it promises.
    const benches = [...benchFolders(steps.map((step) => step.id)), ...(adapterPaths().length > 0 ? [scoreboardBench] : [])];
    if (benches.length === 0) {
      console.log("  no step has a benchmark yet");
    } else {
      const smoke = await runVitest({ target: "solutions", quiet: true, services, paths: benches, configFile: benchConfig, env: { KIT_BENCH: "smoke" } });
      if (!smoke.results) count([{ step: "", message: "the benchmarks did not run" }], 1);
      else {
        const failed = smoke.results.tests.filter((test) => test.state !== "passed");
        for (const moduleError of smoke.results.moduleErrors) console.log(red(`  ✗ ${moduleError.file}: ${moduleError.errors[0]?.message ?? "failed to load"}`));
        countTests(smoke.results.tests, tally, smoke.results.moduleErrors.length + smoke.results.unhandledErrors.length);
        if (failed.length === 0 && smoke.results.moduleErrors.length === 0) console.log(green(`  ✓ ${smoke.results.tests.length} benchmarks in ${benches.length} folders, the scoreboard included (npm run bench measures them at full size)`));
      }
    }
  }

  if (tally.notChecked.length > 0) {
    console.log(bold("\nNot checked on this machine (npm test passes without them; CI=true requires them):"));
    for (const missing of tally.notChecked) console.log(`  - ${missing.what}: ${missing.install}`);
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(0);
  console.log(`\n${tally.failed === 0 ? green(bold("The kit is sound.")) : red(bold("The kit has problems (above)."))} (${seconds} s)`);
  // The closing line CI reads.
  console.log(`npm test: ${tally.passed} passed, ${tally.failed} failed`);
  return tally.failed === 0 ? 0 : 1;
});

function section(title: string): void {
  console.log(`\n${bold(`── ${title} `.padEnd(72, "─"))}`);
}

/**
 * Counts a run's tests. A test skipped because a tool is missing on this machine (a browser, a
 * Compose CLI) is noted, not failed, unless CI=true; any other skipped test counts as failed,
 * by name: the check it stands for did not happen.
 */
function countTests(
  tests: Array<{ state: string; file: string; name: string; errors: Array<{ message: string }>; notChecked?: { what: string; install: string } }>,
  tally: { passed: number; failed: number; notChecked: Array<{ what: string; install: string }> },
  extraFailures: number,
): void {
  tally.passed += tests.filter((test) => test.state === "passed").length;
  const strict = requireEveryTool();
  for (const test of tests) if (test.state !== "passed" && test.notChecked && !strict) tally.notChecked.push(test.notChecked);
  const notPassed = tests.filter((test) => test.state !== "passed" && !(test.notChecked && !strict));
  for (const test of notPassed) console.log(red(`  ✗ ${test.file} > ${test.name}: ${test.state === "failed" ? (test.errors[0]?.message ?? "failed") : test.notChecked ? `not checked, and CI=true requires it — ${test.notChecked.install}` : test.state}`));
  tally.failed += notPassed.length + extraFailures;
}

function runNode(args: string[]): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: rootDir, stdio: "inherit" });
    child.on("close", (code) => resolve(code ?? 1));
  });
}
