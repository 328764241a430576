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
