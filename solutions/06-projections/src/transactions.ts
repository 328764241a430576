// Copy of exercises/03-microservices/src/transactions.ts: keep the two equal (the kit checks it).
/**
 * Given: run several statements as one transaction — all of them commit, or none does.
 *
 * The outbox is built with it (the balance change and the event row go into the same
 * transaction), and so is step 06's idempotent projection (a batch's read-model changes and
 * the position it reached): no crash can keep one and lose the other.
 */
import type pg from "pg";
import { noFailpoints, type FailpointHook } from "#kit/failpoints";

/**
 * Runs `work` on one connection between BEGIN and COMMIT and returns what it returned. If
 * `work` throws — or a crash is injected at "before-commit" — everything it wrote is rolled
 * back and the error goes on to the caller.
 */
export async function inTransaction<T>(
  pool: pg.Pool,
  work: (tx: pg.PoolClient) => Promise<T>,
  points: FailpointHook = noFailpoints,
): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  // A connection that dies under a query also says so on the client, as an 'error' event: the
  // failing query reports it to the caller, so this only keeps that event from crashing the
  // process (nobody else listens while the client is checked out), and the client from reuse.
  const onConnectionError = (error: Error) => void (broken ??= error);
  client.on("error", onConnectionError);
  try {
    await client.query("BEGIN");
    const result = await work(client);
    await points.reach("before-commit");
    await client.query("COMMIT");
    return result;
  } catch (error) {
    // A connection that cannot even roll back is not given back to the pool for reuse.
    await client.query("ROLLBACK").catch((rollbackError: Error) => void (broken ??= rollbackError));
    throw error;
  } finally {
    client.off("error", onConnectionError);
    client.release(broken);
  }
}
