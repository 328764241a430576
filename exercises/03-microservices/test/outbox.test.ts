import { AccountNotFound, InsufficientFunds, InvalidAmount } from "../src/errors.ts";
import { decodeEvent } from "../src/events.ts";
import { depositWithOutbox, withdrawWithOutbox } from "../src/outbox.ts";
import { describe, expect, failureOf, Failpoints, InjectedFailure, task, test } from "#kit/testing";
import { givenWallet, outboxRows, storedBalances } from "./helpers.ts";

describe(task(1, "write the event in the same transaction"), () => {
  test("GIVEN alice holds 100 WHEN she deposits 250 THEN the balance is 350 and the outbox holds one pending Deposited event", async ({ db }) => {
    await givenWallet(db.pool, { alice: 100 });

    const event = await depositWithOutbox(db.pool, "alice", 250);

    expect(event).toMatchObject({ type: "Deposited", data: { accountId: "alice", amount: 250, balanceAfter: 350 } });
    expect(await storedBalances(db.pool)).toEqual({ alice: 350 });
    const rows = await outboxRows(db.pool);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ eventId: event.metadata.eventId, status: "pending", failure: null });
    // The payload is the event itself, as the contract writes it: a relay can publish it as it is.
    expect(decodeEvent(rows[0]!.payload)).toEqual(event);
  });

  test("GIVEN alice holds 100 WHEN she withdraws 30 THEN the balance is 70 and the outbox holds one Withdrawn event", async ({ db }) => {
    await givenWallet(db.pool, { alice: 100 });

    const event = await withdrawWithOutbox(db.pool, "alice", 30);

    expect(event).toMatchObject({ type: "Withdrawn", data: { accountId: "alice", amount: 30, balanceAfter: 70 } });
    expect(await storedBalances(db.pool)).toEqual({ alice: 70 });
    expect((await outboxRows(db.pool)).map((row) => decodeEvent(row.payload))).toEqual([event]);
  });

  test("GIVEN alice holds 100 WHEN a deposit crashes after writing, before its commit THEN neither the deposit nor its event exists", async ({ db }) => {
    await givenWallet(db.pool, { alice: 100 });
    const points = new Failpoints().failAt("before-commit");

    await failureOf(() => depositWithOutbox(db.pool, "alice", 250, { points }), InjectedFailure);

    expect(points.timesReached("before-commit")).toBe(1);
    // Rolled back together: the relay will never see an event for this deposit.
    expect(await storedBalances(db.pool)).toEqual({ alice: 100 });
    expect(await outboxRows(db.pool)).toEqual([]);
  });

  test("GIVEN alice holds 100 WHEN she withdraws 101, or bob (who has no account) withdraws THEN the refusal leaves no event", async ({ db }) => {
    await givenWallet(db.pool, { alice: 100 });

    await failureOf(() => withdrawWithOutbox(db.pool, "alice", 101), InsufficientFunds);
    await failureOf(() => withdrawWithOutbox(db.pool, "bob", 10), AccountNotFound);
    await failureOf(() => depositWithOutbox(db.pool, "alice", 0), InvalidAmount);

    expect(await storedBalances(db.pool)).toEqual({ alice: 100 });
    expect(await outboxRows(db.pool)).toEqual([]);
  });

  test("GIVEN alice holds 0 WHEN 20 deposits of 10 run at once on two services THEN 20 events, in outbox order the balances 10, 20 … 200", async ({ db }) => {
    await givenWallet(db.pool, { alice: 0 });
    const services = [db.pool, db.newPool()];

    const events = await Promise.all(Array.from({ length: 20 }, (_, i) => depositWithOutbox(services[i % 2] ?? db.pool, "alice", 10)));

    expect(await storedBalances(db.pool)).toEqual({ alice: 200 });
    expect(new Set(events.map((event) => event.metadata.eventId)).size).toBe(20);
    // The row lock that orders the deposits also orders their outbox rows: a deposit takes
    // its outbox id while it holds alice's row, so the next deposit gets a later one.
    const balances = (await outboxRows(db.pool)).map((row) => decodeEvent(row.payload).data.balanceAfter);
    expect(balances).toEqual(Array.from({ length: 20 }, (_, i) => 10 * (i + 1)));
  });
});
