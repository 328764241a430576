/**
 * Moving an attendee's work: back to the start (reset) or to the solution (catchup).
 * Either way, the work that was there is first copied to kit/.state/backups, so nothing is lost.
 */
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, rmSync } from "node:fs";
import path from "node:path";
import { rootDir, stateDir } from "./paths.ts";
import type { Step } from "./steps.ts";

/** Copies the step's src to a new backup folder; undefined when there is no src to save (deleted by hand), and then no folder is made. */
export function backUpWork(step: Step): string | undefined {
  const src = path.join(step.exerciseDir, "src");
  if (!existsSync(src)) return undefined;
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  const backup = path.join(stateDir, "backups", `${step.id}-${stamp}`);
  mkdirSync(backup, { recursive: true });
  cpSync(src, path.join(backup, "src"), { recursive: true });
  return path.relative(rootDir, backup);
}

/** What a command says about the backup it made (or could not make). */
export function backupNote(step: Step, backup: string | undefined): string {
  return backup ? `Your work was saved in ${backup}.` : `There was no exercises/${step.id}/src to save (it had been deleted).`;
}

/** Copies the solution's src over the exercise's src. */
export function copySolutionIntoWork(step: Step): void {
  const from = path.join(step.solutionDir, "src");
  if (!existsSync(from)) throw new Error(`step ${step.id} has no solution in solutions/${step.id}/src`);
  const to = path.join(step.exerciseDir, "src");
  rmSync(to, { recursive: true, force: true });
  cpSync(from, to, { recursive: true });
}

/**
 * Puts the exercise's src back as the kit ships it: the version of the kit you cloned or
 * last pulled (your branch's upstream), or your last commit if there is no upstream.
 */
export function restoreStartingPoint(step: Step): string {
  const ref = ["@{upstream}", "origin/HEAD", "HEAD"].find((candidate) => git(["rev-parse", "--verify", "--quiet", `${candidate}^{commit}`]).ok);
  if (!ref) throw new Error("reset needs the kit's git history (clone the kit with git rather than downloading a zip)");
  const src = `exercises/${step.id}/src`;
  rmSync(path.join(rootDir, src), { recursive: true, force: true });
  const restore = git(["checkout", ref, "--", src]);
  if (!restore.ok) throw new Error(`git could not restore ${src} from ${ref}: ${restore.output}`);
  git(["reset", "--quiet", "--", src]); // leave the index as it was: only the files change
  return ref;
}

function git(args: string[]): { ok: boolean; output: string } {
  const result = spawnSync("git", args, { cwd: rootDir, encoding: "utf8" });
  return { ok: result.status === 0, output: `${result.stdout ?? ""}${result.stderr ?? ""}`.trim() };
}
