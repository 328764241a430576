/**
 * PostgreSQL and Redis on the native path: used where they already listen on this
 * machine, or started by the kit from locally installed binaries in a private directory.
 */
import { spawn } from "node:child_process";
import { closeSync, existsSync, mkdirSync, openSync } from "node:fs";
import path from "node:path";
import { stateDir } from "../harness/paths.ts";
import { safeUserName } from "../lib/names.ts";
import { kitDatabaseUrl, kitPorts, kitRedisUrl } from "./config.ts";
import { ServiceUnavailable } from "./errors.ts";
import { probePostgres, probeRedis } from "./probe.ts";
import { recordStarted } from "./state.ts";
import { findExecutable, listDirs, run } from "./tools.ts";
import { postgresBinDirs as platformPostgresBinDirs, redisBinDirs, redisServerNames } from "./platform.ts";

/** The ways people commonly run Postgres on their laptop, tried in order. */
export function localPostgresCandidates(): string[] {
  const user = safeUserName();
  return [
    ...(user ? [`postgres://${encodeURIComponent(user)}@127.0.0.1:5432/postgres`] : []),
    "postgres://postgres@127.0.0.1:5432/postgres",
    "postgres://postgres:postgres@127.0.0.1:5432/postgres",
  ];
}

export const localRedisCandidates = ["redis://127.0.0.1:6379"];

export async function findLocalPostgres(): Promise<string | undefined> {
  for (const url of localPostgresCandidates()) if ((await probePostgres(url)).ok) return url;
  return undefined;
}

export async function findLocalRedis(): Promise<string | undefined> {
  for (const url of localRedisCandidates) if ((await probeRedis(url)).ok) return url;
  return undefined;
}

// ---------------------------------------------------------------------------

const postgresBinDirs = (): string[] => platformPostgresBinDirs({ platform: process.platform, env: process.env, listDirs });

/** A private Postgres in kit/.state/postgres, on the kit's port, with the compose file's credentials. */
export async function startPrivatePostgres(log: (line: string) => void): Promise<string> {
  const initdb = findExecutable(["initdb"], postgresBinDirs());
  const pgCtl = initdb && findExecutable(["pg_ctl"], [path.dirname(initdb), ...postgresBinDirs()]);
  if (!initdb || !pgCtl) {
    throw new ServiceUnavailable("postgres", "no PostgreSQL answers on 127.0.0.1:5432 and no PostgreSQL binaries (initdb, pg_ctl) were found", [
      "start Docker and run again (the kit brings up its own Postgres)",
      "or install PostgreSQL (`brew install postgresql@17`, `sudo apt-get install postgresql`) and run again",
      "or point DATABASE_URL at a Postgres you have",
    ]);
  }
  if (process.getuid?.() === 0) {
    throw new ServiceUnavailable("postgres", "PostgreSQL refuses to run as root, and no Postgres answers on 127.0.0.1:5432", [
      "start the system's PostgreSQL service (e.g. `sudo service postgresql start`)",
      "or point DATABASE_URL at a Postgres you have",
    ]);
  }
  const home = path.join(stateDir, "postgres");
  const dataDir = path.join(home, "data");
  const logFile = path.join(home, "postgres.log");
  mkdirSync(home, { recursive: true });
  if (!existsSync(path.join(dataDir, "PG_VERSION"))) {
    log("Creating a private PostgreSQL cluster in kit/.state/postgres…");
    const init = await run(initdb, ["-D", dataDir, "-U", "workshop", "--auth=trust", "--encoding=UTF8", "--no-sync"]);
    if (init.code !== 0) throw new ServiceUnavailable("postgres", "initdb failed", [`delete ${dataDir} and run again`], init.stderr.slice(-2000));
  }
  const options = `-p ${kitPorts.postgres} -c listen_addresses=127.0.0.1 -k "${home}" -c fsync=off`;
  const start = await run(pgCtl, ["start", "-D", dataDir, "-l", logFile, "-w", "-t", "60", "-o", options]);
  if (start.code !== 0) throw new ServiceUnavailable("postgres", "pg_ctl could not start the private PostgreSQL", [`read ${logFile}`], start.stderr.slice(-2000));
  // The compose file's database name, so both paths give the same URL.
  const bootstrap = `postgres://workshop@127.0.0.1:${kitPorts.postgres}/postgres`;
  const { default: pg } = await import("pg");
  const client = new pg.Client({ connectionString: bootstrap });
  await client.connect();
  const exists = await client.query("SELECT 1 FROM pg_database WHERE datname = 'workshop'");
  if (exists.rowCount === 0) await client.query("CREATE DATABASE workshop");
  await client.end();
  recordStarted("postgres", { origin: "native", url: kitDatabaseUrl, dataDir, logFile, startedAt: new Date().toISOString() });
  return kitDatabaseUrl;
}

/** A private Redis on the kit's port, keeping nothing on disk. */
export async function startPrivateRedis(log: (line: string) => void): Promise<string> {
  const redisServer = findExecutable(redisServerNames(process.platform), redisBinDirs({ platform: process.platform, env: process.env }));
  if (!redisServer) {
    throw new ServiceUnavailable("redis", "no Redis answers on 127.0.0.1:6379 and redis-server is not installed", [
      "start Docker and run again (the kit brings up its own Redis)",
      "or install Redis (`brew install redis`, `sudo apt-get install redis-server`) and run again",
      "or point REDIS_URL at a Redis you have",
    ]);
  }
  const home = path.join(stateDir, "redis");
  mkdirSync(home, { recursive: true });
  const logFile = path.join(home, "redis.log");
  log(`Starting a private Redis on 127.0.0.1:${kitPorts.redis}…`);
  const out = openSync(logFile, "a");
  const child = spawn(redisServer, ["--port", String(kitPorts.redis), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", home], {
    detached: true,
    stdio: ["ignore", out, out],
    windowsHide: true,
  });
  closeSync(out);
  child.unref();
  const deadline = Date.now() + 15_000;
  while (!(await probeRedis(kitRedisUrl)).ok) {
    if (Date.now() > deadline) throw new ServiceUnavailable("redis", "the private redis-server did not answer within 15 s", [`read ${logFile}`]);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  recordStarted("redis", { origin: "native", url: kitRedisUrl, pid: child.pid, logFile, startedAt: new Date().toISOString() });
  return kitRedisUrl;
}
