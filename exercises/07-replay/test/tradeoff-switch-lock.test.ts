/**
 * The blue/green switch is two statements, DROP VIEW and CREATE VIEW — fast once it runs. But
 * DROP VIEW needs an ACCESS EXCLUSIVE lock on the view, and a transaction that has read the
 * view holds a lock that conflicts with it until that transaction ends. So the switch waits
 * behind the longest reader, and every reader that arrives after the switch waits behind the
 * switch. The honest switch sets a lock_timeout, gives up quickly, and retries.
 *
 * These tests run the switch's two statements themselves (the same SQL as Task 4), so that
 * they pass before Task 4 is done.
 */
import type { Pool, PoolClient } from "pg";
import { describe, eventually, expect, failureOf, test, tradeoff } from "#kit/testing";

/** Two versions of a table, and the view readers query, served by the first. */
async function givenBlueServing(pool: Pool): Promise<void> {
  await pool.query("CREATE TABLE balances_v1 (account_id text PRIMARY KEY, balance bigint NOT NULL)");
  await pool.query("CREATE TABLE balances_v2 (account_id text PRIMARY KEY, balance bigint NOT NULL)");
  await pool.query("INSERT INTO balances_v1 VALUES ('alice', 100)");
  await pool.query("INSERT INTO balances_v2 VALUES ('alice', 100)");
  await pool.query("CREATE VIEW balances AS SELECT 'balances_v1'::text AS served_by, * FROM balances_v1");
}

/** Task 4's switch to balances_v2, in one transaction; with a lock_timeout when one is given. */
async function switchToGreen(client: PoolClient, lockTimeoutMs?: number): Promise<void> {
  await client.query("BEGIN");
  try {
    if (lockTimeoutMs !== undefined) await client.query(`SET LOCAL lock_timeout = '${lockTimeoutMs}ms'`);
    await client.query("DROP VIEW IF EXISTS balances");
    await client.query("CREATE VIEW balances AS SELECT 'balances_v2'::text AS served_by, * FROM balances_v2");
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK");
    throw error;
  }
}

/** A reader in the middle of a long transaction (a report, an export) that has read the view. */
async function longReader(pool: Pool): Promise<PoolClient> {
  const client = await pool.connect();
  await client.query("BEGIN");
  await client.query("SELECT * FROM balances");
  return client;
}

async function servedBy(pool: Pool): Promise<string> {
  const { rows } = await pool.query<{ served_by: string }>("SELECT served_by FROM balances");
  return rows[0]!.served_by;
}

/** Whether the backend `pid` is waiting for a lock right now. */
async function waitsForLock(pool: Pool, pid: number): Promise<boolean> {
  const { rows } = await pool.query<{ waiting: boolean }>("SELECT wait_event_type = 'Lock' AS waiting FROM pg_stat_activity WHERE pid = $1", [pid]);
  return rows[0]?.waiting === true;
}

describe(tradeoff("the blue/green switch waits for the longest reader, and readers wait for it"), () => {
  test(
    "GIVEN a reader in a long transaction that has read the view WHEN the switch runs with no lock timeout THEN it waits for that reader, a new reader waits behind the switch until its statement timeout, and the switch completes only when the long reader ends",
    async ({ db, annotate }) => {
      await givenBlueServing(db.pool);
      const reader = await longReader(db.pool);
      const switcher = await db.pool.connect();
      const switcherPid = (await switcher.query<{ pid: number }>("SELECT pg_backend_pid() AS pid")).rows[0]!.pid;
      try {
        const switched = switchToGreen(switcher);
        await eventually(
          async () => {
            if (!(await waitsForLock(db.pool, switcherPid))) throw new Error("the switch is not waiting yet");
          },
          { what: "the switch to wait for the long reader's lock" },
        );

        // A reader that comes now queues behind the switch's ACCESS EXCLUSIVE request.
        const late = db.newPool({ max: 1, statement_timeout: 200 });
        const refused = await failureOf(() => servedBy(late), Error);
        expect((refused as Error & { code?: string }).code).toBe("57014"); // query_canceled: it was still waiting
        expect(await waitsForLock(db.pool, switcherPid)).toBe(true);

        await reader.query("COMMIT");
        await switched;
        const served = await servedBy(db.pool);
        await annotate(`switch with no lock timeout: a new reader gave up after 200 ms (SQLSTATE ${(refused as Error & { code?: string }).code}) behind it; after the long reader ended, served by ${served}`);
        expect(served).toBe("balances_v2");
      } finally {
        reader.release();
        switcher.release();
      }
    },
  );

  test(
    "GIVEN the same long reader WHEN the switch runs under a lock_timeout of 100 ms THEN it gives up with lock_not_available and readers are still served by v1; once the reader ends, the retry switches",
    async ({ db, annotate }) => {
      await givenBlueServing(db.pool);
      const reader = await longReader(db.pool);
      const switcher = await db.pool.connect();
      try {
        const gaveUp = await failureOf(() => switchToGreen(switcher, 100), Error);
        expect((gaveUp as Error & { code?: string }).code).toBe("55P03"); // lock_not_available
        expect(await servedBy(db.pool)).toBe("balances_v1");

        await reader.query("COMMIT");
        await switchToGreen(switcher, 100);
        const served = await servedBy(db.pool);
        await annotate(`lock_timeout 100 ms: the switch gave up (SQLSTATE ${(gaveUp as Error & { code?: string }).code}) and v1 kept serving; the retry after the reader ended: ${served}`);
        expect(served).toBe("balances_v2");
      } finally {
        reader.release();
        switcher.release();
      }
    },
  );
});
