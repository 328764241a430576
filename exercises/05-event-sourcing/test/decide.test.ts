import { describe, task, test } from "#kit/testing";
import { deposit, deposited, given, open, opened, withdraw, withdrawn } from "./story.ts";

describe(task(2, "decide"), () => {
  test("GIVEN no account WHEN alice opens one THEN AccountOpened", () => {
    given().when(open("alice")).then(opened("alice"));
  });

  test("GIVEN alice's account is open WHEN it is opened again THEN rejected: ACCOUNT_ALREADY_OPEN", () => {
    given(opened("alice"), deposited("alice", 500)).when(open("alice")).thenRejects({ code: "ACCOUNT_ALREADY_OPEN", accountId: "alice" });
  });

  test("GIVEN alice's account is open WHEN she deposits 250 THEN MoneyDeposited 250", () => {
    given(opened("alice")).when(deposit("alice", 250)).then(deposited("alice", 250));
  });

  test("GIVEN no account bob WHEN bob deposits THEN rejected: ACCOUNT_NOT_FOUND", () => {
    given().when(deposit("bob", 50)).thenRejects({ code: "ACCOUNT_NOT_FOUND", accountId: "bob" });
  });

  test("GIVEN alice holds 100 WHEN she withdraws 30 THEN MoneyWithdrawn 30", () => {
    given(opened("alice"), deposited("alice", 100)).when(withdraw("alice", 30)).then(withdrawn("alice", 30));
  });

  test("GIVEN alice holds 100 WHEN she withdraws all 100 THEN MoneyWithdrawn 100", () => {
    given(opened("alice"), deposited("alice", 100)).when(withdraw("alice", 100)).then(withdrawn("alice", 100));
  });

  test("GIVEN alice holds 100 WHEN she withdraws 101 THEN rejected: INSUFFICIENT_FUNDS, saying 100 and 101", () => {
    given(opened("alice"), deposited("alice", 100))
      .when(withdraw("alice", 101))
      .thenRejects({ code: "INSUFFICIENT_FUNDS", accountId: "alice", balance: 100, requested: 101 });
  });

  test("GIVEN alice deposited 100 and withdrew 80 WHEN she withdraws 80 again THEN rejected: the decision uses the whole history", () => {
    given(opened("alice"), deposited("alice", 100), withdrawn("alice", 80))
      .when(withdraw("alice", 80))
      .thenRejects({ code: "INSUFFICIENT_FUNDS", balance: 20, requested: 80 });
  });

  test("GIVEN no account bob WHEN bob withdraws THEN rejected: ACCOUNT_NOT_FOUND, not INSUFFICIENT_FUNDS", () => {
    given().when(withdraw("bob", 10)).thenRejects({ code: "ACCOUNT_NOT_FOUND", accountId: "bob" });
  });
});
