/**
 * Task 4: the same feature as Task 5 — freezing an account — added to step 01's CRUD wallet:
 * a column, two statements, and a condition in the deposit's and the withdrawal's UPDATE.
 */
import type pg from "pg";
import { AccountAlreadyFrozen, AccountFrozen, AccountNotFound, AccountNotFrozen, InsufficientFunds } from "../src/crud/errors.ts";
import { addFrozenColumn, createWalletTable, deposit, freezeAccount, getBalance, unfreezeAccount, withdraw } from "../src/crud/wallet.ts";
import { describe, expect, failureOf, task, test } from "#kit/testing";

/** Step 01's table, as it is in production before the feature: alice holds 100, bob 40. */
async function givenStep01Wallet(db: pg.Pool): Promise<void> {
  await createWalletTable(db);
  await db.query("INSERT INTO accounts (id, balance) VALUES ('alice', 100), ('bob', 40)");
}

describe(task(4, "freeze an account in the CRUD wallet"), () => {
  test("GIVEN step 01's accounts table with alice and bob WHEN the migration adds the frozen column THEN both are still there, unfrozen; run again, it changes nothing", async ({ db }) => {
    await givenStep01Wallet(db.pool);

    await addFrozenColumn(db.pool);
    await addFrozenColumn(db.pool);

    const { rows } = await db.pool.query<{ id: string; balance: string; frozen: boolean }>("SELECT id, balance, frozen FROM accounts ORDER BY id");
    expect(rows).toEqual([
      { id: "alice", balance: "100", frozen: false },
      { id: "bob", balance: "40", frozen: false },
    ]);
  });

  test("GIVEN alice's account is frozen WHEN she deposits or withdraws THEN AccountFrozen and her balance does not move; WHEN it is unfrozen THEN both go through", async ({ db }) => {
    await givenStep01Wallet(db.pool);
    await addFrozenColumn(db.pool);

    await freezeAccount(db.pool, "alice");

    expect((await failureOf(() => deposit(db.pool, "alice", 50), AccountFrozen)).accountId).toBe("alice");
    await failureOf(() => withdraw(db.pool, "alice", 30), AccountFrozen);
    // Frozen first: a withdrawal too large for the balance is still told the account is frozen.
    await failureOf(() => withdraw(db.pool, "alice", 1_000), AccountFrozen);
    expect(await getBalance(db.pool, "alice")).toBe(100);
    // Bob's account is not touched by alice's freeze.
    expect(await deposit(db.pool, "bob", 10)).toBe(50);

    await unfreezeAccount(db.pool, "alice");

    expect(await deposit(db.pool, "alice", 50)).toBe(150);
    expect(await withdraw(db.pool, "alice", 30)).toBe(120);
    await failureOf(() => withdraw(db.pool, "alice", 1_000), InsufficientFunds);
  });

  test("GIVEN the frozen column WHEN freezing twice, unfreezing an account that is not frozen, or either on no account THEN typed errors, and nothing changes", async ({ db }) => {
    await givenStep01Wallet(db.pool);
    await addFrozenColumn(db.pool);
    await freezeAccount(db.pool, "alice");

    expect((await failureOf(() => freezeAccount(db.pool, "alice"), AccountAlreadyFrozen)).accountId).toBe("alice");
    expect((await failureOf(() => unfreezeAccount(db.pool, "bob"), AccountNotFrozen)).accountId).toBe("bob");
    expect((await failureOf(() => freezeAccount(db.pool, "carol"), AccountNotFound)).accountId).toBe("carol");
    expect((await failureOf(() => unfreezeAccount(db.pool, "carol"), AccountNotFound)).accountId).toBe("carol");
    await failureOf(() => deposit(db.pool, "carol", 5), AccountNotFound);
    const { rows } = await db.pool.query<{ id: string; frozen: boolean }>("SELECT id, frozen FROM accounts ORDER BY id");
    expect(rows).toEqual([
      { id: "alice", frozen: true },
      { id: "bob", frozen: false },
    ]);
  });
});
