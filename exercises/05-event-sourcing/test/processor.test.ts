/**
 * Task 5: one writer per account. Commands go to the commands topic keyed by account id;
 * the processors of one consumer group each own some partitions, so each account's
 * commands are decided one after another, by one processor, on the state rebuilt from the log.
 */
import type { CommandResult } from "../src/commands.ts";
import { foldEvents } from "../src/domain.ts";
import { Failpoints, InjectedFailure, Signal, describe, eventually, expect, proves, task } from "#kit/testing";
import { givenWallet, readLog, test } from "./helpers.ts";
import { deposit, open, withdraw } from "./story.ts";

function accepted(results: CommandResult[]): CommandResult[] {
  return results.filter((result) => result.outcome === "accepted");
}

function rejectionCodes(results: CommandResult[]): string[] {
  return results.flatMap((result) => (result.outcome === "rejected" ? [result.rejection.code] : []));
}

describe(task(5, "one writer per account"), () => {
  test("GIVEN a running processor WHEN alice opens an account and deposits 100 THEN each command answers with its events and where they were written", async ({ kafka, stopWhenDone }) => {
    const wallet = await givenWallet({ kafka, stopWhenDone });
    await wallet.startProcessor();

    const opening = await wallet.send(open("alice"), { commandId: "open-1" });
    const depositing = await wallet.send(deposit("alice", 100), { commandId: "deposit-1" });

    expect(opening).toMatchObject({ commandId: "open-1", outcome: "accepted", accountId: "alice", events: [{ type: "AccountOpened" }], position: { partition: 0, offset: 0 } });
    expect(depositing).toMatchObject({ commandId: "deposit-1", outcome: "accepted", events: [{ type: "MoneyDeposited", data: { amount: 100 } }], position: { partition: 0, offset: 1 } });
    // The envelope: ids, time, the command that caused it — what later steps rely on.
    const [event] = depositing.outcome === "accepted" ? depositing.events : [];
    expect(event?.metadata).toMatchObject({ accountId: "alice", schemaVersion: 1, causationId: "deposit-1", correlationId: "deposit-1" });
    expect(event?.metadata.eventId).toEqual(expect.any(String));
    expect(Number.isNaN(Date.parse(event?.metadata.occurredAt ?? ""))).toBe(false);
    // The position is where a new reader finds the event.
    const log = await readLog({ kafka, stopWhenDone }, wallet.topics.events);
    expect(log.eventsOf("alice").map((recorded) => [recorded.type, recorded.position.offset])).toEqual([["AccountOpened", 0], ["MoneyDeposited", 1]]);
  });

  test("GIVEN alice holds 100 WHEN she withdraws 101 THEN a typed rejection comes back and nothing is written", async ({ kafka, stopWhenDone }) => {
    const wallet = await givenWallet({ kafka, stopWhenDone });
    await wallet.startProcessor();
    await wallet.send(open("alice"));
    await wallet.send(deposit("alice", 100));

    const refused = await wallet.send(withdraw("alice", 101), { commandId: "too-much" });
    const missing = await wallet.send(deposit("bob", 5));

    expect(refused).toMatchObject({ commandId: "too-much", outcome: "rejected", rejection: { code: "INSUFFICIENT_FUNDS", balance: 100, requested: 101 } });
    expect(missing).toMatchObject({ outcome: "rejected", rejection: { code: "ACCOUNT_NOT_FOUND", accountId: "bob" } });
    const log = await readLog({ kafka, stopWhenDone }, wallet.topics.events);
    expect(log.allEvents().map((event) => event.type)).toEqual(["AccountOpened", "MoneyDeposited"]);
  });

  test(
    "GIVEN alice holds 100 WHEN two withdrawals of 80 arrive and the first is held after its load until the second is in the topic THEN the second is decided after the first is appended, and refused",
    proves("invariants-under-concurrency", "one writer per partition", "holds"),
    async ({ kafka, stopWhenDone }) => {
      const order: string[] = [];
      const secondSent = new Signal();
      // The same hold that made two naive writers overdraw: the first withdrawal's decision
      // stays open after its load until the second withdrawal is already waiting in Kafka.
      const points = new Failpoints()
        .on("after-load", async () => {
          order.push("load");
          if (order.filter((step) => step === "load").length === 3) await secondSent.received();
        })
        .on("after-append", () => void order.push("append"));
      const wallet = await givenWallet({ kafka, stopWhenDone });
      // Two instances of the service in one group, both able to decide; Kafka gives the one
      // partition to one of them.
      const processors = [await wallet.startProcessor({ points }), await wallet.startProcessor({ points })];
      await eventually(() => expect(processors.map((processor) => processor.assignedPartitions.length).sort()).toEqual([0, 1]), {
        what: "the partition to belong to exactly one processor",
      });
      await wallet.send(open("alice"));
      await wallet.send(deposit("alice", 100));

      const first = wallet.send(withdraw("alice", 80), { commandId: "first" });
      await eventually(() => expect(order).toHaveLength(5), { what: "the first withdrawal to be loaded, and held" });
      const second = wallet.send(withdraw("alice", 80), { commandId: "second" });
      // Four commands in the topic: open, deposit, and both withdrawals.
      await eventually(async () => expect((await kafka.admin.fetchTopicOffsets(wallet.topics.commands))[0]?.high).toBe("4"), {
        what: "the second withdrawal to be in the commands topic",
      });
      secondSent.send();

      expect(await first).toMatchObject({ outcome: "accepted" });
      expect(await second).toMatchObject({ outcome: "rejected", rejection: { code: "INSUFFICIENT_FUNDS", balance: 20, requested: 80 } });
      // open, deposit, first withdrawal: load and append each; the second: load, then refused.
      expect(order).toEqual(["load", "append", "load", "append", "load", "append", "load"]);
      const log = await readLog({ kafka, stopWhenDone }, wallet.topics.events);
      expect(foldEvents(log.eventsOf("alice"))).toMatchObject({ balance: 20 });
    },
  );

  test(
    "GIVEN alice holds 100 WHEN 20 deposits of 10 and ten withdrawals of 30 arrive at once THEN every deposit counts and the withdrawals never overdraw",
    proves("no-lost-updates", "one writer per partition", "holds"),
    async ({ kafka, stopWhenDone }) => {
      const wallet = await givenWallet({ kafka, stopWhenDone });
      await wallet.startProcessor();
      await wallet.send(open("alice"));
      await wallet.send(deposit("alice", 100));

      const deposits = await Promise.all(Array.from({ length: 20 }, () => wallet.send(deposit("alice", 10))));
      const withdrawals = await Promise.all(Array.from({ length: 10 }, () => wallet.send(withdraw("alice", 30))));

      expect(accepted(deposits)).toHaveLength(20);
      // 300 in the account: exactly ten withdrawals of 30 fit, whatever their order.
      expect(accepted(withdrawals)).toHaveLength(10);
      const more = await Promise.all(Array.from({ length: 3 }, () => wallet.send(withdraw("alice", 30))));
      expect(rejectionCodes(more)).toEqual(["INSUFFICIENT_FUNDS", "INSUFFICIENT_FUNDS", "INSUFFICIENT_FUNDS"]);
      const log = await readLog({ kafka, stopWhenDone }, wallet.topics.events);
      expect(foldEvents(log.eventsOf("alice"))).toMatchObject({ balance: 0 });
    },
  );

  test(
    "GIVEN processor A owns both partitions and has handled alice and bob WHEN processor B joins (a rebalance) and withdrawals arrive at once THEN the new owner rebuilds from the log: no overdraft, one result per command",
    proves("invariants-under-concurrency", "one writer per partition", "holds"),
    async ({ kafka, stopWhenDone }) => {
      const wallet = await givenWallet({ kafka, stopWhenDone }, { partitions: 2 });
      const a = await wallet.startProcessor();
      expect(a.assignedPartitions.sort()).toEqual([0, 1]);
      const sent: CommandResult[] = [];
      const send = async (...commands: Parameters<typeof wallet.send>[0][]) => {
        const results = await Promise.all(commands.map((command) => wallet.send(command)));
        sent.push(...results);
        return results;
      };
      // alice and bob are keyed to different partitions (checked below), 100 each.
      const opened = await send(open("alice"), open("bob"));
      expect(new Set(opened.map((result) => (result.outcome === "accepted" ? result.position.partition : -1)))).toEqual(new Set([0, 1]));
      await send(deposit("alice", 100), deposit("bob", 100));
      // Before the rebalance: three withdrawals of 40 each, at once; two fit.
      const before = await send(...["alice", "bob"].flatMap((id) => [withdraw(id, 40), withdraw(id, 40), withdraw(id, 40)]));
      expect(accepted(before)).toHaveLength(4);
      const handledByA = a.handledCount;

      const b = await wallet.startProcessor();
      await eventually(() => expect([a.assignedPartitions.length, b.assignedPartitions.length]).toEqual([1, 1]), {
        what: "A and B to own one partition each",
      });
      // One of alice and bob has moved to B, which has never seen them: 20 left, then 100 more.
      await send(deposit("alice", 100), deposit("bob", 100));
      const after = await send(...["alice", "bob"].flatMap((id) => [withdraw(id, 40), withdraw(id, 40), withdraw(id, 40), withdraw(id, 40)]));

      // 120 each: three of the four withdrawals of 40 fit, on each account.
      expect(accepted(after)).toHaveLength(6);
      expect(rejectionCodes(after)).toEqual(["INSUFFICIENT_FUNDS", "INSUFFICIENT_FUNDS"]);
      expect(a.handledCount).toBeGreaterThan(handledByA);
      expect(b.handledCount).toBeGreaterThan(0);
      const log = await readLog({ kafka, stopWhenDone }, wallet.topics.events);
      expect(foldEvents(log.eventsOf("alice"))).toMatchObject({ balance: 0 });
      expect(foldEvents(log.eventsOf("bob"))).toMatchObject({ balance: 0 });
      // Every command got exactly one result.
      for (const result of sent) expect(wallet.client.resultsFor(result.commandId), result.commandId).toHaveLength(1);
    },
  );

  test(
    "GIVEN a processor crashes after appending a deposit, before it answers WHEN another processor takes over THEN the command is delivered again, answered once and applied once",
    proves("survives-crash", "one writer per partition, causation ids", "holds"),
    async ({ kafka, stopWhenDone }) => {
      const crashed = new Signal();
      const errors: unknown[] = [];
      const points = new Failpoints();
      const wallet = await givenWallet({ kafka, stopWhenDone });
      const first = await wallet.startProcessor({ points, onError: (error) => (errors.push(error), crashed.send()) });
      await wallet.send(open("alice"));
      await wallet.send(deposit("alice", 100));
      points.failAt("after-append");

      const answer = wallet.send(deposit("alice", 50), { commandId: "deposit-50" });
      answer.catch(() => {}); // awaited below, after the takeover
      await crashed.received();
      await first.stop();
      await wallet.startProcessor({ points });

      expect(errors).toHaveLength(1);
      expect(errors[0]).toBeInstanceOf(InjectedFailure);
      // The first processor appended and crashed, so the command was never committed. The
      // second was given it again, found its event in the log (by causation id) and answered
      // with it instead of deciding again: it never reached "after-append".
      expect(await answer).toMatchObject({ commandId: "deposit-50", outcome: "accepted", events: [{ type: "MoneyDeposited", data: { amount: 50 } }] });
      expect(points.timesReached("after-append")).toBe(3);
      expect(wallet.client.resultsFor("deposit-50")).toHaveLength(1);
      const log = await readLog({ kafka, stopWhenDone }, wallet.topics.events);
      expect(log.eventsOf("alice").filter((event) => event.metadata.causationId === "deposit-50")).toHaveLength(1);
      expect(foldEvents(log.eventsOf("alice"))).toMatchObject({ balance: 150 });
    },
  );
});
