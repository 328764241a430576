/**
 * The CRUD bank's transfer: one SQL transaction. Held between its debit and its credit, it is
 * invisible to every other connection; crashed there, it leaves nothing behind. The event-
 * sourced transfer (saga.test.ts) cannot say the same.
 */
import { balances, freezeAccount, openAccount, totalBalance, transfer, transferCount } from "../src/crud/bank.ts";
import { AccountAlreadyOpen, AccountFrozen, AccountNotFound, InsufficientFunds, InvalidAccount, InvalidTransfer, SameAccount, TransferIdReused } from "../src/crud/errors.ts";
import { describe, expect, failureOf, Failpoints, InjectedFailure, Latch, proves, Signal, test, tradeoff } from "#kit/testing";
import { givenCrudBank } from "./helpers.ts";

describe(tradeoff("a CRUD transfer is one SQL transaction"), () => {
  test(
    "GIVEN alice 100 and bob 0 WHEN a transfer of 30 is held between its debit and its credit THEN a reader in another connection sees 100 and 0, total 100, and after the commit 70 and 30, total 100",
    proves("atomic-across-entities", "one SQL transaction", "holds"),
    async ({ db, annotate }) => {
      await givenCrudBank(db.pool, { alice: 100, bob: 0 });
      const debited = new Signal();
      const release = new Latch();
      const points = new Failpoints().on("after-debit", async () => {
        debited.send();
        await release.wait();
      });

      const transferring = transfer(db.pool, { transferId: "t-1", from: "alice", to: "bob", amount: 30 }, { points });
      await debited.received();
      // The debit is done inside the transaction; no other connection can see it yet.
      const reader = db.newPool();
      const whileHeld = { balances: await balances(reader), total: await totalBalance(reader) };
      release.open();
      await transferring;
      const after = { balances: await balances(reader), total: await totalBalance(reader) };

      expect(whileHeld).toEqual({ balances: { alice: 100, bob: 0 }, total: 100 });
      expect(after).toEqual({ balances: { alice: 70, bob: 30 }, total: 100 });
      await annotate(`held between debit and credit: a reader saw a total of ${whileHeld.total} · after the commit: ${after.total} · in flight: ${100 - whileHeld.total}`);
    },
  );

  test(
    "GIVEN alice 100 and bob 0 WHEN the transfer crashes between its debit and its credit THEN nothing of it is applied: 100 and 0, and no transfer recorded",
    proves("survives-crash", "one SQL transaction", "holds"),
    async ({ db, annotate }) => {
      await givenCrudBank(db.pool, { alice: 100, bob: 0 });
      const points = new Failpoints().failAt("after-debit");

      await failureOf(() => transfer(db.pool, { transferId: "t-1", from: "alice", to: "bob", amount: 30 }, { points }), InjectedFailure);

      const after = await balances(db.pool);
      await annotate(`crash between debit and credit: alice ${after.alice} · bob ${after.bob} · ${await transferCount(db.pool)} transfers recorded`);
      expect(points.timesReached("after-debit")).toBe(1);
      expect(after).toEqual({ alice: 100, bob: 0 });
      expect(await transferCount(db.pool)).toBe(0);
    },
  );

  test(
    "GIVEN bob's account is frozen WHEN alice transfers 30 to him THEN the credit is refused, the debit is rolled back with it — and nothing is left that says the transfer was ever tried",
    proves("full-history", "one SQL transaction", "broken"),
    async ({ db, annotate }) => {
      await givenCrudBank(db.pool, { alice: 100, bob: 0 });
      await freezeAccount(db.pool, "bob");
      const points = new Failpoints();

      const refused = await failureOf(() => transfer(db.pool, { transferId: "t-1", from: "alice", to: "bob", amount: 30 }, { points }), AccountFrozen);

      await annotate(`credit refused (${refused.name}), debit rolled back: ${await transferCount(db.pool)} rows say a transfer was ever tried`);
      expect(refused.accountId).toBe("bob");
      // The debit happened, inside the transaction, before the credit was refused…
      expect(points.timesReached("after-debit")).toBe(1);
      // …and the rollback took it back: the balances are right, and the tables hold no trace of it.
      expect(await balances(db.pool)).toEqual({ alice: 100, bob: 0 });
      expect(await transferCount(db.pool)).toBe(0);
    },
  );

  test(
    "GIVEN a transfer of 30 was applied WHEN the client sends the same request again THEN it is told 'repeated' and nothing more moves; the same id with another amount is refused",
    proves("exactly-once-effect", "one SQL transaction", "holds"),
    async ({ db, annotate }) => {
      await givenCrudBank(db.pool, { alice: 100, bob: 0 });
      const request = { transferId: "t-1", from: "alice", to: "bob", amount: 30 };

      const first = await transfer(db.pool, request);
      const again = await transfer(db.pool, request);
      const reused = await failureOf(() => transfer(db.pool, { ...request, amount: 50 }), TransferIdReused);

      await annotate(`the same request twice: ${first.outcome}, then ${again.outcome} · ${await transferCount(db.pool)} transfer applied · same id, other amount: ${reused.name}`);
      expect([first.outcome, again.outcome]).toEqual(["completed", "repeated"]);
      expect(reused.earlier).toEqual({ from: "alice", to: "bob", amount: 30 });
      expect(await balances(db.pool)).toEqual({ alice: 70, bob: 30 });
      expect(await transferCount(db.pool)).toBe(1);
    },
  );

  test("GIVEN alice 100 and bob 0 WHEN transfers are malformed, to the same account, from or to an unknown account, or larger than the balance THEN each is refused with its own error and nothing moves", async ({ db, annotate }) => {
    await givenCrudBank(db.pool, { alice: 100, bob: 0 });
    const base = { transferId: "t-1", from: "alice", to: "bob", amount: 30 };

    expect((await failureOf(() => transfer(db.pool, { ...base, to: "alice" }), SameAccount)).accountId).toBe("alice");
    expect((await failureOf(() => transfer(db.pool, { ...base, amount: 0 }), InvalidTransfer)).reason).toMatch(/more than zero/);
    expect((await failureOf(() => transfer(db.pool, { ...base, amount: -30 }), InvalidTransfer)).reason).toMatch(/more than zero/);
    expect((await failureOf(() => transfer(db.pool, { ...base, amount: 0.5 }), InvalidTransfer)).reason).toMatch(/whole number/);
    expect((await failureOf(() => transfer(db.pool, { ...base, from: "mallory" }), AccountNotFound)).accountId).toBe("mallory");
    expect((await failureOf(() => transfer(db.pool, { ...base, to: "mallory" }), AccountNotFound)).accountId).toBe("mallory");
    expect((await failureOf(() => transfer(db.pool, { ...base, amount: 101 }), InsufficientFunds)).balance).toBe(100);
    await annotate(`7 bad transfers, each refused with its own error: ${await transferCount(db.pool)} applied`);

    expect(await balances(db.pool)).toEqual({ alice: 100, bob: 0 });
    expect(await transferCount(db.pool)).toBe(0);
  });

  test("GIVEN alice is open WHEN an account is opened with an empty id, a negative or fractional balance, or as alice again THEN each is refused with its own error and nothing changes", async ({ db, annotate }) => {
    await givenCrudBank(db.pool, { alice: 100 });

    expect((await failureOf(() => openAccount(db.pool, ""), InvalidAccount)).reason).toMatch(/must not be empty/);
    expect((await failureOf(() => openAccount(db.pool, "bob", -1), InvalidAccount)).reason).toMatch(/must not be negative/);
    expect((await failureOf(() => openAccount(db.pool, "bob", 0.5), InvalidAccount)).reason).toMatch(/whole number/);
    expect((await failureOf(() => openAccount(db.pool, "alice", 5), AccountAlreadyOpen)).accountId).toBe("alice");

    const after = await balances(db.pool);
    await annotate(`4 bad openings, each refused with its own error: ${Object.keys(after).length} account open`);
    expect(after).toEqual({ alice: 100 });
  });
});
