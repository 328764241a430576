/**
 * What the kit started, so the next run reuses it and `npm run services:down` stops
 * exactly that (and never a Postgres or Redis you run yourself).
 */
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { stateDir } from "../harness/paths.ts";
import type { ServiceName } from "./types.ts";

export interface StartedService {
  origin: "docker" | "native";
  url: string;
  pid?: number;
  logFile?: string;
  /** For a private Postgres: its data directory, for pg_ctl stop. */
  dataDir?: string;
  /** For Docker: the sha256 of docker-compose.yml it was started from (a later edit is not applied by itself). */
  composeHash?: string;
  startedAt: string;
}

export type StartedServices = Partial<Record<ServiceName, StartedService>>;

const stateFile = path.join(stateDir, "services.json");

export function readStarted(): StartedServices {
  try {
    return JSON.parse(readFileSync(stateFile, "utf8")) as StartedServices;
  } catch {
    return {};
  }
}

export function recordStarted(name: ServiceName, service: StartedService): void {
  writeStarted({ ...readStarted(), [name]: service });
}

export function forgetStarted(name: ServiceName): void {
  const { [name]: _gone, ...rest } = readStarted();
  writeStarted(rest);
}

function writeStarted(services: StartedServices): void {
  mkdirSync(stateDir, { recursive: true });
  writeFileSync(stateFile, JSON.stringify(services, null, 2) + "\n");
}

export function isProcessAlive(pid: number | undefined): boolean {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * One starter at a time: two `npm test` runs started together must not start two brokers.
 * A directory is the lock because creating one is atomic on every OS.
 */
export async function withServicesLock<T>(work: () => Promise<T>, { timeoutMs = 300_000 } = {}): Promise<T> {
  const lockDir = path.join(stateDir, "services.lock");
  mkdirSync(stateDir, { recursive: true });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      mkdirSync(lockDir);
      writeFileSync(path.join(lockDir, "pid"), String(process.pid));
      break;
    } catch {
      if (isStale(lockDir)) {
        rmSync(lockDir, { recursive: true, force: true });
        continue;
      }
      if (Date.now() > deadline) throw new Error(`another kit process holds ${lockDir}; if none runs, delete that folder`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  try {
    return await work();
  } finally {
    rmSync(lockDir, { recursive: true, force: true });
  }
}

function isStale(lockDir: string): boolean {
  try {
    const pid = Number(readFileSync(path.join(lockDir, "pid"), "utf8"));
    return !isProcessAlive(pid);
  } catch {
    // No pid file yet: its owner is between mkdir and write, unless the folder is old.
    try {
      return Date.now() - statSync(lockDir).mtimeMs > 10_000;
    } catch {
      return true;
    }
  }
}
