/** Finding and running the machine's tools (java, mvn, pg_ctl, redis-server) from TypeScript. */
import { spawn, spawnSync } from "node:child_process";
import { accessSync, constants, statSync } from "node:fs";
import path from "node:path";

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
    // Windows runs mvn.cmd through a shell, which splits arguments on spaces (C:\Users\Ada Lovelace\…).
    const quoted = windows ? args.map((arg) => (/\s/.test(arg) ? `"${arg}"` : arg)) : args;
    const child = spawn(command, quoted, { ...options, shell: windows, windowsHide: true });
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("error", (error) => resolve({ code: null, stdout, stderr: stderr + error.message }));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** The java to run: $JAVA_HOME/bin/java when JAVA_HOME is set, else java on the PATH. */
export function javaCommand(): string {
  return process.env.JAVA_HOME ? path.join(process.env.JAVA_HOME, "bin", windows ? "java.exe" : "java") : "java";
}

export function mavenCommand(): string {
  return windows ? "mvn.cmd" : "mvn";
}

/** The major version of a java binary (8, 11, 17, 21, …), or undefined if it does not run. */
export function javaMajorVersion(java = javaCommand()): number | undefined {
  const result = spawnSync(java, ["-version"], { encoding: "utf8", shell: windows, windowsHide: true });
  if (result.error || result.status !== 0) return undefined;
  const match = /version "(\d+)(?:\.(\d+))?/.exec(`${result.stderr}${result.stdout}`);
  if (!match?.[1]) return undefined;
  const major = Number(match[1]);
  return major === 1 ? Number(match[2]) : major; // "1.8.0" is Java 8
}

export function mavenVersion(): string | undefined {
  const result = spawnSync(mavenCommand(), ["-v"], { encoding: "utf8", shell: windows, windowsHide: true });
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
