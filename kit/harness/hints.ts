/**
 * Hints live in each step's README, under "## Hints", as
 *   <details><summary>Hint 1 — title</summary> … </details>
 * so they fold on GitHub and in the hub; `npm run hint NN` reveals them one at a time.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { stateDir } from "./paths.ts";
import { readStateFile } from "./state-file.ts";

export interface Hint {
  number: number;
  title: string;
  body: string;
}

export function parseHints(readme: string): Hint[] {
  const section = /^## Hints\s*$([\s\S]*?)(?=^## |(?![\s\S]))/m.exec(readme)?.[1] ?? "";
  return [...section.matchAll(/<details>\s*<summary>\s*Hint (\d+)\s*[—–-]\s*(.*?)\s*<\/summary>([\s\S]*?)<\/details>/g)].map((match) => ({
    number: Number(match[1]),
    title: match[2]!.trim(),
    body: dedent(match[3]!),
  }));
}

function dedent(text: string): string {
  const lines = text.replace(/^\s*\n/, "").trimEnd().split("\n");
  const indent = Math.min(...lines.filter((line) => line.trim()).map((line) => /^ */.exec(line)![0].length));
  return lines.map((line) => line.slice(Number.isFinite(indent) ? indent : 0)).join("\n");
}

export const hintsFile = path.join(stateDir, "hints.json");
const hintsSchema = z.record(z.string(), z.number().int().nonnegative());

/** How many hints of each step the attendee has seen (a broken file is set aside: all hints start over). */
export function hintsSeen(warn?: (line: string) => void): Record<string, number> {
  return readStateFile(hintsFile, hintsSchema, {}, warn);
}

export function recordHintsSeen(step: string, count: number): void {
  mkdirSync(stateDir, { recursive: true });
  writeFileSync(hintsFile, JSON.stringify({ ...hintsSeen(), [step]: count }, null, 2) + "\n");
}
