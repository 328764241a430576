/** Finding and running the machine's tools (java, mvn, pg_ctl, redis-server) from TypeScript. */
import { spawn, spawnSync } from "node:child_process";
import { accessSync, constants, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { commandLine, javaCandidates, mavenExecutable } from "./platform.ts";

const windows = process.platform === "win32";

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command to completion and captures its output. Never throws for a missing command: code is null. */
export function run(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<RunResult> {
  return new Promise((resolve) => {
    let stdout = "";
    let stderr = "";
    // Windows runs mvn.cmd through a shell, which splits arguments on spaces (C:\Users\Ada Lovelace\…):
    // commandLine quotes the command and the arguments that need it.
    const line = commandLine(process.platform, command, args);
    const child = spawn(line.command, line.args, { ...options, shell: line.shell, windowsHide: true });
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("error", (error) => resolve({ code: null, stdout, stderr: stderr + error.message }));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/**
 * The java to run: the first of $JAVA_HOME/bin/java, java on the PATH, and the ones in the folders
 * the usual JDK installers use (platform.ts javaCandidates) that is Java 17 or newer. Not simply the
 * first that exists: on every Mac /usr/bin/java is a stub that only offers to install a JDK, and a
 * machine may have an old Java first on its PATH and a new one in a JDK folder. With none new
 * enough, the first that exists, so the error can say which version was found.
 */
export function javaCommand(): string {
  chosenJava ??= chooseJava(javaCandidates({ platform: process.platform, env: process.env, listDirs }), {
    exists: (candidate) => (candidate === "java" ? findExecutable(["java"]) !== undefined : isExecutableFile(candidate)),
    majorVersion: (candidate) => javaMajorVersion(candidate),
  });
  return chosenJava;
}

/** Asking each java its version costs a JVM start: once per process is enough. */
let chosenJava: string | undefined;

export interface JavaProbe {
  exists: (candidate: string) => boolean;
  majorVersion: (candidate: string) => number | undefined;
}

/** The first candidate that exists and runs as Java 17+; else the first that exists; else "java". */
export function chooseJava(candidates: readonly string[], { exists, majorVersion }: JavaProbe, minimum = 17): string {
  const present = [...new Set(candidates)].filter(exists);
  return present.find((candidate) => (majorVersion(candidate) ?? 0) >= minimum) ?? present[0] ?? "java";
}

export function mavenCommand(): string {
  return mavenExecutable(process.platform);
}

/** The major version of a java binary (8, 11, 17, 21, …), or undefined if it does not run. */
export function javaMajorVersion(java = javaCommand()): number | undefined {
  const line = commandLine(process.platform, java, ["-version"]);
  const result = spawnSync(line.command, line.args, { encoding: "utf8", shell: line.shell, windowsHide: true });
  if (result.error || result.status !== 0) return undefined;
  const match = /version "(\d+)(?:\.(\d+))?/.exec(`${result.stderr}${result.stdout}`);
  if (!match?.[1]) return undefined;
  const major = Number(match[1]);
  return major === 1 ? Number(match[2]) : major; // "1.8.0" is Java 8
}

export function mavenVersion(): string | undefined {
  const line = commandLine(process.platform, mavenCommand(), ["-v"]);
  const result = spawnSync(line.command, line.args, { encoding: "utf8", shell: line.shell, windowsHide: true });
  if (result.error || result.status !== 0) return undefined;
  return /Apache Maven ([\d.]+)/.exec(result.stdout)?.[1];
}

/** The first of `names` found on the PATH (or in `extraDirs`), as an absolute path. */
export function findExecutable(names: string[], extraDirs: string[] = []): string | undefined {
  const dirs = [...(process.env.PATH ?? "").split(path.delimiter), ...extraDirs].filter(Boolean);
  const suffixes = windows ? [".exe", ".cmd", ""] : [""];
  for (const dir of dirs) {
    for (const name of names) {
      for (const suffix of suffixes) {
        const candidate = path.join(dir, name + suffix);
        if (isExecutableFile(candidate)) return candidate;
      }
    }
  }
  return undefined;
}

function isExecutableFile(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

/** The folders in a folder, newest version first; [] when it does not exist. */
export function listDirs(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true }).filter((entry) => entry.isDirectory() || entry.isSymbolicLink()).map((entry) => entry.name).sort((a, b) => b.localeCompare(a, "en", { numeric: true })); // 17 before 9.6
  } catch {
    return [];
  }
}
