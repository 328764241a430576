/**
 * Given/when/then specifications for the decider, without any service:
 *
 *   given(opened("alice"), deposited("alice", 100))
 *     .when(withdraw("alice", 30))
 *     .then(withdrawn("alice", 30));
 *
 *   given().when(deposit("bob", 10)).thenRejects({ code: "ACCOUNT_NOT_FOUND" });
 *
 * `given` folds the past events with evolve (Task 1); `when` asks decide (Task 2); `then`
 * checks the new events, `thenRejects` the rejection and that nothing was decided.
 */
import { decide, evolve, initialState, type AccountState, type Decision, type DomainRejection, type WalletCommand, type WalletEvent } from "../src/domain.ts";
import { expect } from "#kit/testing";

export function given(...history: WalletEvent[]) {
  const state = (): AccountState => history.reduce(evolve, initialState);
  return {
    /** The state the history folds into. */
    thenState(expected: AccountState): void {
      expect(state()).toEqual(expected);
    },
    when(command: WalletCommand) {
      const decision = (): Decision => decide(command, state());
      return {
        then(...expected: WalletEvent[]): void {
          expect(decision()).toEqual({ outcome: "accepted", events: expected });
        },
        thenRejects(expected: Partial<DomainRejection> & Pick<DomainRejection, "code">): void {
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

export const opened = (accountId: string): WalletEvent => ({ type: "AccountOpened", data: { accountId } });
export const deposited = (accountId: string, amount: number): WalletEvent => ({ type: "MoneyDeposited", data: { accountId, amount } });
export const withdrawn = (accountId: string, amount: number): WalletEvent => ({ type: "MoneyWithdrawn", data: { accountId, amount } });

export const open = (accountId: string): WalletCommand => ({ type: "OpenAccount", data: { accountId } });
export const deposit = (accountId: string, amount: number): WalletCommand => ({ type: "Deposit", data: { accountId, amount } });
export const withdraw = (accountId: string, amount: number): WalletCommand => ({ type: "Withdraw", data: { accountId, amount } });
