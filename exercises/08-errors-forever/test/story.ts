/**
 * The wallet's events and commands in one line each, so that a specification reads like the
 * story it tells, and `given`: #kit/testing's given/when/then, bound to this step's decider
 * (as in step 05):
 *
 *   given(opened("alice"), deposited("alice", 1_000_000, "wrong-deposit"))
 *     .when(correctDeposit("alice", "wrong-deposit", 10_000, "recorded 100× too large"))
 *     .then(depositCorrected("alice", "wrong-deposit", 1_000_000, 10_000, "recorded 100× too large"));
 *
 * evolve needs each event's id (a correction names its deposit by id): `given` gives every
 * event that has none the id `event-N`, N its place in the history; pass an id to name one.
 */
import { decide, evolve, initialState, type AccountState, type DomainRejection, type IdentifiedEvent, type WalletCommand, type WalletEvent } from "../src/domain.ts";
import { specification, type Decider } from "#kit/testing";

/** The history with an id on every event. */
export function identify(history: readonly WalletEvent[]): IdentifiedEvent[] {
  return history.map((event, index) => ("metadata" in event ? (event as IdentifiedEvent) : { ...event, metadata: { eventId: `event-${index + 1}` } }));
}

const wallet: Decider<WalletCommand, WalletEvent, AccountState, DomainRejection, IdentifiedEvent> = { decide, evolve, initialState };

export const given = specification(wallet, identify);

const withId = (event: WalletEvent, eventId: string | undefined): WalletEvent => (eventId === undefined ? event : { ...event, metadata: { eventId } } as IdentifiedEvent);

// Events and commands in one line each, so a specification reads like the story it tells.

export const opened = (accountId: string): WalletEvent => ({ type: "AccountOpened", data: { accountId } });
export const deposited = (accountId: string, amount: number, eventId?: string): WalletEvent =>
  withId({ type: "MoneyDeposited", data: { accountId, amount, currency: "EUR" } }, eventId);
export const withdrawn = (accountId: string, amount: number, eventId?: string): WalletEvent =>
  withId({ type: "MoneyWithdrawn", data: { accountId, amount, currency: "EUR" } }, eventId);
export const depositCorrected = (accountId: string, depositId: string, recordedAmount: number, correctAmount: number, reason: string): WalletEvent => ({
  type: "DepositCorrected",
  data: { accountId, depositId, recordedAmount, correctAmount, currency: "EUR", reason },
});
export const frozen = (accountId: string, reason: string): WalletEvent => ({ type: "AccountFrozen", data: { accountId, reason } });
export const unfrozen = (accountId: string): WalletEvent => ({ type: "AccountUnfrozen", data: { accountId } });

export const open = (accountId: string): WalletCommand => ({ type: "OpenAccount", data: { accountId } });
export const deposit = (accountId: string, amount: number): WalletCommand => ({ type: "Deposit", data: { accountId, amount } });
export const withdraw = (accountId: string, amount: number): WalletCommand => ({ type: "Withdraw", data: { accountId, amount } });
export const correctDeposit = (accountId: string, depositId: string, correctAmount: number, reason: string): WalletCommand => ({
  type: "CorrectDeposit",
  data: { accountId, depositId, correctAmount, reason },
});
export const freeze = (accountId: string, reason: string): WalletCommand => ({ type: "FreezeAccount", data: { accountId, reason } });
export const unfreeze = (accountId: string): WalletCommand => ({ type: "UnfreezeAccount", data: { accountId } });
