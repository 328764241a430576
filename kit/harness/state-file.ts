/**
 * Reading a file the kit keeps in kit/.state (hint progress, the last run's results). Those files
 * are the kit's, but an attendee can break one (an editor's autosave, a disk that filled up, a
 * hand edit): a command must not die of it with a stack trace. A file that does not read is set
 * aside beside itself, for anyone who wants to look, the command says so, and starts fresh.
 */
import { existsSync, readFileSync, renameSync } from "node:fs";
import path from "node:path";
import type { z } from "zod";
import { rootDir } from "./paths.ts";

export function readStateFile<T>(file: string, schema: z.ZodType<T>, fresh: T, warn: (line: string) => void = console.error): T {
  if (!existsSync(file)) return fresh;
  let why: string;
  try {
    const parsed = schema.safeParse(JSON.parse(readFileSync(file, "utf8")));
    if (parsed.success) return parsed.data;
    why = `not what the kit writes there (${parsed.error.issues[0]?.message ?? "wrong shape"})`;
  } catch (error) {
    why = error instanceof SyntaxError ? "not valid JSON" : ((error as NodeJS.ErrnoException).code ?? "unreadable");
  }
  const aside = `${file}.corrupt-${new Date().toISOString().replace(/[:.]/g, "-")}`;
  try {
    renameSync(file, aside);
    warn(`${path.relative(rootDir, file)} was ${why}: set aside as ${path.relative(rootDir, aside)}, starting fresh.`);
  } catch {
    warn(`${path.relative(rootDir, file)} was ${why} and could not be moved aside: starting fresh (delete it to silence this).`);
  }
  return fresh;
}
