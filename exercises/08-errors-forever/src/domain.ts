/**
 * The wallet as a decider, as in step 05 — extended for this step: deposits can be
 * corrected, and money events carry their currency (schema version 2, see envelope.ts).
 *
 *   initialState          what an account is before anything happened to it
 *   evolve(state, event)  what one fact does to the state
 *   decide(command, state) which new facts a request leads to, or why it is refused
 *
 * What changed from step 05, and why:
 * - a bug recorded wrong deposits, and an event cannot be deleted: `CorrectDeposit` appends a
 *   compensating `DepositCorrected` that names the wrong deposit by its event id (Task 1);
 * - so the state remembers each deposit's amount by event id, and evolve takes events with
 *   their id (`IdentifiedEvent`): an envelope read from the log is one;
 * - money events carry `currency` (version 2). The wallet keeps euros only; the field is
 *   there because version 1 left the unit to guesswork (the 100× bug came from that).
 *
 * Nothing here reads a clock, makes an id or talks to Kafka.
 */

import { todo } from "#kit/todo";

/** The one currency this wallet keeps. Version 1 events had no currency: they were all euros. */
export const WALLET_CURRENCY = "EUR";

// ---------------------------------------------------------------------------
// Commands: what a caller asks for. They may be refused.

export type OpenAccount = { type: "OpenAccount"; readonly data: Readonly<{ accountId: string }> };
export type Deposit = { type: "Deposit"; readonly data: Readonly<{ accountId: string; amount: number }> };
export type Withdraw = { type: "Withdraw"; readonly data: Readonly<{ accountId: string; amount: number }> };
/** Says what a recorded deposit should have been: `depositId` is the wrong MoneyDeposited's event id. */
export type CorrectDeposit = { type: "CorrectDeposit"; readonly data: Readonly<{ accountId: string; depositId: string; correctAmount: number; reason: string }> };

export type FreezeAccount = { type: "FreezeAccount"; readonly data: Readonly<{ accountId: string; reason: string }> };
export type UnfreezeAccount = { type: "UnfreezeAccount"; readonly data: Readonly<{ accountId: string }> };

export type WalletCommand = OpenAccount | Deposit | Withdraw | CorrectDeposit | FreezeAccount | UnfreezeAccount;

// ---------------------------------------------------------------------------
// Events: what happened. Named in the past tense, never refused, never changed.

export type AccountOpened = { type: "AccountOpened"; readonly data: Readonly<{ accountId: string }> };
export type MoneyDeposited = { type: "MoneyDeposited"; readonly data: Readonly<{ accountId: string; amount: number; currency: string }> };
export type MoneyWithdrawn = { type: "MoneyWithdrawn"; readonly data: Readonly<{ accountId: string; amount: number; currency: string }> };
/**
 * The compensating event: the deposit `depositId` said `recordedAmount`, it should have said
 * `correctAmount`. The wrong deposit stays in the log; this one sits after it and says why.
 */
export type DepositCorrected = {
  type: "DepositCorrected";
  readonly data: Readonly<{ accountId: string; depositId: string; recordedAmount: number; correctAmount: number; currency: string; reason: string }>;
};

export type AccountFrozen = { type: "AccountFrozen"; readonly data: Readonly<{ accountId: string; reason: string }> };
export type AccountUnfrozen = { type: "AccountUnfrozen"; readonly data: Readonly<{ accountId: string }> };

export type WalletEvent = AccountOpened | MoneyDeposited | MoneyWithdrawn | DepositCorrected | AccountFrozen | AccountUnfrozen;

export const walletEventTypes = ["AccountOpened", "MoneyDeposited", "MoneyWithdrawn", "DepositCorrected", "AccountFrozen", "AccountUnfrozen"] as const satisfies ReadonlyArray<WalletEvent["type"]>;

/** An event with the id it was stored under: what evolve folds (a correction names a deposit by that id). */
export type IdentifiedEvent = WalletEvent & { metadata: { eventId: string } };

// ---------------------------------------------------------------------------
// State: only what decide needs to take its decisions. Amounts are integer cents.

export type AccountState =
  | { status: "not opened" }
  | {
      status: "open";
      accountId: string;
      balance: number;
      /** A frozen account refuses deposits and withdrawals. */
      frozen: boolean;
      /** What each deposit counts for now, by its event id: the recorded amount, or its correction. */
      deposits: Readonly<Record<string, number>>;
    };

export const initialState: AccountState = { status: "not opened" };

// ---------------------------------------------------------------------------
// Rejections: why a command was refused, as data a caller can act on.

