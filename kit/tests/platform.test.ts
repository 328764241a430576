/**
 * The native path on macOS and Windows laptops, checked by construction (nothing here runs
 * either): where java, PostgreSQL and Redis are found, how mvn.cmd is called through cmd.exe,
 * the classpath separator, and how a service is stopped without POSIX signals.
 */
import { describe, expect, test } from "vitest";
import { chooseJava } from "../services/tools.ts";
import { canPauseProcesses, classpathEntries, commandLine, javaCandidates, mavenExecutable, postgresBinDirs, quoteForCmd, redisBinDirs, redisServerNames, stopPlan } from "../services/platform.ts";

/** A file system with these folders (and their sub-folders), and nothing else. */
const folders = (tree: Record<string, string[]>) => (dir: string) => tree[dir] ?? [];

describe("finding java", () => {
  test("macOS: JAVA_HOME, the PATH, then the installers' JDKs and Homebrew's", () => {
    const listDirs = folders({ "/Library/Java/JavaVirtualMachines": ["temurin-21.jdk"], "/opt/homebrew/opt": ["openjdk@21", "openssl@3", "openjdk"] });
    expect(javaCandidates({ platform: "darwin", env: { JAVA_HOME: "/Users/ada/jdk" }, listDirs })).toEqual([
      "/Users/ada/jdk/bin/java",
      "java",
      "/Library/Java/JavaVirtualMachines/temurin-21.jdk/Contents/Home/bin/java",
      "/opt/homebrew/opt/openjdk@21/bin/java",
      "/opt/homebrew/opt/openjdk/bin/java",
    ]);
  });

  test("Windows: java.exe under JAVA_HOME, then Adoptium's and Microsoft's JDK folders", () => {
    const listDirs = folders({ "C:\\Program Files\\Eclipse Adoptium": ["jdk-21.0.5.11-hotspot"], "C:\\Program Files\\Microsoft": ["jdk-17.0.13.11-hotspot", "Edge"] });
    expect(javaCandidates({ platform: "win32", env: { JAVA_HOME: "C:\\Users\\Ada Lovelace\\jdk-21", ProgramFiles: "C:\\Program Files" }, listDirs })).toEqual([
      "C:\\Users\\Ada Lovelace\\jdk-21\\bin\\java.exe",
      "java",
      "C:\\Program Files\\Eclipse Adoptium\\jdk-21.0.5.11-hotspot\\bin\\java.exe",
      "C:\\Program Files\\Microsoft\\jdk-17.0.13.11-hotspot\\bin\\java.exe",
    ]);
  });

  test("Linux: the PATH, then /usr/lib/jvm", () => {
    expect(javaCandidates({ platform: "linux", env: {}, listDirs: folders({ "/usr/lib/jvm": ["java-17-openjdk-amd64"] }) })).toEqual(["java", "/usr/lib/jvm/java-17-openjdk-amd64/bin/java"]);
  });
  describe("choosing among them: the first that runs as Java 17 or newer", () => {
    const temurin = "/Library/Java/JavaVirtualMachines/temurin-21.jdk/Contents/Home/bin/java";
    const brew = "/opt/homebrew/opt/openjdk/bin/java";
    const candidates = ["java", temurin, brew];
    /** A machine where these javas exist, with these versions (undefined: it does not run, like the Mac's stub). */
    const machine = (versions: Record<string, number | undefined>) => ({
      exists: (candidate: string) => candidate in versions,
      majorVersion: (candidate: string) => versions[candidate],
    });

    test("macOS with no JDK on the PATH: /usr/bin/java is a stub that runs no Java, so the installer's JDK", () => {
      expect(chooseJava(candidates, machine({ java: undefined, [temurin]: 21, [brew]: 23 }))).toBe(temurin);
    });

    test("an old Java first (JAVA_HOME or the PATH) and a new one later: the new one", () => {
      expect(chooseJava(["/Users/ada/jdk8/bin/java", ...candidates], machine({ "/Users/ada/jdk8/bin/java": 8, java: 11, [brew]: 17 }))).toBe(brew);
    });

    test("the first new enough wins, in the candidates' order", () => {
      expect(chooseJava(candidates, machine({ java: 17, [temurin]: 21 }))).toBe("java");
    });

    test("none new enough: the first that exists, so the error names its version; none at all: java", () => {
      expect(chooseJava(candidates, machine({ [temurin]: 11, [brew]: 8 }))).toBe(temurin);
      expect(chooseJava(candidates, machine({}))).toBe("java");
    });
  });
});

