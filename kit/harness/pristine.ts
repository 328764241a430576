/**
 * `npm test` checks the kit, not your progress: when your work has changed an exercise,
 * the integrity check runs against the exercises as the kit ships them (git HEAD),
 * copied into kit/.state/pristine. KIT_INTEGRITY=worktree checks the working tree instead.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { rootDir, stateDir } from "./paths.ts";
import type { Step } from "./steps.ts";
import type { Target } from "./target-plugin.ts";

export async function prepareIntegrityTarget(steps: Step[], log: (line: string) => void): Promise<{ target: Target; env: NodeJS.ProcessEnv }> {
  if (process.env.KIT_INTEGRITY === "worktree") return { target: "exercises", env: {} };
  const changed = steps.filter((step) => git(["status", "--porcelain", "--", `exercises/${step.id}/src`])?.trim());
  if (changed.length === 0) return { target: "exercises", env: {} };

  const pristineDir = path.join(stateDir, "pristine");
  rmSync(pristineDir, { recursive: true, force: true });
  for (const step of steps) {
    const files = git(["ls-tree", "-r", "--name-only", "HEAD", "--", `exercises/${step.id}/src`])?.split("\n").filter(Boolean) ?? [];
    for (const file of files) {
      const content = spawnSync("git", ["show", `HEAD:${file}`], { cwd: rootDir });
      if (content.status !== 0) continue;
      const target = path.join(pristineDir, path.relative("exercises", file));
      mkdirSync(path.dirname(target), { recursive: true });
      writeFileSync(target, content.stdout);
    }
  }
  log(`  ${changed.map((step) => `exercises/${step.id}/src`).join(", ")} ${changed.length === 1 ? "has" : "have"} your changes: checking the exercises as the kit ships them (git HEAD) instead.`);
  log("  Your own progress: npm run progress. (KIT_INTEGRITY=worktree checks your working tree.)");
  return { target: "pristine", env: { KIT_PRISTINE_DIR: pristineDir } };
}

function git(args: string[]): string | undefined {
  const result = spawnSync("git", args, { cwd: rootDir, encoding: "utf8" });
  return result.status === 0 ? result.stdout : undefined;
}
