/**
 * Predict, then run. Each trade-off of a step README opens with a question, written as
 *   > **Predict — <the trade-off's title>.** <the question>
 * where the title is the `tradeoff("…")` of the tests that answer it. `npm run step NN -- --predict`
 * asks them and keeps the answers in kit/.state/predictions.json; the trade-off panel shows each
 * answer beside what the run recorded.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { stateDir } from "./paths.ts";
import { readStateFile } from "./state-file.ts";

export interface Question {
  /** The trade-off's title, as in `tradeoff("…")`. */
  tradeoff: string;
  question: string;
}

export function parseQuestions(readme: string): Question[] {
  return [...readme.matchAll(/^> \*\*Predict — (.+?)\.\*\* (.+)$/gm)].map((match) => ({ tradeoff: match[1]!.trim(), question: match[2]!.trim() }));
}

export const predictionsFile = path.join(stateDir, "predictions.json");
const predictionsSchema = z.record(z.string(), z.record(z.string(), z.string()));

/** step id → trade-off title → the attendee's answer. */
export function readPredictions(warn?: (line: string) => void): Record<string, Record<string, string>> {
  return readStateFile(predictionsFile, predictionsSchema, {}, warn);
}

export function recordPredictions(step: string, answers: Record<string, string>): void {
  mkdirSync(stateDir, { recursive: true });
  writeFileSync(predictionsFile, JSON.stringify({ ...readPredictions(), [step]: answers }, null, 2) + "\n");
}

/** The trade-off titles of a step's tests, read from the files (`tradeoff("…")`), so the check needs no run. */
export function tradeoffTitles(testSources: string[]): string[] {
  const titles = testSources.flatMap((source) => [...source.matchAll(/tradeoff\(\s*(["'`])((?:\\.|(?!\1)[^\\])*)\1\s*\)/g)].map((match) => match[2]!.replace(/\\(.)/g, "$1")));
  return [...new Set(titles)];
}

/** A README's questions against its tests' trade-offs: each question names one, and (when `required`) each has one. */
export function checkQuestions(questions: Question[], tradeoffs: string[], required: boolean): string[] {
  const problems = questions.filter((question) => !tradeoffs.includes(question.tradeoff)).map((question) => `the README asks a question for "${question.tradeoff}", which is no trade-off of its tests (${tradeoffs.map((title) => `"${title}"`).join(", ")})`);
  if (required) {
    for (const tradeoff of tradeoffs) if (!questions.some((question) => question.tradeoff === tradeoff)) problems.push(`the README has no "> **Predict — ${tradeoff}.** …?" question`);
  }
  return problems;
}

/**
 * `npm run step NN -- --predict`: asks each question, one line per answer, and keeps the
 * answers. Enter alone keeps the earlier answer (or skips the question). Optional and fast:
 * the run starts as soon as the last answer is in.
 */
export async function askPredictions(stepId: string, questions: Question[], io: { input: NodeJS.ReadableStream; output: NodeJS.WritableStream } = { input: process.stdin, output: process.stdout }): Promise<Record<string, string>> {
  const { createInterface } = await import("node:readline");
  const earlier = readPredictions()[stepId] ?? {};
  const answers: Record<string, string> = { ...earlier };
  const reader = createInterface({ input: io.input, terminal: false });
  // Lines are read through the iterator, which keeps the ones that arrive before they are asked for (a paste, a pipe).
  const lines = reader[Symbol.asyncIterator]();
  try {
    io.output.write(`Predict, then run: ${questions.length} question${questions.length === 1 ? "" : "s"}, one line each (Enter alone keeps ${Object.keys(earlier).length > 0 ? "your earlier answer" : "it blank"}).\n`);
    for (const [index, { tradeoff, question }] of questions.entries()) {
      io.output.write(`\n${index + 1}. ${tradeoff}\n   ${question}${earlier[tradeoff] ? `\n   (before: ${earlier[tradeoff]})` : ""}\n   > `);
      const line = await lines.next();
      if (line.done) break; // the input ended (Ctrl-D): keep what was answered
      const answer = String(line.value).trim();
      if (answer) answers[tradeoff] = answer;
    }
  } finally {
    reader.close();
  }
  recordPredictions(stepId, answers);
  return answers;
}
