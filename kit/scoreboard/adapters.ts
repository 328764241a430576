/**
 * Where the scoreboard's adapters are: `exercises/NN-name/bench/scoreboard.ts` in every step
 * that can serve the wallet workload. They are found by listing the folders and loaded by path
 * at run time, never imported by name: the kit depends on no step, and a new step joins the
 * scoreboard by shipping that file.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { ScoreboardAdapter } from "../lib/scoreboard.ts";
import { rootDir } from "../harness/paths.ts";
import { listSteps } from "../harness/steps.ts";

export const adapterFile = path.join("bench", "scoreboard.ts");

/** The steps with an adapter, in step order, as paths from the root. */
export function adapterPaths(stepIds = listSteps().map((step) => step.id)): string[] {
  return stepIds.map((id) => path.join("exercises", id, adapterFile)).filter((file) => existsSync(path.join(rootDir, file)));
}

export class NotAnAdapter extends Error {
  override readonly name = "NotAnAdapter";
}

/** Loads one adapter by path (under vitest, so `../src/` is the solution's under npm run bench) and checks its shape. */
export async function loadAdapter(file: string): Promise<ScoreboardAdapter> {
  const module = (await import(pathToFileURL(path.join(rootDir, file)).href)) as { default?: Partial<ScoreboardAdapter> };
  const adapter = module.default;
  const missing = (["step", "architecture", "path", "crashDesign", "start"] as const).filter((key) => adapter?.[key] === undefined);
  if (!adapter || missing.length > 0) throw new NotAnAdapter(`${file} must export default a ScoreboardAdapter (#kit/scoreboard); it lacks ${missing.join(", ")}`);
  return adapter as ScoreboardAdapter;
}
