/**
 * Tests are written once, next to the exercise, and import the exercise's code
 * (`../src/wallet.ts`). With KIT_TARGET=solutions this Vite plugin sends every import
 * that lands in `exercises/NN-name/src/` to the same file in `solutions/NN-name/src/`,
 * so the very same tests check the finished code.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import type { Plugin } from "vite";

/**
 * exercises: your work; solutions: the finished code; pristine: the exercises as the kit
 * ships them (a copy taken from git into KIT_PRISTINE_DIR), for `npm test` to check the kit
 * itself while your own work sits in exercises/.
 */
export type Target = "exercises" | "solutions" | "pristine";

export function targetFromEnv(): Target {
  const target = process.env.KIT_TARGET;
  return target === "solutions" || target === "pristine" ? target : "exercises";
}

/** The file that mirrors an exercise source file under `baseDir` (solutions/ or a pristine copy), or undefined if `file` is not one. */
export function mirroredFileFor(file: string, rootDir: string, baseDir: string): string | undefined {
  const relative = path.relative(path.join(rootDir, "exercises"), file);
  const [step, folder, ...rest] = relative.split(path.sep);
  if (!step || folder !== "src" || rest.length === 0 || relative.startsWith("..")) return undefined;
  return path.join(baseDir, step, "src", ...rest);
}

export function targetPlugin(target: Target, rootDir: string): Plugin {
  const baseDir = target === "solutions" ? path.join(rootDir, "solutions") : process.env.KIT_PRISTINE_DIR;
  return {
    name: "kit:exercise-or-solution",
    enforce: "pre",
    async resolveId(source, importer, options) {
      if (target === "exercises" || !baseDir || !importer) return null;
      const resolved = await this.resolve(source, importer, { ...options, skipSelf: true });
      if (!resolved || resolved.external) return resolved;
      const mirrored = mirroredFileFor(resolved.id, rootDir, baseDir);
      if (!mirrored) return resolved;
      if (!existsSync(mirrored)) {
        // A pristine copy lacks files the kit's git history doesn't have yet: use the working tree's.
        if (target === "pristine") return resolved;
        throw new Error(`${path.relative(rootDir, resolved.id)} has no solution: expected ${path.relative(rootDir, mirrored)}`);
      }
      return { ...resolved, id: mirrored };
    },
  };
}
