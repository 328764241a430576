/**
 * Task 2: the saga's next step — a pure function of what is known of a transfer.
 */
import { nextStep, startProgress, type TransferProgress } from "../src/transfer.ts";
import { rejections } from "../src/domain.ts";
import { describe, expect, task, test } from "#kit/testing";

const request = { transferId: "t-1", from: "alice", to: "bob", amount: 30 };
const requested = startProgress(request);
const done = { status: "done" } as const;
const frozenBob = { status: "refused", rejection: rejections.accountFrozen("bob") } as const;
const poorAlice = { status: "refused", rejection: rejections.insufficientFunds("alice", 10, 30) } as const;
const with_ = (changes: Partial<TransferProgress>): TransferProgress => ({ ...requested, ...changes });

describe(task(2, "the saga's next step"), () => {
  test("GIVEN a transfer only requested THEN debit the source of the amount, named by the transfer id", () => {
    expect(nextStep(requested)).toEqual({ type: "debit", command: { type: "DebitForTransfer", data: { accountId: "alice", transferId: "t-1", amount: 30 } } });
  });

  test("GIVEN the debit is done THEN credit the target", () => {
    expect(nextStep(with_({ debit: done }))).toEqual({ type: "credit", command: { type: "CreditForTransfer", data: { accountId: "bob", transferId: "t-1", amount: 30 } } });
  });

  test("GIVEN the debit was refused THEN the transfer fails with that reason, nothing refunded", () => {
    expect(nextStep(with_({ debit: poorAlice }))).toEqual({
      type: "fail",
      event: { type: "TransferFailed", data: { ...request, reason: "INSUFFICIENT_FUNDS", refunded: false } },
    });
  });

  test("GIVEN debit and credit are done THEN the transfer completes", () => {
    expect(nextStep(with_({ debit: done, credit: done }))).toEqual({ type: "complete", event: { type: "TransferCompleted", data: request } });
  });

  test("GIVEN the credit was refused THEN refund the source, giving the credit's rejection code as the reason", () => {
    expect(nextStep(with_({ debit: done, credit: frozenBob }))).toEqual({
      type: "refund",
      command: { type: "RefundTransfer", data: { accountId: "alice", transferId: "t-1", reason: "ACCOUNT_FROZEN" } },
    });
  });

  test("GIVEN the refund is done THEN the transfer fails with the refund's reason, refunded", () => {
    expect(nextStep(with_({ debit: done, credit: frozenBob, refund: { status: "done", reason: "ACCOUNT_FROZEN" } }))).toEqual({
      type: "fail",
      event: { type: "TransferFailed", data: { ...request, reason: "ACCOUNT_FROZEN", refunded: true } },
    });
  });

  test("GIVEN a refund found in the log after a restart (the credit's refusal is not in the log) THEN the transfer fails, and the target is NOT credited", () => {
    expect(nextStep(with_({ debit: done, refund: { status: "done", reason: "ACCOUNT_FROZEN" } }))).toMatchObject({ type: "fail", event: { data: { refunded: true } } });
  });

  test("GIVEN the transfer has its outcome THEN it is finished, whatever else is known", () => {
    expect(nextStep(with_({ debit: done, credit: done, outcome: "completed" }))).toEqual({ type: "finished" });
    expect(nextStep(with_({ debit: poorAlice, outcome: "failed" }))).toEqual({ type: "finished" });
  });
});
