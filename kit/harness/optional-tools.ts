/**
 * Tools a few of the kit's own tests need and an attendee's laptop may not have: a
 * Chromium-family browser (the hub's browser tests) and a Compose CLI (the compose file's own
 * validation). Without one, those tests are skipped and marked `notChecked`: `npm test` passes
 * and its summary says what was not checked and how to install it; with CI=true (as .ci/run
 * runs) a missing one fails, so CI keeps checking everything.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import type {} from "vitest";

declare module "vitest" {
  interface TaskMeta {
    notChecked?: NotChecked;
  }
}

export interface NotChecked {
  /** What went unchecked, for the summary: "the hub in a real browser". */
  what: string;
  /** Why, and how to install what is missing. */
  install: string;
}

/** Test options for a test skipped because a tool is missing (read by results-reporter.ts). */
export function notChecked(what: string, install: string): { meta: { notChecked: NotChecked } } {
  return { meta: { notChecked: { what, install } } };
}

export interface Browser {
  executablePath: string;
  label: string;
}

interface Where {
  env: NodeJS.ProcessEnv;
  platform: NodeJS.Platform;
  exists: (file: string) => boolean;
}

const onThisMachine: Where = { env: process.env, platform: process.platform, exists: existsSync };

/**
 * The first Chromium-family browser installed the way people have them: CHROMIUM_PATH, then
 * chromium, Google Chrome, Microsoft Edge and Brave on the PATH and in the usual install folders
 * of Linux, macOS and Windows — the folders playwright-core's "chrome" and "msedge" channels use.
 */
export function findBrowser(where: Where = onThisMachine): Browser | undefined {
  const { env, platform, exists } = where;
  if (env.CHROMIUM_PATH) return exists(env.CHROMIUM_PATH) ? { executablePath: env.CHROMIUM_PATH, label: `CHROMIUM_PATH (${env.CHROMIUM_PATH})` } : undefined;
  const join = platform === "win32" ? path.win32.join : path.posix.join;
  const candidates: string[] = [];
  const names = platform === "win32" ? ["chrome.exe", "msedge.exe", "brave.exe", "chromium.exe"] : ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "microsoft-edge", "microsoft-edge-stable", "brave-browser", "brave"];
  for (const dir of (env.PATH ?? env.Path ?? "").split(platform === "win32" ? ";" : ":").filter(Boolean)) for (const name of names) candidates.push(join(dir, name));
  if (platform === "darwin") {
    for (const app of ["Google Chrome", "Chromium", "Microsoft Edge", "Brave Browser"]) {
      for (const root of ["/Applications", join(env.HOME ?? "", "Applications")]) candidates.push(join(root, `${app}.app`, "Contents", "MacOS", app));
    }
  }
  if (platform === "win32") {
    for (const root of [env.LOCALAPPDATA, env.PROGRAMFILES, env["PROGRAMFILES(X86)"], env.ProgramFiles, env["ProgramFiles(x86)"]].filter((dir): dir is string => Boolean(dir))) {
      candidates.push(join(root, "Google", "Chrome", "Application", "chrome.exe"), join(root, "Microsoft", "Edge", "Application", "msedge.exe"), join(root, "BraveSoftware", "Brave-Browser", "Application", "brave.exe"), join(root, "Chromium", "Application", "chrome.exe"));
    }
  }
  if (platform === "linux") candidates.push("/opt/google/chrome/chrome", "/opt/microsoft/msedge/msedge", "/opt/brave.com/brave/brave", "/snap/bin/chromium");
  const found = candidates.find((candidate) => exists(candidate));
  return found ? { executablePath: found, label: found } : undefined;
}

export const browserInstall =
  "no Chromium-family browser found: install Chromium, Google Chrome, Microsoft Edge or Brave (Debian/Ubuntu: sudo apt-get install chromium), or point CHROMIUM_PATH at one";

export interface ComposeCli {
  command: string;
  args: string[];
  label: string;
  v1: boolean;
}

/** Compose v2 (`docker compose`), else the old v1 (`docker-compose`). */
export function findComposeCli(): ComposeCli | undefined {
  const works = (command: string, args: string[]) => spawnSync(command, args, { encoding: "utf8" }).status === 0;
  if (works("docker", ["compose", "version"])) return { command: "docker", args: ["compose"], label: "docker compose", v1: false };
  if (works("docker-compose", ["version"])) return { command: "docker-compose", args: [], label: "docker-compose (v1, without the top-level name:)", v1: true };
  return undefined;
}

export const composeInstall = "neither `docker compose` nor `docker-compose` is installed: Docker Desktop includes Compose; on Linux install the docker-compose-plugin package";

/** CI=true (any value but "" and "false"): a missing tool is a failure there. */
export function requireEveryTool(env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(env.CI) && env.CI !== "false" && env.CI !== "0";
}
