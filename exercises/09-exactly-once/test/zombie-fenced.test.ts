/**
 * Tasks 3 and 4 together: the zombie of tradeoff-zombie.test.ts again, with the transactional
 * processor. The owner is held after it appended alice's withdrawal inside its transaction —
 * the worst moment: its events are already in the log. Expelled, it loses the partition; the
 * other member claims the partition's transactional id (which aborts the held transaction),
 * decides on the committed log and commits. Released, the zombie tries to finish: fenced.
 */
import { foldEvents } from "../src/domain.ts";
import { Fenced } from "../src/processor.ts";
import { Failpoints, describe, eventually, expect, proves, provesAll, task } from "#kit/testing";
import { causedBy, givenWallet, Hold, ownerAndSuccessor, readLog, SHORT_SESSION_MS, test } from "./helpers.ts";
import { deposit, open, withdraw } from "./specification.ts";

describe(task(4, "read, process and write in one transaction"), () => {
  test(
    "GIVEN alice holds 100 and the owner of her partition is held after appending her withdrawal of 80 in its transaction, past its session timeout WHEN the other member claims the partition and answers, and the held one is released THEN the held one is fenced and the withdrawal counts once: alice at 20",
    {
      // Waits out a 6-second session timeout and a rebalance: more than the default 30 s on a busy laptop is possible.
      timeout: 60_000,
      ...provesAll(
        proves("exactly-once-effect", "transactional processor, id claimed on assignment", "holds"),
        proves("invariants-under-concurrency", "transactional processor, a member expelled while working", "holds"),
      ),
    },
    async ({ kafka, stopWhenDone, annotate }) => {
      const wallet = await givenWallet({ kafka, stopWhenDone });
      const points = [new Failpoints(), new Failpoints()];
      const errors: unknown[][] = [[], []];
      const started = [
        await wallet.startProcessor({ transactions: "per-command", sessionTimeout: SHORT_SESSION_MS, points: points[0], errors: errors[0] }),
        await wallet.startProcessor({ transactions: "per-command", sessionTimeout: SHORT_SESSION_MS, points: points[1], errors: errors[1] }),
      ] as const;
      const [zombie, successor] = await ownerAndSuccessor([started[0], started[1]]);
      const zombieIndex = started.indexOf(zombie);
      const zombiePoints = points[zombieIndex]!;
      const zombieErrors = errors[zombieIndex]!;
      await wallet.send(open("alice"));
      await wallet.send(deposit("alice", 100));

      const hold = new Hold();
      stopWhenDone({ stop: async () => hold.release() });
      zombiePoints.on("after-append", hold.action);
      const answer = wallet.send(withdraw("alice", 80), { commandId: "w-1", timeoutMs: 60_000 });
      await hold.reached.received();

      await eventually(() => expect(successor.assignedPartitions).toEqual([0]), { timeoutMs: 30_000, what: "the group to give partition 0 to the other member" });
      const answered = await answer;
      expect(answered).toMatchObject({ commandId: "w-1", outcome: "accepted" });
      expect(zombie.assignedPartitions).toEqual([0]);

      zombiePoints.clear("after-append");
      hold.release();
      await eventually(() => expect(zombieErrors).toHaveLength(1), { what: "the released member to fail" });
      expect(zombieErrors[0]).toBeInstanceOf(Fenced);

      const committed = await readLog({ kafka, stopWhenDone }, wallet.topics.events);
      const everything = await readLog({ kafka, stopWhenDone }, wallet.topics.events, "read_uncommitted");
      const visible = causedBy(committed, "alice", "w-1");
      const written = causedBy(everything, "alice", "w-1");
      const balance = foldEvents(committed.eventsOf("alice"));
      await annotate(
        `1 withdrawal of 80 sent · written ${written.length} times (offsets ${written.map((event) => event.position.offset).join(", ")}) · ${visible.length} visible to read_committed · ${wallet.client.resultsFor("w-1").length} result · zombie: ${(zombieErrors[0] as Error).name} · alice at ${balance.status === "open" ? balance.balance : "?"}`,
      );
      expect(written).toHaveLength(2);
      expect(visible.map((event) => [event.type, "amount" in event.data ? event.data.amount : null, event.metadata.version])).toEqual([["MoneyWithdrawn", 80, 3]]);
      expect(balance).toMatchObject({ balance: 20 });
      expect(wallet.client.resultsFor("w-1")).toHaveLength(1);
      if (answered.outcome === "accepted") expect(visible[0]!.position).toEqual(answered.position);
    },
  );
});
