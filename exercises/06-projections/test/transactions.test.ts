/**
 * A check of the given inTransaction (it passes from the start): a connection that dies in the
 * middle of a transaction fails that transaction, with the server's reason, and nothing else —
 * not the process, not the pool.
 */
import pg from "pg";
import { inTransaction } from "../src/transactions.ts";
import { describe, expect, failureOf, test } from "#kit/testing";

describe("one transaction on a connection that dies", () => {
  test("GIVEN a transaction whose connection is ended by the server WHEN it runs THEN it fails with the server's reason, nothing it wrote is kept, and the pool serves the next one", async ({ db }) => {
    await db.pool.query("CREATE TABLE notes (text text NOT NULL)");

    const stopped = await failureOf(
      () =>
        inTransaction(db.pool, async (tx) => {
          await tx.query("INSERT INTO notes VALUES ('written before the end')");
          await tx.query("SELECT pg_terminate_backend(pg_backend_pid())"); // the server ends this very connection
        }),
      pg.DatabaseError,
    );

    expect(stopped.code).toBe("57P01"); // admin_shutdown: "terminating connection due to administrator command"
    const { rows } = await inTransaction(db.pool, (tx) => tx.query("SELECT count(*)::int AS notes FROM notes"));
    expect(rows).toEqual([{ notes: 0 }]);
  });
});
