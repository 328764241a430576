/**
 * Stopping what the kit started natively, on Windows, where there are no POSIX signals: Node's
 * process.kill would end PostgreSQL outright (crash recovery at the next start), so it gets
 * pg_ctl's fast shutdown; the broker and Redis get taskkill (platform.ts stopPlan).
 */
import { postgresBinDirs, stopPlan } from "./platform.ts";
import type { StartedService } from "./state.ts";
import { findExecutable, listDirs, run } from "./tools.ts";
import type { ServiceName } from "./types.ts";

export async function stopWithoutSignals(name: ServiceName, service: StartedService): Promise<void> {
  const pgCtl = name === "postgres" ? findExecutable(["pg_ctl"], postgresBinDirs({ platform: "win32", env: process.env, listDirs })) : undefined;
  const plan = stopPlan("win32", name, { ...(service.pid ? { pid: service.pid } : {}), ...(service.dataDir ? { dataDir: service.dataDir } : {}), ...(pgCtl ? { pgCtl } : {}) });
  if (plan.kind === "command") await run(plan.command, plan.args);
}
