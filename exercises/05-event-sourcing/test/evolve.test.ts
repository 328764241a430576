import { foldEvents } from "../src/domain.ts";
import { describe, expect, task, test } from "#kit/testing";
import { deposited, given, opened, withdrawn } from "./story.ts";

describe(task(1, "fold events into state"), () => {
  test("GIVEN alice's account was opened THEN it is open with a balance of 0", () => {
    given(opened("alice")).thenState({ status: "open", accountId: "alice", balance: 0 });
  });

  test("GIVEN deposits of 100 and 50 THEN the balance is 150", () => {
    given(opened("alice"), deposited("alice", 100), deposited("alice", 50)).thenState({ status: "open", accountId: "alice", balance: 150 });
  });

  test("GIVEN a deposit of 100 and a withdrawal of 30 THEN the balance is 70", () => {
    given(opened("alice"), deposited("alice", 100), withdrawn("alice", 30)).thenState({ status: "open", accountId: "alice", balance: 70 });
  });

  test("GIVEN a history that went below zero (two writers overdrew it) THEN the fold says so: the past is not refused", () => {
    // evolve records facts; it is decide that keeps the rules. A log written by the naive
    // writers of the trade-off tests folds into a negative balance, and must.
    given(opened("alice"), deposited("alice", 100), withdrawn("alice", 80), withdrawn("alice", 80)).thenState({
      status: "open",
      accountId: "alice",
      balance: -60,
    });
  });

  test("GIVEN a history WHEN it is folded in two halves THEN the result is the same as folding it at once", () => {
    const history = [opened("alice"), deposited("alice", 100), withdrawn("alice", 30), deposited("alice", 5)];

    // This is what lets a processor keep a state in memory and evolve it with each new event.
    expect(foldEvents(history.slice(2), foldEvents(history.slice(0, 2)))).toEqual(foldEvents(history));
    expect(foldEvents(history)).toEqual({ status: "open", accountId: "alice", balance: 75 });
  });

  test("GIVEN a state WHEN an event is folded in THEN the old state is left as it was", () => {
    const before = foldEvents([opened("alice"), deposited("alice", 100)]);
    const snapshot = structuredClone(before);

    foldEvents([withdrawn("alice", 40)], before);

    expect(before).toEqual(snapshot);
  });
});
