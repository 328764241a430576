/**
 * Task 1: a bug recorded alice's deposit of 100.00 as 10,000.00 — 1,000,000 cents instead of
 * 10,000. The event cannot be deleted. A compensating event, DepositCorrected, puts the state
 * right, and the history keeps both: the mistake and its correction.
 */
import { accepted, decide, foldEvents, type AccountState } from "../src/domain.ts";
import { envelop, parseEvent, toRecord } from "../src/envelope.ts";
import { appliedCount, historyOf, readAccount } from "../src/read-model.ts";
import { describe, expect, proves, task } from "#kit/testing";
import { fixedStamp, givenHandler, givenTopics, readRaw, startProjection, test } from "./helpers.ts";
import { correctDeposit, deposit, depositCorrected, deposited, given, identify, open, opened, withdraw, withdrawn } from "./story.ts";

const REASON = "recorded 100× too large: the form sent cents into a field that expected euros";

describe(task(1, "correct a mistake with a compensating event"), () => {
  test("GIVEN alice's deposit recorded as 1,000,000 cents instead of 10,000 WHEN it is corrected THEN DepositCorrected, with what it said, what it should have said, and why", () => {
    given(opened("alice"), deposited("alice", 1_000_000, "wrong-deposit"))
      .when(correctDeposit("alice", "wrong-deposit", 10_000, REASON))
      .then(depositCorrected("alice", "wrong-deposit", 1_000_000, 10_000, REASON));
  });

  test("GIVEN the wrong deposit and its correction THEN the balance is what it should have been, and the deposit counts for 10,000", () => {
    given(opened("alice"), deposited("alice", 5_000), deposited("alice", 1_000_000, "wrong-deposit"), depositCorrected("alice", "wrong-deposit", 1_000_000, 10_000, REASON)).thenStateIncludes({
      status: "open",
      balance: 15_000,
      deposits: { "event-2": 5_000, "wrong-deposit": 10_000 },
    });
  });

  test("GIVEN the deposit was already corrected WHEN the same correction comes again THEN rejected: NOTHING_TO_CORRECT — a correction sent twice does not count twice", () => {
    given(opened("alice"), deposited("alice", 1_000_000, "wrong-deposit"), depositCorrected("alice", "wrong-deposit", 1_000_000, 10_000, REASON))
      .when(correctDeposit("alice", "wrong-deposit", 10_000, REASON))
      .thenRejects({ code: "NOTHING_TO_CORRECT", depositId: "wrong-deposit", amount: 10_000 });
  });

  test("GIVEN a corrected deposit WHEN it is corrected again, to another amount THEN the second correction starts from what the first one said", () => {
    given(opened("alice"), deposited("alice", 1_000_000, "wrong-deposit"), depositCorrected("alice", "wrong-deposit", 1_000_000, 10_000, REASON))
      .when(correctDeposit("alice", "wrong-deposit", 12_000, "the receipt says 120.00"))
      .then(depositCorrected("alice", "wrong-deposit", 10_000, 12_000, "the receipt says 120.00"));
  });

  test("GIVEN an id that is not one of alice's deposits WHEN it is corrected THEN rejected: DEPOSIT_NOT_FOUND — a withdrawal, an unknown id, bob's deposit", () => {
    const history = [opened("alice"), deposited("alice", 100, "alice-deposit"), withdrawn("alice", 50, "alice-withdrawal")];
    // "constructor" and "__proto__" are found on every plain object: they are not deposits either.
    for (const depositId of ["alice-withdrawal", "no-such-event", "bob-deposit", "constructor", "__proto__", "toString"]) {
      given(...history).when(correctDeposit("alice", depositId, 10, REASON)).thenRejects({ code: "DEPOSIT_NOT_FOUND", accountId: "alice", depositId });
    }
    given().when(correctDeposit("bob", "bob-deposit", 10, REASON)).thenRejects({ code: "ACCOUNT_NOT_FOUND", accountId: "bob" });
  });

  test("GIVEN a deposit recorded twice WHEN the copy is corrected to 0 THEN the copy counts for nothing", () => {
    given(opened("alice"), deposited("alice", 2_500, "deposit"), deposited("alice", 2_500, "copy"), depositCorrected("alice", "copy", 2_500, 0, "recorded twice")).thenStateIncludes({
      balance: 2_500,
      deposits: { deposit: 2_500, copy: 0 },
    });
  });

  test("GIVEN the copy of a deposit was corrected to 0 WHEN it is corrected again, to 2,500 THEN DepositCorrected from 0 to 2,500, and its readers read it back as it was written", () => {
    const history = [opened("alice"), deposited("alice", 2_500, "deposit"), deposited("alice", 2_500, "copy"), depositCorrected("alice", "copy", 2_500, 0, "recorded twice")];
    const again = correctDeposit("alice", "copy", 2_500, "not a copy after all: two deposits of 25.00");
    const corrected = depositCorrected("alice", "copy", 0, 2_500, "not a copy after all: two deposits of 25.00");

    given(...history).when(again).then(corrected);
    given(...history, corrected).thenStateIncludes({ balance: 5_000, deposits: { deposit: 2_500, copy: 2_500 } });
    // A deposit may count for 0, so a correction may say it did: the event must survive the log's round trip.
    const decision = decide(again, foldEvents(identify(history)));
    if (decision.outcome !== "accepted") return expect.unreachable(JSON.stringify(decision));
    const written = envelop(decision.events, { accountId: "alice", causationId: "command-1", stamp: fixedStamp() });
    expect(written.map((event) => parseEvent(toRecord(event).value))).toEqual(written);
  });

  test("GIVEN the copy of a deposit corrected to 0 through the write side WHEN it is corrected to 2,500, then again to 2,500 THEN the first is applied and the second refused: NOTHING_TO_CORRECT, and nothing is dead-lettered", async ({ kafka, db, stopWhenDone }) => {
    const { topic, deadLetterTopic } = await givenTopics(kafka);
    const handler = await givenHandler({ kafka, stopWhenDone }, topic);
    const { projection, caughtUp } = await startProjection({ kafka, stopWhenDone }, db.pool, { topic, deadLetterTopic });
    await handler.handle(open("alice"));
    await handler.handle(deposit("alice", 2_500));
    const copy = await handler.handle(deposit("alice", 2_500));
    if (copy.outcome !== "accepted") return expect.unreachable(JSON.stringify(copy));
    const copyId = copy.events[0]!.metadata.eventId;
    expect(await handler.handle(correctDeposit("alice", copyId, 0, "recorded twice"))).toMatchObject({ outcome: "accepted" });

    const toRight = await handler.handle(correctDeposit("alice", copyId, 2_500, "not a copy after all"));
    const twice = await handler.handle(correctDeposit("alice", copyId, 2_500, "not a copy after all"));
    await caughtUp();

    expect(toRight).toMatchObject({ outcome: "accepted", events: [{ type: "DepositCorrected", data: { recordedAmount: 0, correctAmount: 2_500 } }] });
    expect(twice).toMatchObject({ outcome: "rejected", rejection: { code: "NOTHING_TO_CORRECT", amount: 2_500 } });
    expect(await readAccount(db.pool, "alice")).toMatchObject({ balance: 5_000 });
    expect([projection.applied, projection.deadLettered]).toEqual([5, 0]);
  });

  test("GIVEN alice spent most of the wrong money before anyone noticed WHEN the deposit is corrected THEN accepted, and the balance goes below zero: she owes it, and the history says why", () => {
    const history = [opened("alice"), deposited("alice", 1_000_000, "wrong-deposit"), withdrawn("alice", 600_000)];
    given(...history)
      .when(correctDeposit("alice", "wrong-deposit", 10_000, REASON))
      .then(depositCorrected("alice", "wrong-deposit", 1_000_000, 10_000, REASON));
    // evolve never refuses a fact: the correction happened, whatever the balance.
    given(...history, depositCorrected("alice", "wrong-deposit", 1_000_000, 10_000, REASON)).thenStateIncludes({ balance: -590_000 });
    given(...history, depositCorrected("alice", "wrong-deposit", 1_000_000, 10_000, REASON)).when(withdraw("alice", 1)).thenRejects({ code: "INSUFFICIENT_FUNDS", balance: -590_000 });
  });

  test("GIVEN a frozen account WHEN one of its deposits is corrected THEN accepted: the bank still puts its own books right", () => {
    // The state a freeze leaves (Task 5), written out here so that this task needs no other.
    const frozenAccount: AccountState = { status: "open", accountId: "alice", balance: 1_000_000, frozen: true, deposits: { "wrong-deposit": 1_000_000 } };

    expect(decide(correctDeposit("alice", "wrong-deposit", 10_000, REASON), frozenAccount)).toEqual(accepted(depositCorrected("alice", "wrong-deposit", 1_000_000, 10_000, REASON)));
  });

  test(
    "GIVEN the history with the mistake and its correction WHEN it is folded up to each event THEN it tells the balance alice was shown before the correction, and the right one after",
    proves("full-history", "compensating events", "holds"),
    () => {
      const history = identify([opened("alice"), deposited("alice", 1_000_000, "wrong-deposit"), deposited("alice", 100), depositCorrected("alice", "wrong-deposit", 1_000_000, 10_000, REASON)]);

      const balances = history.map((_, index) => foldEvents(history.slice(0, index + 1))).map((state) => (state.status === "open" ? state.balance : undefined));

      // What alice saw between the mistake and the correction is still answerable — and why.
      expect(balances).toEqual([0, 1_000_000, 1_000_100, 10_100]);
      expect(history.slice(1).map((event) => event.type)).toEqual(["MoneyDeposited", "MoneyDeposited", "DepositCorrected"]);
    },
  );

  test(
    "GIVEN a deposit of 100.00 recorded as 10,000.00 and projected WHEN the mistake is corrected with a compensating event THEN the read model shows the right balance, the history shows the mistake and its correction, and the wrong record is still in the log at its offset, byte for byte",
    proves("mistakes-corrected-without-rewriting-history", "compensating events", "holds"),
    async ({ kafka, db, stopWhenDone }) => {
      const { topic, deadLetterTopic } = await givenTopics(kafka);
      const handler = await givenHandler({ kafka, stopWhenDone }, topic);
      const { caughtUp } = await startProjection({ kafka, stopWhenDone }, db.pool, { topic, deadLetterTopic });
      await handler.handle(open("alice"));
      const wrong = await handler.handle(deposit("alice", 1_000_000));
      if (wrong.outcome !== "accepted") return expect.unreachable(JSON.stringify(wrong));
      const wrongEvent = wrong.events[0]!;
      await caughtUp();
      expect(await readAccount(db.pool, "alice")).toMatchObject({ balance: 1_000_000 });
      const before = await readRaw(kafka, topic);

      const correction = await handler.handle(correctDeposit("alice", wrongEvent.metadata.eventId, 10_000, REASON));
      await caughtUp();

      expect(correction).toMatchObject({ outcome: "accepted", events: [{ type: "DepositCorrected", data: { recordedAmount: 1_000_000, correctAmount: 10_000 } }], position: { offset: 2 } });
      // The read model is right again.
      expect(await readAccount(db.pool, "alice")).toMatchObject({ balance: 10_000 });
      // The audit: the mistake and its correction, both, in order, with the reason.
      expect((await historyOf(db.pool, "alice")).map(({ type, change, position }) => [type, change, position.offset])).toEqual([
        ["AccountOpened", 0, 0],
        ["MoneyDeposited", 1_000_000, 1],
        ["DepositCorrected", -990_000, 2],
      ]);
      expect((await historyOf(db.pool, "alice"))[2]?.detail).toContain(REASON);
      expect(await appliedCount(db.pool)).toBe(3);
      // Nothing was rewritten: the wrong record is where it was, the same bytes, and a new reader still meets it.
      const after = await readRaw(kafka, topic);
      expect(after.slice(0, 2)).toEqual(before);
      expect(after[1]?.offset).toBe(wrong.position.offset);
      expect(parseEvent(after[1]!.value!.toString("utf8"))).toMatchObject({ type: "MoneyDeposited", data: { amount: 1_000_000 }, metadata: { eventId: wrongEvent.metadata.eventId } });
      expect(foldEvents(after.map((record) => parseEvent(record.value!.toString("utf8"))))).toMatchObject({ balance: 10_000 });
    },
  );
});
