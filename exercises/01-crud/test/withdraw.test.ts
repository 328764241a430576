import { AccountNotFound, InsufficientFunds, InvalidAccountId, InvalidAmount } from "../src/errors.ts";
import { withdraw } from "../src/wallet.ts";
import { describe, expect, failureOf, proves, settleAll, task, test } from "#kit/testing";
import { givenWallet, storedBalances } from "./helpers.ts";

describe(task(4, "withdraw without overdraft"), () => {
  test("GIVEN alice holds 100 WHEN she withdraws 30 THEN she is told 70 and the table holds 70", async ({ db }) => {
    await givenWallet(db.pool, { alice: 100 });

    const balance = await withdraw(db.pool, "alice", 30);

    expect(balance).toBe(70);
    expect(await storedBalances(db.pool)).toEqual({ alice: 70 });
  });

  test("GIVEN alice holds 100 WHEN she withdraws all 100 THEN the balance is 0", async ({ db }) => {
    await givenWallet(db.pool, { alice: 100 });

    expect(await withdraw(db.pool, "alice", 100)).toBe(0);
    expect(await storedBalances(db.pool)).toEqual({ alice: 0 });
  });

  test("GIVEN alice holds 100 WHEN she withdraws 101 THEN InsufficientFunds says 100 and 101, and the balance stays 100", async ({ db }) => {
    await givenWallet(db.pool, { alice: 100 });

    const error = await failureOf(() => withdraw(db.pool, "alice", 101), InsufficientFunds);

    expect(error).toMatchObject({ accountId: "alice", balance: 100, requested: 101 });
    expect(await storedBalances(db.pool)).toEqual({ alice: 100 });
  });

  test("GIVEN no account bob WHEN bob withdraws THEN AccountNotFound, not InsufficientFunds", async ({ db }) => {
    await givenWallet(db.pool, { alice: 100 });

    const error = await failureOf(() => withdraw(db.pool, "bob", 10), AccountNotFound);

    expect(error.accountId).toBe("bob");
    expect(await storedBalances(db.pool)).toEqual({ alice: 100 });
  });

  test(
    "GIVEN alice holds 100 WHEN two withdrawals of 80 run at once on two services THEN exactly one is paid, the other gets InsufficientFunds, and 20 remain",
    proves("invariants-under-concurrency", "conditional update", "holds"),
    async ({ db }) => {
      await givenWallet(db.pool, { alice: 100 });

      const results = await settleAll([withdraw(db.pool, "alice", 80), withdraw(db.newPool(), "alice", 80)]);

      expect(results.filter((result) => result.status === "fulfilled").map((result) => result.value)).toEqual([20]);
      const refusals = results.flatMap((result) => (result.status === "rejected" ? [result.reason] : []));
      expect(refusals).toHaveLength(1);
      expect(refusals[0]).toBeInstanceOf(InsufficientFunds);
      expect(await storedBalances(db.pool)).toEqual({ alice: 20 });
    },
  );

  test(
    "GIVEN alice holds 100 WHEN ten withdrawals of 30 run at once THEN exactly three are paid and 10 remain: never more out than in",
    proves("invariants-under-concurrency", "conditional update", "holds"),
    async ({ db }) => {
      await givenWallet(db.pool, { alice: 100 });
      const services = [db.pool, db.newPool()];

      const results = await settleAll(Array.from({ length: 10 }, (_, i) => withdraw(services[i % 2] ?? db.pool, "alice", 30)));

      expect(results.filter((result) => result.status === "fulfilled")).toHaveLength(3);
      const refusals = results.flatMap((result) => (result.status === "rejected" ? [result.reason] : []));
      expect(refusals).toHaveLength(7);
      for (const refusal of refusals) expect(refusal).toBeInstanceOf(InsufficientFunds);
      expect(await storedBalances(db.pool)).toEqual({ alice: 10 });
    },
  );

  test.for<[label: string, amount: number]>([
    ["zero", 0],
    ["a negative amount", -50],
    ["a fraction of a cent", 12.5],
    ["NaN", Number.NaN],
  ])("GIVEN alice holds 100 WHEN she withdraws %s THEN InvalidAmount, and the balance stays 100", async ([, amount], { db }) => {
    await givenWallet(db.pool, { alice: 100 });

    await failureOf(() => withdraw(db.pool, "alice", amount), InvalidAmount);

    expect(await storedBalances(db.pool)).toEqual({ alice: 100 });
  });

  test("GIVEN alice holds 100 WHEN a withdrawal names an id with a new line THEN InvalidAccountId, and nothing changes", async ({ db }) => {
    await givenWallet(db.pool, { alice: 100 });

    await failureOf(() => withdraw(db.pool, "alice\n", 50), InvalidAccountId);

    expect(await storedBalances(db.pool)).toEqual({ alice: 100 });
  });
});
