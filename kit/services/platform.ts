/**
 * The native path's platform-specific pieces, as pure functions of the platform, the environment
 * and what a folder holds. No machine here runs macOS or Windows, so these are checked by
 * construction: kit/tests/platform.test.ts runs them with path.win32 and path.posix.
 */
import path from "node:path";

export interface Platform {
  platform: NodeJS.Platform;
  env: NodeJS.ProcessEnv;
  /** The folders in a folder, newest version first ([] when it does not exist). */
  listDirs: (dir: string) => string[];
}

function pathFor(platform: NodeJS.Platform): path.PlatformPath {
  return platform === "win32" ? path.win32 : path.posix;
}

/**
 * Where to look for `java`, in order: JAVA_HOME, the PATH, then the folders the usual installers
 * use (a JDK installed from a .pkg or .msi often sets neither JAVA_HOME nor the PATH for new shells).
 */
export function javaCandidates({ platform, env, listDirs }: Platform): string[] {
  const p = pathFor(platform);
  const exe = platform === "win32" ? "java.exe" : "java";
  const inHome = (home: string) => p.join(home, "bin", exe);
  const candidates: string[] = [];
  if (env.JAVA_HOME) candidates.push(inHome(env.JAVA_HOME));
  candidates.push("java"); // on the PATH
  if (platform === "darwin") {
    const vms = "/Library/Java/JavaVirtualMachines";
    candidates.push(...listDirs(vms).map((jdk) => inHome(p.join(vms, jdk, "Contents", "Home"))));
    for (const brew of ["/opt/homebrew/opt", "/usr/local/opt"]) {
      candidates.push(...listDirs(brew).filter((name) => /^openjdk(@\d+)?$/.test(name)).map((name) => inHome(p.join(brew, name))));
    }
  } else if (platform === "win32") {
    const programFiles = env.ProgramFiles ?? "C:\\Program Files";
    for (const vendor of ["Eclipse Adoptium", "Microsoft", "Java", "Zulu", "Amazon Corretto"]) {
      const dir = p.join(programFiles, vendor);
      candidates.push(...listDirs(dir).filter((name) => /jdk|jre|zulu/i.test(name)).map((jdk) => inHome(p.join(dir, jdk))));
    }
  } else {
    candidates.push(...listDirs("/usr/lib/jvm").map((jdk) => inHome(p.join("/usr/lib/jvm", jdk))));
  }
  return candidates;
}

/**
 * How to run a command: Windows needs a shell for mvn.cmd (a batch file), and that shell splits
 * arguments on spaces and reads & | < > ^ as its own, so those arguments are quoted.
 */
export function commandLine(platform: NodeJS.Platform, command: string, args: string[]): { command: string; args: string[]; shell: boolean } {
  if (platform !== "win32") return { command, args, shell: false };
  return { command: quoteForCmd(command), args: args.map(quoteForCmd), shell: true };
}

export function quoteForCmd(arg: string): string {
  if (arg !== "" && !/[\s"&|<>^()]/.test(arg)) return arg;
  return `"${arg.replaceAll('"', '""')}"`;
}

export function mavenExecutable(platform: NodeJS.Platform): string {
  return platform === "win32" ? "mvn.cmd" : "mvn";
}

/** The jars in a classpath Maven wrote on this platform (";" on Windows, ":" elsewhere). */
export function classpathEntries(classpath: string, platform: NodeJS.Platform): string[] {
  return classpath.trim().split(pathFor(platform).delimiter).filter(Boolean);
}

/** Where PostgreSQL's programs (initdb, pg_ctl) are installed, newest version first. */
export function postgresBinDirs({ platform, env, listDirs }: Platform): string[] {
  const p = pathFor(platform);
  if (platform === "win32") {
    // The EDB installer: C:\Program Files\PostgreSQL\<major>\bin.
    const root = p.join(env.ProgramFiles ?? "C:\\Program Files", "PostgreSQL");
    return listDirs(root).map((major) => p.join(root, major, "bin"));
  }
  const brew = ["/opt/homebrew/opt", "/usr/local/opt"].flatMap((dir) => listDirs(dir).filter((name) => name.startsWith("postgresql")).map((name) => p.join(dir, name, "bin")));
  if (platform === "darwin") {
    const app = "/Applications/Postgres.app/Contents/Versions";
    return [...brew, ...listDirs(app).map((version) => p.join(app, version, "bin"))];
  }
  return [...listDirs("/usr/lib/postgresql").map((major) => p.join("/usr/lib/postgresql", major, "bin")), ...brew];
}

/** Where redis-server is installed when it is not on the PATH. */
export function redisBinDirs({ platform, env }: Pick<Platform, "platform" | "env">): string[] {
  if (platform === "win32") {
    // Memurai (the Redis-compatible server for Windows) and the old MSOpenTech port.
    const programFiles = env.ProgramFiles ?? "C:\\Program Files";
    return [path.win32.join(programFiles, "Memurai"), path.win32.join(programFiles, "Redis")];
  }
  return ["/opt/homebrew/bin", "/usr/local/bin"];
}

/** The names redis-server goes by: Memurai's is memurai.exe. */
export function redisServerNames(platform: NodeJS.Platform): string[] {
  return platform === "win32" ? ["redis-server", "memurai"] : ["redis-server"];
}

export type StopPlan = { kind: "signal"; signal: NodeJS.Signals } | { kind: "command"; command: string; args: string[] } | { kind: "none" };

/**
 * How to stop a service the kit started. POSIX: a signal (SIGINT is PostgreSQL's "fast" shutdown).
 * Windows has no signals: Node would kill the process outright, so PostgreSQL is stopped with
 * pg_ctl (a clean shutdown, no recovery at the next start) and the others with taskkill, which
 * also ends a process's children (/T).
 */
export function stopPlan(platform: NodeJS.Platform, service: "postgres" | "redis" | "kafka", target: { pid?: number; dataDir?: string; pgCtl?: string }): StopPlan {
  if (platform !== "win32") return { kind: "signal", signal: service === "postgres" ? "SIGINT" : "SIGTERM" };
  if (service === "postgres" && target.dataDir) return { kind: "command", command: target.pgCtl ?? "pg_ctl", args: ["stop", "-D", target.dataDir, "-m", "fast", "-w"] };
  if (target.pid === undefined) return { kind: "none" };
  return { kind: "command", command: "taskkill", args: ["/PID", String(target.pid), "/T", "/F"] };
}

/** Pausing a process (a broker that stops answering, without dying) needs SIGSTOP: not on Windows. */
export function canPauseProcesses(platform: NodeJS.Platform): boolean {
  return platform !== "win32";
}
