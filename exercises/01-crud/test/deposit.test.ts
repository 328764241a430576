import { AccountNotFound, InvalidAccountId, InvalidAmount } from "../src/errors.ts";
import { MAX_AMOUNT_CENTS } from "../src/input.ts";
import { deposit } from "../src/wallet.ts";
import { describe, expect, failureOf, proves, task, test } from "#kit/testing";
import { givenWallet, storedBalances } from "./helpers.ts";

describe(task(3, "deposit without losing updates"), () => {
  test("GIVEN alice holds 100 WHEN she deposits 250 THEN she is told 350 and the table holds 350", async ({ db }) => {
    await givenWallet(db.pool, { alice: 100 });

    const balance = await deposit(db.pool, "alice", 250);

    expect(balance).toBe(350);
    expect(await storedBalances(db.pool)).toEqual({ alice: 350 });
  });

  test(
    "GIVEN alice holds 100 WHEN 20 deposits of 10 run at once on two services THEN every one counts: 300",
    proves("no-lost-updates", "atomic update", "holds"),
    async ({ db }) => {
      await givenWallet(db.pool, { alice: 100 });
      const services = [db.pool, db.newPool()];

      const balances = await Promise.all(
        Array.from({ length: 20 }, (_, i) => deposit(services[i % 2] ?? db.pool, "alice", 10)),
      );

      expect(await storedBalances(db.pool)).toEqual({ alice: 300 });
      // Each deposit saw its own new balance: 110, 120, … 300, every one exactly once.
      expect([...balances].sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => 110 + i * 10));
    },
  );

  test("GIVEN no account bob WHEN bob deposits THEN AccountNotFound, and no account appears", async ({ db }) => {
    await givenWallet(db.pool, { alice: 100 });

    const error = await failureOf(() => deposit(db.pool, "bob", 50), AccountNotFound);

    expect(error.accountId).toBe("bob");
    expect(await storedBalances(db.pool)).toEqual({ alice: 100 });
  });

  test.for<[label: string, amount: number]>([
    ["zero", 0],
    ["a negative amount", -50],
    ["half a cent", 0.5],
    ["NaN", Number.NaN],
    ["Infinity", Number.POSITIVE_INFINITY],
    ["more than MAX_AMOUNT_CENTS", MAX_AMOUNT_CENTS + 1],
  ])("GIVEN alice holds 100 WHEN she deposits %s THEN InvalidAmount, and the balance stays 100", async ([, amount], { db }) => {
    await givenWallet(db.pool, { alice: 100 });

    await failureOf(() => deposit(db.pool, "alice", amount), InvalidAmount);

    expect(await storedBalances(db.pool)).toEqual({ alice: 100 });
  });

  test("GIVEN alice holds 100 WHEN a deposit names an empty account id THEN InvalidAccountId, and nothing changes", async ({ db }) => {
    await givenWallet(db.pool, { alice: 100 });

    await failureOf(() => deposit(db.pool, "", 50), InvalidAccountId);

    expect(await storedBalances(db.pool)).toEqual({ alice: 100 });
  });
});
