/**
 * Snapshots: a copy of a read model's table together with the positions it had reached,
 * taken at one consistent moment. A rebuild that starts from the latest snapshot replays
 * only the tail of the log written since.
 *
 *   takeSnapshot(pool, model, table)    copy the table and its positions (given)
 *   latestSnapshot(pool, model)         the newest snapshot of a model (given)
 *   restoreSnapshot(pool, snapshot, t)  put a snapshot into a fresh table (Task 2)
 *
 * A snapshot is the model's *state*, so it is only good for the same model's code: a
 * model whose fold changed must be rebuilt from the log (see the README).
 */
import type { Pool } from "pg";
import { checkTableName, inTransaction, positionsOf, positionsTable, type Queryable, type ReadModel } from "./replay.ts";
import { todo } from "#kit/todo";

export interface Snapshot {
  id: number;
  /** The model's name: a snapshot of statements is restored only into statements. */
  model: string;
  /** partition → the next offset the snapshot's state had not applied. */
  positions: Record<number, number>;
  /** How many records of the log it stands for: the replay a restore saves. */
  covers: number;
}

const catalogue = "replay_snapshots";

/** The table that holds a snapshot's rows. */
export function snapshotTable(snapshot: Pick<Snapshot, "id" | "model">): string {
  return checkTableName(`${snapshot.model}_snapshot_${snapshot.id}`);
}

async function prepareCatalogue(db: Queryable): Promise<void> {
  await db.query(`CREATE TABLE IF NOT EXISTS ${catalogue} (
    id serial PRIMARY KEY, model text NOT NULL, positions jsonb NOT NULL, taken_at timestamptz NOT NULL DEFAULT now())`);
}

/**
 * Given: copies `table` and its positions at one moment. REPEATABLE READ makes every query
 * of the transaction see the same committed state, so rows and positions match even while
 * a replay keeps committing chunks.
 */
export async function takeSnapshot(pool: Pool, model: ReadModel, table: string): Promise<Snapshot> {
  await prepareCatalogue(pool);
  return inTransaction(
    pool,
    async (client) => {
      const positions = Object.fromEntries(await positionsOf(client, checkTableName(table)));
      const { rows } = await client.query<{ id: number }>(`INSERT INTO ${catalogue} (model, positions) VALUES ($1, $2) RETURNING id`, [model.name, positions]);
      const snapshot = toSnapshot({ id: rows[0]!.id, model: model.name, positions });
      await client.query(`CREATE TABLE "${snapshotTable(snapshot)}" AS SELECT * FROM "${table}"`);
      return snapshot;
    },
    { isolation: "REPEATABLE READ" },
  );
}

/** Given: the newest snapshot of `model`, or undefined if it has none. */
export async function latestSnapshot(pool: Pool, model: ReadModel): Promise<Snapshot | undefined> {
  await prepareCatalogue(pool);
  const { rows } = await pool.query<{ id: number; positions: Record<number, number> }>(`SELECT id, positions FROM ${catalogue} WHERE model = $1 ORDER BY id DESC LIMIT 1`, [model.name]);
  return rows[0] && toSnapshot({ id: rows[0].id, model: model.name, positions: rows[0].positions });
}

/**
 * Task 2 — resume from a snapshot.
 * Puts `snapshot` into `table` (a fresh, empty table of the same model): its rows, and its
 * positions as the table's positions in `replay_positions` — both in one transaction, so
 * the replay that follows starts exactly where the snapshot's state stopped.
 */
export async function restoreSnapshot(pool: Pool, snapshot: Snapshot, table: string): Promise<void> {
  return todo("Task 2 — resume from a snapshot: the table gets the snapshot's rows and the snapshot's positions together, in one transaction, so a replay resumes exactly where the snapshot stands");
}

function toSnapshot({ id, model, positions }: Omit<Snapshot, "covers">): Snapshot {
  return { id, model, positions, covers: Object.values(positions).reduce((sum, next) => sum + Number(next), 0) };
}
