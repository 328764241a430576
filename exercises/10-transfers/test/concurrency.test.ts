/**
 * Task 3, under concurrency: many transfers at one account's door, transfers crossing in opposite
 * directions, and two instances driving the same transfer. Each interleaving is forced: the
 * sagas are held before the writer (WritersWithHook) or between their legs (failpoints).
 */
import type { AccountCommand } from "../src/domain.ts";
import { Barrier, describe, expect, Failpoints, proves, settleAll, task } from "#kit/testing";
import { givenBank, test, typesOf, WritersWithHook } from "./helpers.ts";

/** Holds every `type` command until `parties` of them are waiting, then lets them all go at once. */
function allAtTheDoor(type: AccountCommand["type"], parties: number): (command: AccountCommand) => Promise<void> {
  const barrier = new Barrier(parties);
  return async (command) => {
    if (command.type === type) await barrier.arrive();
  };
}

describe(task(3, "drive a transfer to its end"), () => {
  test(
    "GIVEN alice holds 100 WHEN one saga instance drives 10 transfers of 30 from her to bob at once, all asking her writer for the debit together THEN 3 complete, 7 fail with INSUFFICIENT_FUNDS, and alice keeps 10: never overdrawn",
    proves("invariants-under-concurrency", "saga", "holds"),
    async ({ kafka, stopWhenDone, annotate }) => {
      const bank = await givenBank({ kafka, stopWhenDone });
      await bank.open({ alice: 100, bob: 0 });
      const writers = new WritersWithHook(bank.writers, allAtTheDoor("DebitForTransfer", 10));
      const { saga } = await bank.startSaga({ consume: false, writers });

      const results = await settleAll(Array.from({ length: 10 }, (_, i) => saga.drive({ transferId: `t-${i}`, from: "alice", to: "bob", amount: 30 })));

      const outcomes = results.map((result) => (result.status === "fulfilled" ? result.value.outcome : String(result.reason)));
      expect(outcomes.filter((outcome) => outcome === "completed")).toHaveLength(3);
      expect(outcomes.filter((outcome) => outcome === "failed")).toHaveLength(7);
      for (const result of results) {
        if (result.status === "fulfilled" && result.value.outcome === "failed") expect(result.value.debit).toMatchObject({ status: "refused", rejection: { code: "INSUFFICIENT_FUNDS" } });
      }
      // One writer owns alice: it took the 10 debits one after another, on the balance each left.
      expect(typesOf(await bank.history("alice")).filter((type) => type === "TransferDebited")).toHaveLength(3);
      expect((await bank.totals()).balances).toEqual({ alice: 10, bob: 90 });
      await annotate(`10 transfers of 30 from 100, all at alice's writer at once: ${outcomes.filter((outcome) => outcome === "completed").length} completed · ${outcomes.filter((outcome) => outcome === "failed").length} refused · alice ${(await bank.totals()).balances.alice}`);
    },
  );

  test(
    "GIVEN alice 100 and bob 100 WHEN alice sends bob 30 while bob sends alice 50, both held after their debits THEN neither waits for the other — no lock spans two accounts — and both complete: 120 and 80",
    proves("no-lost-updates", "saga", "holds"),
    async ({ kafka, stopWhenDone, annotate }) => {
      const bank = await givenBank({ kafka, stopWhenDone });
      await bank.open({ alice: 100, bob: 100 });
      const bothDebited = new Barrier(2);
      let inFlightWhenBothDebited = -1;
      const points = new Failpoints().on("after-debit", async () => {
        // The second to get here looks at the bank while the first waits: both debited, neither credited.
        if (bothDebited.arrived === 1) inFlightWhenBothDebited = (await bank.totals()).inFlight;
        await bothDebited.arrive();
      });
      const { saga } = await bank.startSaga({ consume: false, points });

      const [aliceToBob, bobToAlice] = await Promise.all([
        saga.drive({ transferId: "a-to-b", from: "alice", to: "bob", amount: 30 }),
        saga.drive({ transferId: "b-to-a", from: "bob", to: "alice", amount: 50 }),
      ]);

      expect([aliceToBob.outcome, bobToAlice.outcome]).toEqual(["completed", "completed"]);
      expect(points.timesReached("after-debit")).toBe(2);
      expect(inFlightWhenBothDebited).toBe(80);
      expect((await bank.totals()).balances).toEqual({ alice: 120, bob: 80 });
      await annotate(`opposite directions: both debits done before either credit (${inFlightWhenBothDebited} in flight) · both completed · no deadlock possible`);
    },
  );

  test(
    "GIVEN two saga instances drive the same transfer at once (a zombie and its successor) WHEN both ask for the debit and then the credit THEN each account applies its leg once: one debit, one credit, 70 and 30",
    proves("exactly-once-effect", "saga", "holds"),
    async ({ kafka, stopWhenDone, annotate }) => {
      const bank = await givenBank({ kafka, stopWhenDone });
      await bank.open({ alice: 100, bob: 0 });
      const atTheDoor = allAtTheDoor("DebitForTransfer", 2);
      const asked: Array<AccountCommand["type"]> = [];
      const writers = new WritersWithHook(bank.writers, async (command) => {
        asked.push(command.type);
        await atTheDoor(command);
      });
      const [zombie, successor] = [await bank.startSaga({ consume: false, writers }), await bank.startSaga({ consume: false, writers })];
      const t1 = { transferId: "t-1", from: "alice", to: "bob", amount: 30 };

      const [first, second] = await Promise.all([zombie.saga.drive(t1), successor.saga.drive(t1)]);

      expect([first.outcome, second.outcome]).toEqual(["completed", "completed"]);
      const alice = typesOf(await bank.history("alice"));
      const bob = typesOf(await bank.history("bob"));
      // Each instance asked for each leg; each account applied it once.
      expect([...asked].sort()).toEqual(["CreditForTransfer", "CreditForTransfer", "DebitForTransfer", "DebitForTransfer"]);
      const applied = [...alice, ...bob].filter((type) => type === "TransferDebited" || type === "TransferCredited");
      expect(applied).toEqual(["TransferDebited", "TransferCredited"]);
      expect((await bank.totals()).balances).toEqual({ alice: 70, bob: 30 });
      // Both instances recorded the outcome: the same fact twice, harmless to a reader that keys by transfer id.
      await bank.desk.outcomeOf("t-1");
      const completions = bank.desk.transferEvents().filter((event) => event.type === "TransferCompleted");
      expect(completions).toHaveLength(2);
      await annotate(`2 instances: ${asked.length} legs asked · ${applied.length} applied (${applied.join(", ")}) · TransferCompleted recorded ${completions.length} times`);
    },
  );
});