describe("running Maven and java through Windows' shell", () => {
  test("mvn.cmd on Windows, mvn elsewhere", () => {
    expect(mavenExecutable("win32")).toBe("mvn.cmd");
    expect(mavenExecutable("darwin")).toBe("mvn");
  });

  test("Windows: quoted where cmd.exe would split or interpret, through a shell; elsewhere as is", () => {
    const args = ["-f", "C:\\Users\\Ada Lovelace\\kit\\pom.xml", "-Dkafka.version=4.4.0", "a&b", 'say "hi"', ""];
    expect(commandLine("win32", "C:\\Program Files\\Eclipse Adoptium\\jdk-21\\bin\\java.exe", args)).toEqual({
      command: '"C:\\Program Files\\Eclipse Adoptium\\jdk-21\\bin\\java.exe"',
      args: ["-f", '"C:\\Users\\Ada Lovelace\\kit\\pom.xml"', "-Dkafka.version=4.4.0", '"a&b"', '"say ""hi"""', '""'],
      shell: true,
    });
    expect(commandLine("darwin", "mvn", args)).toEqual({ command: "mvn", args, shell: false });
    expect(quoteForCmd("plain")).toBe("plain");
  });

  test("the classpath Maven writes: ';' between jars on Windows, ':' elsewhere", () => {
    expect(classpathEntries("C:\\m2\\kafka.jar;C:\\m2\\clients.jar\n", "win32")).toEqual(["C:\\m2\\kafka.jar", "C:\\m2\\clients.jar"]);
    expect(classpathEntries("/home/ada/.m2/kafka.jar:/home/ada/.m2/clients.jar", "linux")).toEqual(["/home/ada/.m2/kafka.jar", "/home/ada/.m2/clients.jar"]);
  });
});

describe("finding PostgreSQL and Redis", () => {
  test("macOS: Homebrew (Apple silicon, then Intel), then Postgres.app", () => {
    const listDirs = folders({ "/opt/homebrew/opt": ["postgresql@17", "redis"], "/usr/local/opt": ["postgresql@16"], "/Applications/Postgres.app/Contents/Versions": ["17", "latest"] });
    expect(postgresBinDirs({ platform: "darwin", env: {}, listDirs })).toEqual([
      "/opt/homebrew/opt/postgresql@17/bin",
      "/usr/local/opt/postgresql@16/bin",
      "/Applications/Postgres.app/Contents/Versions/17/bin",
      "/Applications/Postgres.app/Contents/Versions/latest/bin",
    ]);
    expect(redisBinDirs({ platform: "darwin", env: {} })).toEqual(["/opt/homebrew/bin", "/usr/local/bin"]);
  });

  test("Windows: the EDB installer's folders; Memurai for Redis", () => {
    const listDirs = folders({ "D:\\Apps\\PostgreSQL": ["17", "16"] });
    expect(postgresBinDirs({ platform: "win32", env: { ProgramFiles: "D:\\Apps" }, listDirs })).toEqual(["D:\\Apps\\PostgreSQL\\17\\bin", "D:\\Apps\\PostgreSQL\\16\\bin"]);
    expect(redisBinDirs({ platform: "win32", env: { ProgramFiles: "C:\\Program Files" } })).toEqual(["C:\\Program Files\\Memurai", "C:\\Program Files\\Redis"]);
    expect(redisServerNames("win32")).toEqual(["redis-server", "memurai"]);
  });

  test("Linux: Debian's /usr/lib/postgresql/<major>/bin", () => {
    expect(postgresBinDirs({ platform: "linux", env: {}, listDirs: folders({ "/usr/lib/postgresql": ["15"] }) })).toEqual(["/usr/lib/postgresql/15/bin"]);
  });
});

describe("stopping what the kit started", () => {
  test("POSIX: a signal (SIGINT is PostgreSQL's fast shutdown)", () => {
    expect(stopPlan("darwin", "postgres", { dataDir: "/x" })).toEqual({ kind: "signal", signal: "SIGINT" });
    expect(stopPlan("linux", "kafka", { pid: 42 })).toEqual({ kind: "signal", signal: "SIGTERM" });
  });

  test("Windows: pg_ctl stop for PostgreSQL, taskkill for the rest, since there are no signals", () => {
    expect(stopPlan("win32", "postgres", { dataDir: "C:\\kit\\.state\\postgres\\data", pgCtl: "C:\\Program Files\\PostgreSQL\\17\\bin\\pg_ctl.exe" })).toEqual({
      kind: "command",
      command: "C:\\Program Files\\PostgreSQL\\17\\bin\\pg_ctl.exe",
      args: ["stop", "-D", "C:\\kit\\.state\\postgres\\data", "-m", "fast", "-w"],
    });
    expect(stopPlan("win32", "kafka", { pid: 4242 })).toEqual({ kind: "command", command: "taskkill", args: ["/PID", "4242", "/T", "/F"] });
    expect(stopPlan("win32", "redis", {})).toEqual({ kind: "none" });
  });

  test("pausing a process (SIGSTOP) is not there on Windows", () => {
    expect(canPauseProcesses("win32")).toBe(false);
    expect(canPauseProcesses("darwin")).toBe(true);
  });
});
