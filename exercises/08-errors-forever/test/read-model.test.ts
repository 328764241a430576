/**
 * Checks of the given read model (they pass from the start): when applying an event fails,
 * the caller learns why — even when the connection is too broken to roll back — and the
 * broken connection is not handed out again.
 */
import pg from "pg";
import type { RecordedEvent } from "../src/envelope.ts";
import { appliedCount, createReadModel, project } from "../src/read-model.ts";
import { describe, expect, failureOf, test } from "#kit/testing";

const aliceOpened: RecordedEvent = {
  type: "AccountOpened",
  data: { accountId: "alice" },
  metadata: { eventId: "event-1", accountId: "alice", occurredAt: "2026-03-02T09:00:00.000Z", schemaVersion: 2, causationId: "command-1", correlationId: "command-1" },
  position: { partition: 0, offset: 0 },
};

describe("applying an event to the read model", () => {
  test("GIVEN the connection dies while an event is applied WHEN project() cannot even roll back THEN it throws the error that stopped the event, not the failed ROLLBACK's, and the pool goes on", async ({ db }) => {
    await createReadModel(db.pool);
    // The history line's INSERT ends its own connection: the error comes at an exact point, and ROLLBACK then has no connection left.
    await db.pool.query("CREATE FUNCTION end_own_connection() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_terminate_backend(pg_backend_pid()); RETURN NEW; END $$");
    await db.pool.query("CREATE TRIGGER end_own_connection BEFORE INSERT ON account_history FOR EACH ROW EXECUTE FUNCTION end_own_connection()");

    const stopped = await failureOf(() => project(db.pool, "events", aliceOpened), pg.DatabaseError);

    expect(stopped.code).toBe("57P01"); // admin_shutdown: "terminating connection due to administrator command"
    await db.pool.query("DROP TRIGGER end_own_connection ON account_history");
    expect(await appliedCount(db.pool)).toBe(0);
    expect(await project(db.pool, "events", aliceOpened)).toBe("applied");
  });
});
