/**
 * The wallet's events and commands in one line each, so that a specification reads like the
 * story it tells, and `given`: #kit/testing's given/when/then, bound to this step's decider.
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
import { decide, evolve, initialState, type AccountState, type DomainRejection, type WalletCommand, type WalletEvent } from "../src/domain.ts";
import { specification, type Decider } from "#kit/testing";

const wallet: Decider<WalletCommand, WalletEvent, AccountState, DomainRejection> = { decide, evolve, initialState };

export const given = specification(wallet);

// Events and commands in one line each, so a specification reads like the story it tells.

export const opened = (accountId: string): WalletEvent => ({ type: "AccountOpened", data: { accountId } });
export const deposited = (accountId: string, amount: number): WalletEvent => ({ type: "MoneyDeposited", data: { accountId, amount } });
export const withdrawn = (accountId: string, amount: number): WalletEvent => ({ type: "MoneyWithdrawn", data: { accountId, amount } });

export const open = (accountId: string): WalletCommand => ({ type: "OpenAccount", data: { accountId } });
export const deposit = (accountId: string, amount: number): WalletCommand => ({ type: "Deposit", data: { accountId, amount } });
export const withdraw = (accountId: string, amount: number): WalletCommand => ({ type: "Withdraw", data: { accountId, amount } });