export type DomainRejection =
  | { code: "ACCOUNT_NOT_FOUND"; accountId: string; message: string }
  | { code: "ACCOUNT_ALREADY_OPEN"; accountId: string; message: string }
  | { code: "INSUFFICIENT_FUNDS"; accountId: string; balance: number; requested: number; message: string }
  | { code: "DEPOSIT_NOT_FOUND"; accountId: string; depositId: string; message: string }
  | { code: "NOTHING_TO_CORRECT"; accountId: string; depositId: string; amount: number; message: string }
  | { code: "ACCOUNT_FROZEN"; accountId: string; message: string }
  | { code: "ACCOUNT_ALREADY_FROZEN"; accountId: string; message: string }
  | { code: "ACCOUNT_NOT_FROZEN"; accountId: string; message: string };

export const rejections = {
  accountNotFound: (accountId: string): DomainRejection => ({
    code: "ACCOUNT_NOT_FOUND",
    accountId,
    message: `account ${JSON.stringify(accountId)} does not exist: open it first`,
  }),
  accountAlreadyOpen: (accountId: string): DomainRejection => ({
    code: "ACCOUNT_ALREADY_OPEN",
    accountId,
    message: `account ${JSON.stringify(accountId)} is already open`,
  }),
  insufficientFunds: (accountId: string, balance: number, requested: number): DomainRejection => ({
    code: "INSUFFICIENT_FUNDS",
    accountId,
    balance,
    requested,
    message: `account ${JSON.stringify(accountId)} holds ${balance} cents, cannot withdraw ${requested}`,
  }),
  depositNotFound: (accountId: string, depositId: string): DomainRejection => ({
    code: "DEPOSIT_NOT_FOUND",
    accountId,
    depositId,
    message: `account ${JSON.stringify(accountId)} has no deposit with event id ${JSON.stringify(depositId)}`,
  }),
  nothingToCorrect: (accountId: string, depositId: string, amount: number): DomainRejection => ({
    code: "NOTHING_TO_CORRECT",
    accountId,
    depositId,
    amount,
    message: `deposit ${JSON.stringify(depositId)} of account ${JSON.stringify(accountId)} already counts for ${amount} cents`,
  }),
  accountFrozen: (accountId: string): DomainRejection => ({
    code: "ACCOUNT_FROZEN",
    accountId,
    message: `account ${JSON.stringify(accountId)} is frozen: no money moves until it is unfrozen`,
  }),
  accountAlreadyFrozen: (accountId: string): DomainRejection => ({
    code: "ACCOUNT_ALREADY_FROZEN",
    accountId,
    message: `account ${JSON.stringify(accountId)} is already frozen`,
  }),
  accountNotFrozen: (accountId: string): DomainRejection => ({
    code: "ACCOUNT_NOT_FROZEN",
    accountId,
    message: `account ${JSON.stringify(accountId)} is not frozen`,
  }),
};

/** What decide answers: the new events, or the reason it refused (and then nothing happened). */
export type Decision = { outcome: "accepted"; events: WalletEvent[] } | { outcome: "rejected"; rejection: DomainRejection };

// ---------------------------------------------------------------------------

/**
 * What one event does to an account. evolve never refuses: an event is a fact that has
 * already happened. A correction may even take the balance below zero (the wrong money was
 * spent before anyone noticed): the account then owes it, and the history says why.
 */
export function evolve(state: Readonly<AccountState>, event: Readonly<IdentifiedEvent>): AccountState {
  switch (event.type) {
    case "AccountOpened":
      return { status: "open", accountId: event.data.accountId, balance: 0, frozen: false, deposits: {} };
    case "MoneyDeposited":
      if (state.status !== "open") return state;
      return { ...state, balance: state.balance + event.data.amount, deposits: { ...state.deposits, [event.metadata.eventId]: event.data.amount } };
    case "MoneyWithdrawn":
      return state.status === "open" ? { ...state, balance: state.balance - event.data.amount } : state;
    case "DepositCorrected":
      return todo("Task 1 — correct a mistake with a compensating event: in evolve, a DepositCorrected moves the balance by the correct amount minus the recorded one, and the deposit counts for the correct amount from then on");
    case "AccountFrozen":
    case "AccountUnfrozen":
      return todo("Task 5 — freeze an account in the event-sourced wallet: in evolve, AccountFrozen sets frozen, AccountUnfrozen clears it; in decide, Deposit and Withdraw refuse a frozen account (ACCOUNT_FROZEN)");
    default:
      return unreachable(event);
  }
}

