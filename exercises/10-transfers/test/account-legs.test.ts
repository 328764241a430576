/**
 * Task 1: the account's side of a transfer — pure specifications, no service.
 */
import { describe, task, test } from "#kit/testing";
import { credit, credited, debit, debited, deposited, frozen, given, opened, refund, refunded } from "./specification.ts";

describe(task(1, "the account's side of a transfer"), () => {
  test("GIVEN alice holds 100 WHEN she is debited 30 for transfer t-1 THEN TransferDebited of 30 for t-1", () => {
    given(opened("alice"), deposited("alice", 100)).when(debit("alice", "t-1", 30)).then(debited("alice", "t-1", 30));
  });

  test("GIVEN alice holds 100 WHEN she is debited 100 THEN it is accepted: the whole balance may go", () => {
    given(opened("alice"), deposited("alice", 100)).when(debit("alice", "t-1", 100)).then(debited("alice", "t-1", 100));
  });

  test("GIVEN alice holds 100 WHEN she is debited 101 THEN INSUFFICIENT_FUNDS, with her balance and the amount asked", () => {
    given(opened("alice"), deposited("alice", 100)).when(debit("alice", "t-1", 101)).thenRejects({ code: "INSUFFICIENT_FUNDS", accountId: "alice", balance: 100, requested: 101 });
  });

  test("GIVEN no account WHEN any leg is asked of it THEN ACCOUNT_NOT_FOUND", () => {
    given().when(debit("mallory", "t-1", 30)).thenRejects({ code: "ACCOUNT_NOT_FOUND", accountId: "mallory" });
    given().when(credit("mallory", "t-1", 30)).thenRejects({ code: "ACCOUNT_NOT_FOUND", accountId: "mallory" });
    given().when(refund("mallory", "t-1", "ACCOUNT_FROZEN")).thenRejects({ code: "ACCOUNT_NOT_FOUND", accountId: "mallory" });
  });

  test("GIVEN alice's account is frozen WHEN she is debited or credited THEN ACCOUNT_FROZEN", () => {
    given(opened("alice"), deposited("alice", 100), frozen("alice")).when(debit("alice", "t-1", 30)).thenRejects({ code: "ACCOUNT_FROZEN", accountId: "alice" });
    given(opened("alice"), frozen("alice")).when(credit("alice", "t-1", 30)).thenRejects({ code: "ACCOUNT_FROZEN", accountId: "alice" });
  });

  test("GIVEN bob is open WHEN he is credited 30 for t-1 THEN TransferCredited of 30 for t-1", () => {
    given(opened("bob")).when(credit("bob", "t-1", 30)).then(credited("bob", "t-1", 30));
  });

  test("GIVEN alice was debited 30 for t-1 WHEN the debit is asked again THEN accepted with no new event — even though she now holds less than 30", () => {
    given(opened("alice"), deposited("alice", 40), debited("alice", "t-1", 30)).when(debit("alice", "t-1", 30)).thenNothingNew();
  });

  test("GIVEN bob was credited for t-1 and then frozen WHEN the credit is asked again THEN accepted with no new event: already done comes before the other rules", () => {
    given(opened("bob"), credited("bob", "t-1", 30), frozen("bob")).when(credit("bob", "t-1", 30)).thenNothingNew();
  });

  test("GIVEN alice was debited 30 for t-1 WHEN t-1 is refunded because the credit was refused THEN TransferRefunded of the 30 the debit took, with the reason", () => {
    given(opened("alice"), deposited("alice", 100), debited("alice", "t-1", 30))
      .when(refund("alice", "t-1", "ACCOUNT_FROZEN"))
      .then(refunded("alice", "t-1", 30, "ACCOUNT_FROZEN"));
  });

  test("GIVEN alice was debited for t-1 and then frozen WHEN t-1 is refunded THEN it is accepted: the bank gives back its own debit", () => {
    given(opened("alice"), deposited("alice", 100), debited("alice", "t-1", 30), frozen("alice"))
      .when(refund("alice", "t-1", "ACCOUNT_FROZEN"))
      .then(refunded("alice", "t-1", 30, "ACCOUNT_FROZEN"));
  });

  test("GIVEN alice was never debited for t-2 WHEN t-2 is refunded THEN NOTHING_TO_REFUND", () => {
    given(opened("alice"), deposited("alice", 100), debited("alice", "t-1", 30))
      .when(refund("alice", "t-2", "ACCOUNT_FROZEN"))
      .thenRejects({ code: "NOTHING_TO_REFUND", accountId: "alice", transferId: "t-2" });
  });

  test("GIVEN t-1 was refunded WHEN the refund is asked again THEN accepted with no new event", () => {
    given(opened("alice"), deposited("alice", 100), debited("alice", "t-1", 30), refunded("alice", "t-1", 30, "ACCOUNT_FROZEN"))
      .when(refund("alice", "t-1", "ACCOUNT_FROZEN"))
      .thenNothingNew();
  });

  test("GIVEN a debit, a credit and a refund WHEN they are folded THEN the balance moves by each amount and each transfer id is remembered", () => {
    given(opened("alice"), deposited("alice", 100), debited("alice", "t-1", 30)).thenState({ balance: 70, debited: { "t-1": 30 }, credited: {}, refunded: {} });
    given(opened("bob"), credited("bob", "t-1", 30)).thenState({ balance: 30, debited: {}, credited: { "t-1": 30 }, refunded: {} });
    given(opened("alice"), deposited("alice", 100), debited("alice", "t-1", 30), refunded("alice", "t-1", 30, "ACCOUNT_FROZEN")).thenState({
      balance: 100,
      debited: { "t-1": 30 },
      refunded: { "t-1": 30 },
    });
  });

  test("GIVEN the same leg twice on the log (an append retried after a lost acknowledgement) WHEN folded THEN it counts once", () => {
    given(opened("alice"), deposited("alice", 100), debited("alice", "t-1", 30), debited("alice", "t-1", 30)).thenState({ balance: 70, debited: { "t-1": 30 } });
    given(opened("bob"), credited("bob", "t-1", 30), credited("bob", "t-1", 30)).thenState({ balance: 30, credited: { "t-1": 30 } });
    given(opened("alice"), deposited("alice", 100), debited("alice", "t-1", 30), refunded("alice", "t-1", 30, "ACCOUNT_FROZEN"), refunded("alice", "t-1", 30, "ACCOUNT_FROZEN")).thenState({
      balance: 100,
      refunded: { "t-1": 30 },
    });
  });

  test("GIVEN no account WHEN a leg event is folded THEN the state stays 'not opened'", () => {
    given(credited("mallory", "t-1", 30)).thenState({ status: "not opened" });
  });
});
