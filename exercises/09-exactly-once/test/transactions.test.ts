/**
 * Task 4: read, process and write in one transaction — the command's events, its result and
 * the consumer's offset commit together, or none of them does.
 */
import type { CommandResult } from "../src/commands.ts";
import { foldEvents } from "../src/domain.ts";
import { Failpoints, InjectedFailure, Signal, describe, eventually, expect, proves, provesAll, task } from "#kit/testing";
import { causedBy, givenWallet, readLog, test } from "./helpers.ts";
import { deposit, open, withdraw } from "./specification.ts";

describe(task(4, "read, process and write in one transaction"), () => {
  test("GIVEN a transactional processor WHEN alice opens, deposits 100 and withdraws 30 THEN each command is answered, her events are numbered 1, 2, 3, and the group's offset is committed past them", async ({ kafka, stopWhenDone }) => {
    const wallet = await givenWallet({ kafka, stopWhenDone });
    const processor = await wallet.startProcessor({ transactions: "per-command" });

    const results = [await wallet.send(open("alice")), await wallet.send(deposit("alice", 100)), await wallet.send(withdraw("alice", 30))];

    expect(results.map((result) => result.outcome)).toEqual(["accepted", "accepted", "accepted"]);
    const log = await readLog({ kafka, stopWhenDone }, wallet.topics.events);
    expect(log.eventsOf("alice").map((event) => [event.type, event.metadata.version])).toEqual([["AccountOpened", 1], ["MoneyDeposited", 2], ["MoneyWithdrawn", 3]]);
    expect(foldEvents(log.eventsOf("alice"))).toMatchObject({ balance: 70 });
    // The offset went with the transaction (sendOffsets), not through the consumer's own commit.
    await eventually(async () => {
      const [offsets] = await kafka.admin.fetchOffsets({ groupId: processor.options.groupId, topics: [wallet.topics.commands] });
      expect(offsets?.partitions).toEqual([expect.objectContaining({ partition: 0, offset: "3" })]);
    }, { what: "the group's committed offset to be 3" });
    // Counted once the transaction's commit returns, which may come after its answer was read.
    await eventually(() => expect(processor.handledCount).toBe(3), { what: "the processor to count 3 commands" });
  });

  test(
    "GIVEN a processor that fails after appending a deposit of 50, before its transaction commits WHEN another processor takes over THEN read_committed readers see the deposit once, while the aborted copy stays in the log, seen only by read_uncommitted",
    provesAll(
      proves("survives-crash", "transactional processor (events, result and offset in one transaction)", "holds"),
      proves("downstream-sees-every-change", "read_committed reader of a transactional log", "holds"),
      proves("downstream-sees-every-change", "read_uncommitted reader of a transactional log", "broken"),
    ),
    async ({ kafka, stopWhenDone, annotate }) => {
      const crashed = new Signal();
      const errors: unknown[] = [];
      const points = new Failpoints();
      const wallet = await givenWallet({ kafka, stopWhenDone });
      const first = await wallet.startProcessor({ transactions: "per-command", points, errors });
      await wallet.send(open("alice"));
      await wallet.send(deposit("alice", 100));
      points.on("before-commit", () => {
        crashed.send();
        throw new InjectedFailure("before-commit");
      });

      const answer = wallet.send(deposit("alice", 50), { commandId: "deposit-50" });
      answer.catch(() => {}); // awaited below, after the takeover
      await crashed.received();
      await eventually(() => expect(errors).toHaveLength(1), { what: "the first processor to give up the command" });
      await first.stop();
      points.clear("before-commit");
      await wallet.startProcessor({ transactions: "per-command", points });

      expect(errors[0]).toBeInstanceOf(InjectedFailure);
      expect(await answer).toMatchObject({ commandId: "deposit-50", outcome: "accepted", events: [{ type: "MoneyDeposited", data: { amount: 50 }, metadata: { version: 3 } }] });
      expect(wallet.client.resultsFor("deposit-50")).toHaveLength(1);
      // Appended twice (once per attempt), committed once.
      expect(points.timesReached("after-append")).toBe(4);
      const committed = await readLog({ kafka, stopWhenDone }, wallet.topics.events);
      const uncommitted = await readLog({ kafka, stopWhenDone }, wallet.topics.events, "read_uncommitted");
      const offsets = (events: ReturnType<typeof causedBy>) => events.map((event) => event.position.offset);
      const balanceOf = (reader: typeof committed) => {
        const state = foldEvents(reader.eventsOf("alice"));
        return state.status === "open" ? state.balance : Number.NaN;
      };
      await annotate(
        `deposit-50 in the log at offsets ${offsets(causedBy(uncommitted, "alice", "deposit-50")).join(" and ")} · read_committed sees offset ${offsets(causedBy(committed, "alice", "deposit-50")).join(", ")} · alice at ${balanceOf(committed)} for read_committed, ${balanceOf(uncommitted)} for read_uncommitted`,
      );
      expect(causedBy(committed, "alice", "deposit-50")).toHaveLength(1);
      expect(foldEvents(committed.eventsOf("alice"))).toMatchObject({ balance: 150 });
      // The aborted attempt is a record like any other to a reader that does not honour transactions.
      const seenUncommitted = causedBy(uncommitted, "alice", "deposit-50");
      expect(seenUncommitted).toHaveLength(2);
      expect(seenUncommitted[0]!.position.offset).toBeLessThan(causedBy(committed, "alice", "deposit-50")[0]!.position.offset);
      expect(foldEvents(uncommitted.eventsOf("alice"))).toMatchObject({ balance: 200 });
    },
  );

  test("GIVEN bad records between alice's commands WHEN the transactional processor reads them THEN each gets its typed rejection inside a transaction, and the deposit behind them goes through", async ({ kafka, stopWhenDone }) => {
    const wallet = await givenWallet({ kafka, stopWhenDone });
    const processor = await wallet.startProcessor({ transactions: "per-command" });
    await wallet.send(open("alice"));

    const answers: CommandResult[] = [
      await wallet.sendRaw("alice", '{"commandId": "half', "half-json"),
      await wallet.sendRaw("alice", JSON.stringify({ commandId: "t-1", type: "Transfer", data: { accountId: "alice" } }), "t-1"),
      await wallet.sendRaw("alice", JSON.stringify({ commandId: "d-str", type: "Deposit", data: { accountId: "alice", amount: "100" } }), "d-str"),
      await wallet.sendRaw("alice", JSON.stringify({ commandId: "d-key", type: "Deposit", data: { accountId: "alice", amount: 5 }, metadata: { idempotencyKey: "" } }), "d-key"),
    ];
    const good = await wallet.send(deposit("alice", 40));

    expect(answers.map((answer) => (answer.outcome === "rejected" ? answer.rejection.code : answer.outcome))).toEqual(["MALFORMED_COMMAND", "UNKNOWN_COMMAND_TYPE", "INVALID_COMMAND", "INVALID_COMMAND"]);
    expect(answers[3]).toMatchObject({ rejection: { message: expect.stringContaining("idempotency key must not be empty") } });
    expect(good).toMatchObject({ outcome: "accepted", events: [{ metadata: { version: 2 } }] });
    // Counted once the transaction's commit returns, which may come after its answer was read.
    await eventually(() => expect(processor.handledCount).toBe(6), { what: "the processor to count 6 commands" });
    const log = await readLog({ kafka, stopWhenDone }, wallet.topics.events);
    expect(foldEvents(log.eventsOf("alice"))).toMatchObject({ balance: 40 });
  });

  test("GIVEN alice's opening and 30 deposits of 10 queued before the processor starts WHEN a processor with one transaction per fetched batch reads them THEN one transaction answers all 31, each applied once and answered once", async ({ kafka, stopWhenDone, annotate }) => {
    const wallet = await givenWallet({ kafka, stopWhenDone });
    const points = new Failpoints();
    const queued = async (count: number) =>
      eventually(async () => expect((await kafka.admin.fetchTopicOffsets(wallet.topics.commands))[0]?.high).toBe(String(count)), { what: `${count} commands to be in the commands topic` });
    // Sent before any processor runs, so its first poll fetches all of them.
    const opened = wallet.send(open("alice"));
    await queued(1);
    const deposits = Array.from({ length: 30 }, (_, i) => wallet.send(deposit("alice", 10), { commandId: `d-${i}` }));
    for (const answer of [opened, ...deposits]) answer.catch(() => {}); // awaited below, once a processor runs
    await queued(31);

    await wallet.startProcessor({ transactions: "per-poll", points });
    const results = await Promise.all([opened, ...deposits]);

    await annotate(`31 commands queued · ${points.timesReached("before-commit")} transaction · ${results.filter((result) => result.outcome === "accepted").length} accepted`);
    // One transaction per command would commit 31 times.
    expect(points.timesReached("before-commit")).toBe(1);
    expect(results.filter((result) => result.outcome === "accepted")).toHaveLength(31);
    for (const result of results) expect(wallet.client.resultsFor(result.commandId)).toHaveLength(1);
    const log = await readLog({ kafka, stopWhenDone }, wallet.topics.events);
    expect(log.eventsOf("alice").map((event) => event.metadata.version)).toEqual(Array.from({ length: 31 }, (_, i) => i + 1));
    expect(foldEvents(log.eventsOf("alice"))).toMatchObject({ balance: 300 });
  });
});
