/**
 * Given: a rebuild — a read model's table filled from the log, from the start or from the
 * latest snapshot, by one worker or one per partition subset. What `npm run rebuild` and the
 * blue/green deploy run.
 */
import { rebuildInParallel } from "./parallel.ts";
import { positionsOf, prepareTable, replay, type ReplayOptions, type SkippedRecord } from "./replay.ts";
import { latestSnapshot, restoreSnapshot, type Snapshot } from "./snapshots.ts";

export interface RebuildOptions extends Omit<ReplayOptions, "partitions"> {
  /** Workers replaying partition subsets in parallel (1: one worker reads every partition). */
  workers?: number;
  /** Start from the model's latest snapshot, if it has one, instead of from offset 0. */
  fromSnapshot?: boolean;
}

/** A snapshot is restored only into an empty table: on top of rows or positions, it would count events twice. */
export class TableNotEmpty extends Error {
  override readonly name = "TableNotEmpty";

  constructor(
    readonly table: string,
    readonly hasRows: boolean,
    readonly positions: number,
  ) {
    super(`${table} already holds ${hasRows ? "rows" : "no rows"} and ${positions} stored positions: a snapshot is restored only into a fresh, empty table (rebuild from a snapshot into a new version)`);
  }
}

export interface RebuildResult {
  /** Records read from Kafka, by all workers. */
  read: number;
  applied: number;
  skipped: SkippedRecord[];
  /** The snapshot the rebuild started from, if any. */
  snapshot: Snapshot | undefined;
  /** What each worker read. */
  readByWorker: number[];
}

export async function rebuild(options: RebuildOptions): Promise<RebuildResult> {
  const { pool, model, table, workers = 1 } = options;
  await prepareTable(pool, model, table);
  const snapshot = options.fromSnapshot ? await latestSnapshot(pool, model) : undefined;
  if (snapshot) {
    const { rows } = await pool.query<{ has_rows: boolean }>(`SELECT EXISTS (SELECT 1 FROM "${table}") AS has_rows`);
    const positions = (await positionsOf(pool, table)).size;
    if (rows[0]!.has_rows || positions > 0) throw new TableNotEmpty(table, rows[0]!.has_rows, positions);
    await restoreSnapshot(pool, snapshot, table);
  }
  const results = workers > 1 ? (await rebuildInParallel(options, workers)).workers : [await replay(options)];
  return {
    read: results.reduce((sum, result) => sum + result.read, 0),
    applied: results.reduce((sum, result) => sum + result.applied, 0),
    skipped: results.flatMap((result) => result.skipped),
    snapshot,
    readByWorker: results.map((result) => result.read),
  };
}
