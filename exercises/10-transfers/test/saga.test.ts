/**
 * Task 3: the saga through the real services — two accounts on two partitions, two writers,
 * the transfers topic, and failures forced at exact points between the legs.
 */
import { partitionOf } from "#kit/kafka";
import { describe, eventually, expect, Failpoints, InjectedFailure, Latch, proves, Signal, task } from "#kit/testing";
import type { AccountCommand } from "../src/domain.ts";
import { givenBank, test, typesOf, WritersWithHook, type Bank } from "./helpers.ts";

const t1 = { transferId: "t-1", from: "alice", to: "bob", amount: 30 };

/** Failpoints that hold the saga at `point` until the test opens `release`, and say when it got there. */
function holdAt(point: string) {
  const reached = new Signal();
  const release = new Latch();
  const points = new Failpoints().on(point, async () => {
    reached.send();
    await release.wait();
  });
  return { points, reached, release };
}

/** The bank's writers, recording the type of every command sent through them: what a saga instance asked for. */
function recordingWriters(bank: Bank): { writers: WritersWithHook; sent: Array<AccountCommand["type"]> } {
  const sent: Array<AccountCommand["type"]> = [];
  return { writers: new WritersWithHook(bank.writers, async (command) => void sent.push(command.type)), sent };
}

describe(task(3, "drive a transfer to its end"), () => {
  test("GIVEN alice 100 and bob 0, on different partitions owned by different writers WHEN alice asks to transfer 30 to bob THEN the transfer completes: alice 70, bob 30, each leg in its own account's history and partition", async ({ kafka, stopWhenDone }) => {
    const bank = await givenBank({ kafka, stopWhenDone });
    await bank.open({ alice: 100, bob: 0 });
    await bank.startSaga();

    await bank.request(t1);
    expect(await bank.outcomeOf("t-1")).toEqual({ type: "TransferCompleted", data: t1 });

    const [alice, bob] = [await bank.history("alice"), await bank.history("bob")];
    expect(typesOf(alice)).toEqual(["AccountOpened", "MoneyDeposited", "TransferDebited"]);
    expect(typesOf(bob)).toEqual(["AccountOpened", "TransferCredited"]);
    // Two partitions, two writers: no single writer — and no single decision — saw both accounts.
    expect(new Set(alice.map((event) => event.position.partition))).toEqual(new Set([partitionOf("alice", 2)]));
    expect(new Set(bob.map((event) => event.position.partition))).toEqual(new Set([partitionOf("bob", 2)]));
    expect(partitionOf("alice", 2)).not.toBe(partitionOf("bob", 2));
    expect(bank.writers.writerFor("alice")).not.toBe(bank.writers.writerFor("bob"));
    // The legs carry the transfer in their metadata: the conversation can be followed across partitions.
    expect([...alice, ...bob].filter((event) => event.type.startsWith("Transfer")).map((event) => event.metadata.correlationId)).toEqual(["t-1", "t-1"]);
    expect((await bank.totals()).balances).toEqual({ alice: 70, bob: 30 });
  });

  test("GIVEN alice holds 10 WHEN she asks to transfer 30 THEN the debit is refused and the transfer fails with INSUFFICIENT_FUNDS: nothing moved, nothing to refund", async ({ kafka, stopWhenDone }) => {
    const bank = await givenBank({ kafka, stopWhenDone });
    await bank.open({ alice: 10, bob: 0 });
    await bank.startSaga();

    await bank.request(t1);

    expect(await bank.outcomeOf("t-1")).toEqual({ type: "TransferFailed", data: { ...t1, reason: "INSUFFICIENT_FUNDS", refunded: false } });
    expect(typesOf(await bank.history("alice"))).toEqual(["AccountOpened", "MoneyDeposited"]);
    expect(typesOf(await bank.history("bob"))).toEqual(["AccountOpened"]);
    expect((await bank.totals()).balances).toEqual({ alice: 10, bob: 0 });
  });

  test(
    "GIVEN bob's account is frozen WHEN alice transfers 30 to him THEN the credit is refused, alice is refunded, and TransferFailed — her history keeps both the debit and the refund",
    proves("full-history", "saga with compensation", "holds"),
    async ({ kafka, stopWhenDone }) => {
      const bank = await givenBank({ kafka, stopWhenDone });
      await bank.open({ alice: 100, bob: 0 });
      await bank.freeze("bob");
      await bank.startSaga();

      await bank.request(t1);

      expect(await bank.outcomeOf("t-1")).toEqual({ type: "TransferFailed", data: { ...t1, reason: "ACCOUNT_FROZEN", refunded: true } });
      const alice = await bank.history("alice");
      expect(typesOf(alice)).toEqual(["AccountOpened", "MoneyDeposited", "TransferDebited", "TransferRefunded"]);
      expect(alice[3]?.data).toEqual({ accountId: "alice", transferId: "t-1", amount: 30, reason: "ACCOUNT_FROZEN" });
      expect(typesOf(await bank.history("bob"))).toEqual(["AccountOpened", "AccountFrozen"]);
      expect((await bank.totals()).balances).toEqual({ alice: 100, bob: 0 });
    },
  );

  test(
    "GIVEN alice 100, bob 0 WHEN a transfer of 30 is held between its debit and its credit THEN a reader summing the balances sees 70 — 30 in flight — and after the credit 100 again",
    proves("atomic-across-entities", "saga", "broken"),
    async ({ kafka, stopWhenDone, annotate }) => {
      const bank = await givenBank({ kafka, stopWhenDone });
      await bank.open({ alice: 100, bob: 0 });
      const { points, reached, release } = holdAt("after-debit");
      await bank.startSaga({ points });

      await bank.request(t1);
      await bank.orFailure(reached.received());
      const whileHeld = await bank.totals();
      release.open();
      await bank.outcomeOf("t-1");
      const after = await bank.totals();

      // The money is in neither account: a report that only sums balances is 30 short.
      expect(whileHeld).toEqual({ balances: { alice: 70, bob: 0 }, sumOfBalances: 70, inFlight: 30, transfersInFlight: ["t-1"] });
      expect(after).toEqual({ balances: { alice: 70, bob: 30 }, sumOfBalances: 100, inFlight: 0, transfersInFlight: [] });
      await annotate(`held between debit and credit: balances sum to ${whileHeld.sumOfBalances} of 100 (${whileHeld.inFlight} in flight) · after the credit: ${after.sumOfBalances}`);
    },
  );

  test(
    "GIVEN bob's account is frozen WHEN alice's transfer of 30 is held after its debit, then let go THEN 30 is in flight meanwhile, and in the end the refund brings the total back to 100 with nothing in flight",
    proves("atomic-across-entities", "saga, once finished (compensation)", "holds"),
    async ({ kafka, stopWhenDone, annotate }) => {
      const bank = await givenBank({ kafka, stopWhenDone });
      await bank.open({ alice: 100, bob: 0 });
      await bank.freeze("bob");
      const { points, reached, release } = holdAt("after-debit");
      await bank.startSaga({ points });

      await bank.request(t1);
      await bank.orFailure(reached.received());
      const whileHeld = await bank.totals();
      release.open();
      const outcome = await bank.outcomeOf("t-1");
      const after = await bank.totals();

      expect(whileHeld).toMatchObject({ sumOfBalances: 70, inFlight: 30 });
      expect(outcome).toMatchObject({ type: "TransferFailed", data: { refunded: true } });
      // Consistent in the end: all or nothing, once the saga has finished — never atomic on the way.
      expect(after).toEqual({ balances: { alice: 100, bob: 0 }, sumOfBalances: 100, inFlight: 0, transfersInFlight: [] });
      await annotate(`refused credit: ${whileHeld.inFlight} in flight after the debit · refunded · in the end ${after.sumOfBalances} of 100`);
    },
  );

  test(
    "GIVEN a saga that crashes between the debit and the credit WHEN a new instance takes over the transfers topic THEN it resumes from the log — it asks only for the credit: bob is credited exactly once, alice debited exactly once",
    proves("survives-crash", "saga", "holds"),
    async ({ kafka, stopWhenDone, annotate }) => {
      const bank = await givenBank({ kafka, stopWhenDone });
      await bank.open({ alice: 100, bob: 0 });
      const crashing = new Failpoints().failAt("after-debit");
      const first = await bank.startSaga({ points: crashing });

      await bank.request(t1);
      await eventually(() => expect(first.errors).toHaveLength(1), { what: "the first saga to crash after the debit" });
      if (!(first.errors[0] instanceof InjectedFailure)) throw first.errors[0]; // an open task, as itself
      const afterCrash = await bank.totals();
      expect(afterCrash).toMatchObject({ balances: { alice: 70, bob: 0 }, inFlight: 30 });
      await first.saga.stop();

      const recording = recordingWriters(bank);
      const second = await bank.startSaga({ writers: recording.writers });
      expect(await bank.outcomeOf("t-1")).toEqual({ type: "TransferCompleted", data: t1 });
      // It started from what the log says, not from the beginning: the debit is done, only the credit is left.
      expect(recording.sent).toEqual(["CreditForTransfer"]);

      const legs = [...(await bank.history("alice")), ...(await bank.history("bob"))].filter((event) => event.type.startsWith("Transfer"));
      expect(typesOf(legs)).toEqual(["TransferDebited", "TransferCredited"]);
      expect((await bank.totals()).balances).toEqual({ alice: 70, bob: 30 });
      expect([first.saga.finishedCount, second.saga.finishedCount]).toEqual([0, 1]);
      await annotate(`crashed after the debit (${afterCrash.inFlight} in flight) · resumed by a new instance, which asked for ${recording.sent.join(", ")} only · 1 debit, 1 credit`);
    },
  );
  test("GIVEN a saga that crashes after the credit, before recording the outcome WHEN a new instance takes over THEN it finds the credit on bob's stream, asks no account for anything and only records TransferCompleted: still one credit", async ({ kafka, stopWhenDone }) => {
    const bank = await givenBank({ kafka, stopWhenDone });
    await bank.open({ alice: 100, bob: 0 });
    const first = await bank.startSaga({ points: new Failpoints().failAt("after-credit") });

    await bank.request(t1);
    await eventually(() => expect(first.errors).toHaveLength(1), { what: "the first saga to crash after the credit" });
    if (!(first.errors[0] instanceof InjectedFailure)) throw first.errors[0]; // an open task, as itself
    await first.saga.stop();
    const recording = recordingWriters(bank);
    await bank.startSaga({ writers: recording.writers });

    expect(await bank.outcomeOf("t-1")).toEqual({ type: "TransferCompleted", data: t1 });
    // Both legs are on the log: the new instance asks no account for anything.
    expect(recording.sent).toEqual([]);
    expect(typesOf(await bank.history("bob"))).toEqual(["AccountOpened", "TransferCredited"]);
    expect(typesOf(bank.desk.transferEvents())).toEqual(["TransferRequested", "TransferCompleted"]);
    expect((await bank.totals()).balances).toEqual({ alice: 70, bob: 30 });
  });
});
