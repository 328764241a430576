import { AccountAlreadyExists, InvalidAccountId } from "../src/errors.ts";
import { MAX_ACCOUNT_ID_LENGTH } from "../src/input.ts";
import { openAccount } from "../src/wallet.ts";
import { describe, expect, failureOf, settleAll, task, test } from "#kit/testing";
import { givenWallet, storedBalances } from "./helpers.ts";

describe(task(2, "open an account"), () => {
  test("GIVEN no accounts WHEN alice opens an account THEN it exists with a balance of 0", async ({ db }) => {
    await givenWallet(db.pool);

    await openAccount(db.pool, "alice");

    expect(await storedBalances(db.pool)).toEqual({ alice: 0 });
  });

  test("GIVEN alice's account holds 500 WHEN alice is opened again THEN AccountAlreadyExists and the 500 are still there", async ({ db }) => {
    await givenWallet(db.pool, { alice: 500 });

    const error = await failureOf(() => openAccount(db.pool, "alice"), AccountAlreadyExists);

    expect(error.accountId).toBe("alice");
    expect(await storedBalances(db.pool)).toEqual({ alice: 500 });
  });

  test("GIVEN no accounts WHEN the same id is opened twice at once THEN one succeeds and the other gets AccountAlreadyExists, not a database error", async ({ db }) => {
    await givenWallet(db.pool);
    // Two pools: two connections, as two instances of the service would have.
    const otherService = db.newPool();

    const results = await settleAll([openAccount(db.pool, "bob"), openAccount(otherService, "bob")]);

    expect(results.filter((result) => result.status === "fulfilled")).toHaveLength(1);
    const failures = results.flatMap((result) => (result.status === "rejected" ? [result.reason] : []));
    expect(failures).toHaveLength(1);
    expect(failures[0]).toBeInstanceOf(AccountAlreadyExists);
    expect(await storedBalances(db.pool)).toEqual({ bob: 0 });
  });

  test("GIVEN an id with SQL in it WHEN it is opened THEN the id is stored literally and no SQL runs", async ({ db }) => {
    await givenWallet(db.pool, { bob: 300 });
    const sneaky = "alice'); DROP TABLE accounts; --";

    await openAccount(db.pool, sneaky);

    // The table is still there, bob is untouched, and the id is data, character for character.
    expect(await storedBalances(db.pool)).toEqual({ [sneaky]: 0, bob: 300 });
  });

  test.for<[label: string, input: string]>([
    ["an empty id", ""],
    ["an id of spaces only", "   "],
    ["an id one character too long", "a".repeat(MAX_ACCOUNT_ID_LENGTH + 1)],
    ["an id with a new line", "bob\nalice"],
    ["an id with a NUL character", "bob\u0000"],
  ])("GIVEN %s WHEN it is opened THEN InvalidAccountId with a reason, and no account appears", async ([, input], { db }) => {
    await givenWallet(db.pool);

    const error = await failureOf(() => openAccount(db.pool, input), InvalidAccountId);

    expect(error.reason.trim()).not.toBe("");
    expect(await storedBalances(db.pool)).toEqual({});
  });
});
