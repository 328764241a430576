/**
 * Given/when/then specifications for the account decider, without any service (as in steps
 * 05 and 08):
 *
 *   given(opened("alice"), deposited("alice", 100))
 *     .when(debit("alice", "t-1", 30))
 *     .then(debited("alice", "t-1", 30));
 */
import { decide, evolve, initialState, type AccountCommand, type AccountEvent, type AccountRejection, type AccountState, type Decision } from "../src/domain.ts";
import { expect } from "#kit/testing";

export function given(...history: AccountEvent[]) {
  const state = (): AccountState => history.reduce(evolve, initialState);
  return {
    /** The state the history folds into (checked with toMatchObject: name only what matters). */
    thenState(expected: Partial<Extract<AccountState, { status: "open" }>> | AccountState): void {
      expect(state()).toMatchObject(expected);
    },
    when(command: AccountCommand) {
      const decision = (): Decision => decide(command, state());
      return {
        then(...expected: AccountEvent[]): void {
          expect(decision()).toEqual({ outcome: "accepted", events: expected });
        },
        /** Accepted with no new event: the leg was already done for this transfer id. */
        thenNothingNew(): void {
          expect(decision()).toEqual({ outcome: "accepted", events: [] });
        },
        thenRejects(expected: Partial<AccountRejection> & Pick<AccountRejection, "code">): void {
          const answer = decision();
          expect(answer.outcome, `expected a rejection, got ${JSON.stringify(answer)}`).toBe("rejected");
          expect(answer).toMatchObject({ rejection: expected });
          if (answer.outcome === "rejected") expect(answer.rejection.message.trim()).not.toBe("");
        },
      };
    },
  };
}

// Events and commands in one line each, so a specification reads like the story it tells.

export const opened = (accountId: string): AccountEvent => ({ type: "AccountOpened", data: { accountId } });
export const deposited = (accountId: string, amount: number): AccountEvent => ({ type: "MoneyDeposited", data: { accountId, amount } });
export const frozen = (accountId: string): AccountEvent => ({ type: "AccountFrozen", data: { accountId, reason: "court order" } });
export const debited = (accountId: string, transferId: string, amount: number): AccountEvent => ({ type: "TransferDebited", data: { accountId, transferId, amount } });
export const credited = (accountId: string, transferId: string, amount: number): AccountEvent => ({ type: "TransferCredited", data: { accountId, transferId, amount } });
export const refunded = (accountId: string, transferId: string, amount: number, reason: string): AccountEvent => ({
  type: "TransferRefunded",
  data: { accountId, transferId, amount, reason },
});

export const debit = (accountId: string, transferId: string, amount: number): AccountCommand => ({ type: "DebitForTransfer", data: { accountId, transferId, amount } });
export const credit = (accountId: string, transferId: string, amount: number): AccountCommand => ({ type: "CreditForTransfer", data: { accountId, transferId, amount } });
export const refund = (accountId: string, transferId: string, reason: string): AccountCommand => ({ type: "RefundTransfer", data: { accountId, transferId, reason } });
