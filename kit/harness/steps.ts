/** The workshop's steps: the folders of exercises/, in order. */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { exercisesDir, solutionsDir } from "./paths.ts";

export interface Step {
  /** The folder name, "01-crud": the step's id everywhere in the kit. */
  id: string;
  number: string;
  title: string;
  exerciseDir: string;
  solutionDir: string;
  readme: string;
}

export function listSteps(): Step[] {
  if (!existsSync(exercisesDir)) return [];
  return readdirSync(exercisesDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && /^\d\d-[a-z0-9-]+$/.test(entry.name))
    .map((entry) => toStep(entry.name))
    .sort((a, b) => a.id.localeCompare(b.id));
}

function toStep(id: string): Step {
  const exerciseDir = path.join(exercisesDir, id);
  const readme = path.join(exerciseDir, "README.md");
  const heading = existsSync(readme) ? /^#\s+(.+)$/m.exec(readFileSync(readme, "utf8"))?.[1] : undefined;
  // "# Step 01 — crud: the wallet as a Postgres table" → "crud: the wallet as a Postgres table"
  const title = heading?.replace(/^Step\s+\d+\s*[—–-]\s*/i, "").trim() || id;
  return { id, number: id.slice(0, 2), title, exerciseDir, solutionDir: path.join(solutionsDir, id), readme };
}

export class UnknownStep extends Error {
  override readonly name = "UnknownStep";
}

/** "1", "01", "01-crud" or "crud" → the step; anything else → an error listing the steps. */
export function findStep(argument: string | undefined): Step {
  const steps = listSteps();
  const wanted = (argument ?? "").trim().toLowerCase();
  const step = wanted
    ? steps.find((candidate) => candidate.id === wanted || candidate.number === wanted.padStart(2, "0") || candidate.id.slice(3) === wanted)
    : undefined;
  if (!step) {
    const list = steps.map((candidate) => `  ${candidate.number}  ${candidate.title}`).join("\n");
    throw new UnknownStep(`${wanted ? `There is no step "${argument}".` : "Which step?"} The steps are:\n${list}\nFor example: npm run step ${steps[0]?.number ?? "00"}`);
  }
  return step;
}
