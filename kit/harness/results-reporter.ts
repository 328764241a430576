/**
 * A vitest reporter that writes every test's outcome, kind and ledger claims to the JSON
 * file named by KIT_RESULTS, for the kit's commands to check and summarise.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Reporter, SerializedError, TestCase, TestModule } from "vitest/node";
import { rootDir } from "./paths.ts";
import { classify, stepOfFile, type RunResults, type TestRecord } from "./results.ts";
import { targetFromEnv } from "./target-plugin.ts";
import "./optional-tools.ts"; // the notChecked field of a test's meta

export default class ResultsReporter implements Reporter {
  /** In watch mode a re-run covers only the files it re-ran: the others keep their last outcome. */
  readonly #byFile = new Map<string, { tests: TestRecord[]; errors: RunResults["moduleErrors"][number]["errors"] }>();

  onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<SerializedError>): void {
    for (const module of testModules) this.#byFile.set(relative(module.moduleId), { tests: [...module.children.allTests()].map(toRecord), errors: module.errors().map(brief) });
    const files = [...this.#byFile.entries()].sort(([a], [b]) => a.localeCompare(b));
    const results: RunResults = {
      target: targetFromEnv(),
      finishedAt: new Date().toISOString(),
      tests: files.flatMap(([, file]) => file.tests),
      moduleErrors: files.filter(([, file]) => file.errors.length > 0).map(([file, { errors }]) => ({ file, errors })),
      unhandledErrors: unhandledErrors.map(brief),
    };
    const output = process.env.KIT_RESULTS;
    if (output) {
      mkdirSync(path.dirname(output), { recursive: true });
      writeFileSync(output, JSON.stringify(results, null, 2));
    }
    this.onResults(results);
  }

  /** For a reporter built on this one (the step command's): the run's records, once written. */
  protected onResults(_results: RunResults): void {}
}

function toRecord(test: TestCase): TestRecord {
  const suites: string[] = [];
  for (let parent = test.parent; parent.type === "suite"; parent = parent.parent) suites.unshift(parent.name);
  const result = test.result();
  const file = relative(test.module.moduleId);
  return {
    step: stepOfFile(file),
    file,
    name: [...suites, test.name].join(" > "),
    ...classify(suites),
    state: result.state,
    errors: result.state === "failed" ? result.errors.map(brief) : [],
    ledger: test.meta().ledger ?? [],
    ...(test.meta().notChecked ? { notChecked: test.meta().notChecked } : {}),
    durationMs: Math.round(test.diagnostic()?.duration ?? 0),
    figures: test.annotations().map((annotation) => annotation.message),
  };
}

function brief(error: SerializedError): { name: string; message: string; at?: string } {
  const at = locate(error);
  return { name: String(error.name ?? "Error"), message: String(error.message ?? ""), ...(at ? { at } : {}) };
}

/**
 * Where in a step the error comes from: the first stack frame in exercises/ or solutions/ (the
 * todo() call in the attendee's code, or the assertion in the test), not the kit's or a library's.
 */
export function locate(error: { stack?: string; stacks?: Array<{ file: string; line: number }> }): string | undefined {
  const inStep = (file: string) => /(?:^|\/)(?:exercises|solutions|pristine)\/\d\d-[^/]+\//.test(file.replaceAll("\\", "/")) && !file.includes("node_modules");
  const parsed = error.stacks?.find((frame) => inStep(frame.file));
  if (parsed) return `${relative(parsed.file.replace(/^file:\/\//, ""))}:${parsed.line}`;
  for (const match of (error.stack ?? "").matchAll(/(?:\(|at )((?:file:\/\/)?[^\s()]+?\.ts):(\d+):\d+/g)) {
    if (match[1] && inStep(match[1])) return `${relative(match[1].replace(/^file:\/\//, ""))}:${match[2]}`;
  }
  return undefined;
}

function relative(file: string): string {
  return path.relative(rootDir, file).replaceAll("\\", "/");
}