/**
 * Which events a command leads to, given the account's state — or the rejection that says
 * why not. Open, Deposit and Withdraw are step 05's rules, plus one of Task 5's: a frozen
 * account moves no money (ACCOUNT_FROZEN).
 */
export function decide(command: Readonly<WalletCommand>, state: Readonly<AccountState>): Decision {
  const { accountId } = command.data;
  switch (command.type) {
    case "OpenAccount":
      if (state.status === "open") return rejected(rejections.accountAlreadyOpen(accountId));
      return accepted({ type: "AccountOpened", data: { accountId } });
    case "Deposit":
      if (state.status !== "open") return rejected(rejections.accountNotFound(accountId));
      // Task 5: refuse a frozen account here (ACCOUNT_FROZEN).
      return accepted({ type: "MoneyDeposited", data: { accountId, amount: command.data.amount, currency: WALLET_CURRENCY } });
    case "Withdraw":
      if (state.status !== "open") return rejected(rejections.accountNotFound(accountId));
      // Task 5: refuse a frozen account here (ACCOUNT_FROZEN).
      if (state.balance < command.data.amount) {
        return rejected(rejections.insufficientFunds(accountId, state.balance, command.data.amount));
      }
      return accepted({ type: "MoneyWithdrawn", data: { accountId, amount: command.data.amount, currency: WALLET_CURRENCY } });
    case "CorrectDeposit":
      return decideCorrection(command, state);
    case "FreezeAccount":
    case "UnfreezeAccount":
      return decideFreezing(command, state);
    default:
      return unreachable(command);
  }
}

/**
 * Task 1 — correct a mistake with a compensating event.
 * A deposit of this (open) account, named by its event id, should have been
 * `correctAmount`: answer DepositCorrected with the amount it counts for now
 * (`recordedAmount`), the correct one, the currency and the reason. Refuse a deposit the
 * account does not have (DEPOSIT_NOT_FOUND), and a correction that changes nothing
 * (NOTHING_TO_CORRECT) — which also makes a correction sent twice harmless.
 */
export function decideCorrection(command: Readonly<CorrectDeposit>, state: Readonly<AccountState>): Decision {
  return todo("Task 1 — correct a mistake with a compensating event: a never-opened account is ACCOUNT_NOT_FOUND; a deposit this account does not have is DEPOSIT_NOT_FOUND (a withdrawal's id, another account's deposit, a name such as \"constructor\"); the amount it already counts for is NOTHING_TO_CORRECT; otherwise DepositCorrected with the recorded and the correct amount");
}

/**
 * Task 5 — freeze an account in the event-sourced wallet (1/3).
 * FreezeAccount → AccountFrozen (with its reason); UnfreezeAccount → AccountUnfrozen. Only an
 * open account (ACCOUNT_NOT_FOUND); never freeze a frozen account (ACCOUNT_ALREADY_FROZEN)
 * nor unfreeze one that is not (ACCOUNT_NOT_FROZEN).
 */
export function decideFreezing(command: Readonly<FreezeAccount | UnfreezeAccount>, state: Readonly<AccountState>): Decision {
  return todo("Task 5 — freeze an account in the event-sourced wallet: FreezeAccount → AccountFrozen (with its reason), UnfreezeAccount → AccountUnfrozen; only an open account (ACCOUNT_NOT_FOUND), never frozen twice (ACCOUNT_ALREADY_FROZEN) nor unfrozen when not frozen (ACCOUNT_NOT_FROZEN); and in decide, Deposit and Withdraw refuse a frozen account (ACCOUNT_FROZEN)");
}

/** Given: an account's state is the fold of its events, from the start. */
export function foldEvents(events: readonly IdentifiedEvent[], from: AccountState = initialState): AccountState {
  return events.reduce(evolve, from);
}

export function accepted(...events: WalletEvent[]): Decision {
  return { outcome: "accepted", events };
}

export function rejected(rejection: DomainRejection): Decision {
  return { outcome: "rejected", rejection };
}

/** A variant the code does not know reached a switch: a bug in the program, not a domain failure. */
export class UnreachableVariant extends Error {
  override readonly name = "UnreachableVariant";

  constructor(readonly value: unknown) {
    super(`unexpected variant: ${JSON.stringify(value)}`);
  }
}

/**
 * The exhaustiveness check: TypeScript accepts the call only when every case is handled
 * (what is left has type never), so a new event type fails to compile until evolve and
 * decide handle it.
 */
export function unreachable(value: never): never {
  throw new UnreachableVariant(value);
}
