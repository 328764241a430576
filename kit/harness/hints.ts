/**
 * Hints live in each step's README, under "## Hints", as
 *   <details><summary>Hint 1 — title</summary> … </details>
 * so they fold on GitHub and in the hub; `npm run hint NN` reveals them one at a time.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { stateDir } from "./paths.ts";

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

const hintsFile = path.join(stateDir, "hints.json");

/** How many hints of each step the attendee has seen. */
export function hintsSeen(): Record<string, number> {
  try {
    return JSON.parse(readFileSync(hintsFile, "utf8")) as Record<string, number>;
  } catch {
    return {};
  }
}

export function recordHintsSeen(step: string, count: number): void {
  mkdirSync(stateDir, { recursive: true });
  writeFileSync(hintsFile, JSON.stringify({ ...hintsSeen(), [step]: count }, null, 2) + "\n");
}
