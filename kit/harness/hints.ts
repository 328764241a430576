/**
 * Hints live beside each step's README, in exercises/NN-name/hints.md, as
 *   ## Hint 1 — Task 2: title
 *   …
 * out of the README's reading path (a <details> block is open in a terminal or an editor, and
 * put the answer in plain view). The README lists their titles only, as a numbered list under
 * "## Hints"; `npm run hint NN` and the hub reveal the bodies one at a time. A task's hints are
 * graded — a question or a concept first, then where to look, code last — and the kit checks
 * what it can of that: the first hint of each task shows no code.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { stateDir } from "./paths.ts";
import { readStateFile } from "./state-file.ts";

export interface Hint {
  number: number;
  title: string;
  body: string;
}

/** The hints of a hints.md: each `## Hint N — title` heading and what follows it, up to the next. */
export function parseHints(markdown: string): Hint[] {
  const headings = [...markdown.matchAll(/^## Hint (\d+)\s*[—–-]\s*(.+?)\s*$/gm)];
  return headings.map((match, index) => ({
    number: Number(match[1]),
    title: match[2]!.trim(),
    body: markdown.slice(match.index + match[0].length, headings[index + 1]?.index ?? markdown.length).trim(),
  }));
}

export function hintsFileOf(step: { exerciseDir: string }): string {
  return path.join(step.exerciseDir, "hints.md");
}

/** The step's hints, in order; none when it has no hints.md. */
export function readHints(step: { exerciseDir: string }): Hint[] {
  const file = hintsFileOf(step);
  return existsSync(file) ? parseHints(readFileSync(file, "utf8")) : [];
}

/** The README's list of hint titles: "1. Task 1: …" lines under "## Hints". */
export function readmeHintTitles(readme: string): string[] {
  const section = /^## Hints\s*$([\s\S]*?)(?=^## |(?![\s\S]))/m.exec(readme)?.[1] ?? "";
  return [...section.matchAll(/^\d+\. (.+?)\s*$/gm)].map((match) => match[1]!);
}

/** "Task 2: take the rows" → 2; a hint that names no task belongs to the step as a whole. */
export function taskOfHint(hint: Pick<Hint, "title">): number | undefined {
  const match = /^Task (\d+)\b/.exec(hint.title);
  return match ? Number(match[1]) : undefined;
}

/**
 * What the kit can check of a step's hints: numbered 1, 2, 3…; the README lists exactly their
 * titles and holds none of their bodies; and the first hint of each task asks or explains —
 * it shows no code (a fenced block), so the answer is never the first thing an attendee reads.
 */
export function checkHints(readme: string, hints: Hint[]): string[] {
  const problems: string[] = [];
  if (hints.length === 0) problems.push("has no hints (hints.md, `## Hint 1 — …` headings)");
  hints.forEach((hint, index) => {
    if (hint.number !== index + 1) problems.push(`hints.md numbers hint ${index + 1} as ${hint.number}`);
  });
  const listed = readmeHintTitles(readme);
  const titles = hints.map((hint) => hint.title);
  if (JSON.stringify(listed) !== JSON.stringify(titles)) problems.push(`README.md's "## Hints" lists ${JSON.stringify(listed)}, hints.md has ${JSON.stringify(titles)}`);
  if (/<details>/.test(readme)) problems.push("README.md holds a <details> block: hints go in hints.md, the README lists their titles");
  const seen = new Set<number | undefined>();
  for (const hint of hints) {
    const task = taskOfHint(hint);
    if (task !== undefined && !seen.has(task) && /^```/m.test(hint.body)) problems.push(`hint ${hint.number} ("${hint.title}") is task ${task}'s first and shows code: start with a question or the concept, code comes last`);
    seen.add(task);
  }
  return problems;
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
