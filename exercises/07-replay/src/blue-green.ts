/**
 * Deploying a new read model without showing readers a half-built one.
 *
 * Readers query a view named after the model (`statements`); the view names the table
 * that serves it (`served_by`). A deploy builds a new table beside the live one (green
 * beside blue), and only once it has caught up with the head of the log points the view
 * at it — `DROP VIEW` and `CREATE VIEW`, in one transaction (Postgres DDL is transactional:
 * readers see the old view or the new one, never none). Until then, every query is
 * answered by the complete old table.
 *
 *   switchReads(…)        the switch, refused while the new table is behind (Task 4)
 *   deployBlueGreen(…)    build beside, then switch (given)
 *   rebuildInPlace(…)     the naive way: empty the live table and replay into it (given)
 */
import type { Pool } from "pg";
import type { Kafka } from "#kit/kafka";
import { rebuild, type RebuildOptions, type RebuildResult } from "./rebuild.ts";
import { checkTableName, endOffsets, inTransaction, positionsOf, positionsTable, prepareTable, type ReadModel } from "./replay.ts";
import { todo } from "#kit/todo";

/** The new table has not applied everything that is in the log: switching now would serve a partial model. */
export class NotCaughtUp extends Error {
  override readonly name = "NotCaughtUp";

  constructor(
    readonly table: string,
    readonly behind: Array<{ partition: number; position: number; end: number }>,
  ) {
    super(`${table} has not caught up with the log: ${behind.map(({ partition, position, end }) => `partition ${partition} at ${position} of ${end}`).join(", ")}; reads stay where they are`);
  }
}

/**
 * The table's positions lie past the end of the log: it was built from another log (the
 * topic was deleted and seeded again since). Its rows say nothing about this log.
 */
export class BeyondTheLog extends Error {
  override readonly name = "BeyondTheLog";

  constructor(
    readonly table: string,
    readonly beyond: Array<{ partition: number; position: number; end: number }>,
  ) {
    super(`${table} stands beyond the end of the log: ${beyond.map(({ partition, position, end }) => `partition ${partition} at ${position}, the log ends at ${end}`).join(", ")}; it was built from another log, so reads stay where they are`);
  }
}

export interface SwitchOptions {
  kafka: Kafka;
  topic: string;
  pool: Pool;
  model: ReadModel;
  /** The table to serve reads from. */
  table: string;
}

/**
 * Task 4 — the blue/green switch.
 * Points the model's view at `table`: `DROP VIEW IF EXISTS "<model.name>"`, then `CREATE
 * VIEW "<model.name>" AS SELECT '<table>'::text AS served_by, * FROM "<table>"` (a new
 * version may have other columns, which CREATE OR REPLACE VIEW refuses) — but only if the
 * table stands exactly at the end of every partition of the log (`endOffsets`): its
 * positions (`positionsOf`). A partition behind → throw NotCaughtUp; a partition past
 * the end → throw BeyondTheLog; both name the partitions, and change nothing. Check and
 * switch in one transaction.
 */
export async function switchReads({ kafka, topic, pool, model, table }: SwitchOptions): Promise<void> {
  return todo("Task 4 — the blue/green switch: readers move to the new table only if it has read exactly to the log's end on every partition (BeyondTheLog if past it, NotCaughtUp if behind), checked and switched in one transaction so nothing changes in between; the view then has the new table's columns");
}

/** Given: builds `table` beside the live one, then moves reads to it. */
export async function deployBlueGreen(options: RebuildOptions): Promise<RebuildResult> {
  const built = await rebuild(options);
  await switchReads(options);
  return built;
}

/**
 * Given, and wrong on purpose: rebuilds the live table where it stands — empty it, then
 * replay into it. Readers of the table see it empty, then half-built, until the replay ends.
 */
export async function rebuildInPlace(options: RebuildOptions): Promise<RebuildResult> {
  const { pool, model, table } = options;
  await prepareTable(pool, model, table);
  await inTransaction(pool, async (client) => {
    await client.query(`TRUNCATE "${table}"`);
    await client.query(`DELETE FROM ${positionsTable} WHERE model_table = $1`, [table]);
  });
  return rebuild(options);
}

/** Given: the next free version of a model's table, `<model>_v<n>`. */
export async function nextVersionTable(pool: Pool, model: ReadModel): Promise<string> {
  const { rows } = await pool.query<{ version: number | null }>(
    `SELECT max(substring(tablename FROM '_v([0-9]+)$')::int) AS version FROM pg_tables WHERE schemaname = current_schema() AND tablename ~ $1`,
    [`^${model.name}_v[0-9]+$`],
  );
  return checkTableName(`${model.name}_v${(rows[0]?.version ?? 0) + 1}`);
}

/** Given: the table the model's view serves reads from now, or undefined before the first deploy. */
export async function liveTable(pool: Pool, model: ReadModel): Promise<string | undefined> {
  const { rows } = await pool.query<{ table_name: string }>(
    `SELECT table_name FROM information_schema.view_table_usage WHERE view_schema = current_schema() AND view_name = $1`,
    [model.name],
  );
  return rows[0]?.table_name;
}

/** Given: drops the model's versions that no longer serve reads (the old blue), and their positions. Returns their names. */
export async function dropRetiredTables(pool: Pool, model: ReadModel): Promise<string[]> {
  const live = await liveTable(pool, model);
  const { rows } = await pool.query<{ tablename: string }>(`SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND tablename ~ $1`, [`^${model.name}_v[0-9]+$`]);
  const retired = rows.map((row) => row.tablename).filter((table) => table !== live);
  for (const table of retired) {
    await inTransaction(pool, async (client) => {
      await client.query(`DROP TABLE "${checkTableName(table)}"`);
      await client.query(`DELETE FROM ${positionsTable} WHERE model_table = $1`, [table]);
    });
  }
  return retired;
}
