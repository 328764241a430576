/**
 * The zombie writer, with step 05's processor (no transactions). One writer per partition
 * holds while group membership is honest; here it is not. The member that owns alice's
 * partition is held inside its handler, after it loaded her account and before it decided,
 * for longer than its session timeout: a member busy inside a handler sends no heartbeat, so
 * the group expels it and gives the partition to the other member, which is handed the same,
 * uncommitted command, decides it on the log and appends. Then the held member is released,
 * and carries on with what it loaded: it appends too. Nothing is left to luck: the hold lasts
 * until the other member has answered.
 */
import { foldEvents } from "../src/domain.ts";
import { Failpoints, describe, eventually, expect, proves, provesAll, tradeoff } from "#kit/testing";
import { causedBy, givenWallet, Hold, ownerAndSuccessor, readLog, SHORT_SESSION_MS, test } from "./helpers.ts";
import { deposit, open, withdraw } from "./specification.ts";

describe(tradeoff("an expelled member appends after its partition moved"), () => {
  test(
    "GIVEN alice holds 100 and the owner of her partition is held after loading her withdrawal of 80, past its session timeout WHEN the other member takes the partition and answers, and the held one is released THEN the withdrawal is applied twice and alice is at -60",
    {
      // Waits out a 6-second session timeout and a rebalance: more than the default 30 s on a busy laptop is possible.
      timeout: 60_000,
      ...provesAll(
        proves("exactly-once-effect", "step 05's processor (no transactions)", "broken"),
        proves("invariants-under-concurrency", "step 05's processor, a member expelled while working", "broken"),
      ),
    },
    async ({ kafka, stopWhenDone, annotate }) => {
      const wallet = await givenWallet({ kafka, stopWhenDone });
      const points = [new Failpoints(), new Failpoints()];
      const errors: unknown[] = [];
      const started = [
        await wallet.startProcessor({ transactions: "none", sessionTimeout: SHORT_SESSION_MS, points: points[0], errors }),
        await wallet.startProcessor({ transactions: "none", sessionTimeout: SHORT_SESSION_MS, points: points[1], errors }),
      ] as const;
      const [zombie, successor] = await ownerAndSuccessor([started[0], started[1]]);
      const zombiePoints = points[started.indexOf(zombie)]!;
      await wallet.send(open("alice"));
      await wallet.send(deposit("alice", 100));

      const hold = new Hold();
      stopWhenDone({ stop: async () => hold.release() }); // never leave a member held after the test
      zombiePoints.on("after-load", hold.action);
      const answer = wallet.send(withdraw("alice", 80), { commandId: "w-1", timeoutMs: 60_000 });
      await hold.reached.received();

      // Silent inside its handler, the owner is expelled; the group gives partition 0 to the other member,
      // which is handed w-1 again (it was never committed) and answers it.
      await eventually(() => expect(successor.assignedPartitions).toEqual([0]), { timeoutMs: 30_000, what: "the group to give partition 0 to the other member" });
      expect(await answer).toMatchObject({ commandId: "w-1", outcome: "accepted" });
      // Both believe they own partition 0: the held one was never told.
      expect(zombie.assignedPartitions).toEqual([0]);

      zombiePoints.clear("after-load");
      hold.release();
      await eventually(() => expect(zombiePoints.timesReached("after-append")).toBe(3), { what: "the released member to append what it decided on its stale load" });
      await eventually(() => expect(wallet.client.resultsFor("w-1")).toHaveLength(2), { what: "the released member to send its result too" });

      const log = await readLog({ kafka, stopWhenDone }, wallet.topics.events);
      const withdrawals = causedBy(log, "alice", "w-1");
      const balance = foldEvents(log.eventsOf("alice"));
      await annotate(`1 withdrawal of 80 sent · ${withdrawals.length} applied · ${wallet.client.resultsFor("w-1").length} results · alice at ${balance.status === "open" ? balance.balance : "?"}`);
      expect(withdrawals.map((event) => [event.type, "amount" in event.data ? event.data.amount : null, event.metadata.version])).toEqual([
        ["MoneyWithdrawn", 80, 3],
        ["MoneyWithdrawn", 80, 3],
      ]);
      expect(balance).toMatchObject({ balance: -60 });
      expect(wallet.client.resultsFor("w-1")).toHaveLength(2);
    },
  );
});
