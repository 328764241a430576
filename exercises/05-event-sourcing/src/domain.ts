/**
 * The wallet as a decider: three pure functions and the types they speak.
 *
 *   initialState          what an account is before anything happened to it
 *   evolve(state, event)  what one fact does to the state          (Task 1)
 *   decide(command, state) which new facts a request leads to,
 *                          or why it is refused                     (Task 2)
 *
 * The state is never stored: it is a fold of the account's events, `events.reduce(evolve,
 * initialState)`, rebuilt whenever it is needed. Nothing here reads a clock, makes an id or
 * talks to Kafka: time and ids are stamped by the code that writes events (envelope.ts), so
 * these functions give the same answer on every run and are tested without any service.
 */
import { todo } from "#kit/todo";

// ---------------------------------------------------------------------------
// Commands: what a caller asks for. They may be refused.

export type OpenAccount = { type: "OpenAccount"; readonly data: Readonly<{ accountId: string }> };
export type Deposit = { type: "Deposit"; readonly data: Readonly<{ accountId: string; amount: number }> };
export type Withdraw = { type: "Withdraw"; readonly data: Readonly<{ accountId: string; amount: number }> };

export type WalletCommand = OpenAccount | Deposit | Withdraw;

// ---------------------------------------------------------------------------
// Events: what happened. Named in the past tense, never refused, never changed.

export type AccountOpened = { type: "AccountOpened"; readonly data: Readonly<{ accountId: string }> };
export type MoneyDeposited = { type: "MoneyDeposited"; readonly data: Readonly<{ accountId: string; amount: number }> };
export type MoneyWithdrawn = { type: "MoneyWithdrawn"; readonly data: Readonly<{ accountId: string; amount: number }> };

export type WalletEvent = AccountOpened | MoneyDeposited | MoneyWithdrawn;

export const walletEventTypes = ["AccountOpened", "MoneyDeposited", "MoneyWithdrawn"] as const satisfies ReadonlyArray<WalletEvent["type"]>;

// ---------------------------------------------------------------------------
// State: only what decide needs to take its decisions. Amounts are integer cents.

export type AccountState = { status: "not opened" } | { status: "open"; accountId: string; balance: number };

export const initialState: AccountState = { status: "not opened" };

// ---------------------------------------------------------------------------
// Rejections: why a command was refused, as data a caller can act on.

export type DomainRejection =
  | { code: "ACCOUNT_NOT_FOUND"; accountId: string; message: string }
  | { code: "ACCOUNT_ALREADY_OPEN"; accountId: string; message: string }
  | { code: "INSUFFICIENT_FUNDS"; accountId: string; balance: number; requested: number; message: string };

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
};

/** What decide answers: the new events, or the reason it refused (and then nothing happened). */
export type Decision = { outcome: "accepted"; events: WalletEvent[] } | { outcome: "rejected"; rejection: DomainRejection };

// ---------------------------------------------------------------------------

/**
 * Task 1 — fold events into state.
 * What one event does to an account: opened → open with a balance of 0; deposited → the
 * balance grows; withdrawn → it shrinks. evolve never refuses: an event is a fact that has
 * already happened, and the past cannot be rejected.
 */
export function evolve(state: Readonly<AccountState>, event: Readonly<WalletEvent>): AccountState {
  return todo("Task 1 — fold events into state: AccountOpened opens an account with a balance of 0, MoneyDeposited adds its amount, MoneyWithdrawn subtracts it; evolve never refuses an event: it already happened");
}

/**
 * Task 2 — decide.
 * Which events a command leads to, given the account's state — or the rejection that says
 * why not: money moves only on an open account, an account opens once, and a withdrawal
 * never takes more than the balance.
 */
export function decide(command: Readonly<WalletCommand>, state: Readonly<AccountState>): Decision {
  return todo("Task 2 — decide: switch on command.type; return accepted(…events) or rejected(rejections.…): open only once, move money only on an open account, never withdraw more than the balance");
}

/** Given: an account's state is the fold of its events, from the start. */
export function foldEvents(events: readonly WalletEvent[], from: AccountState = initialState): AccountState {
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
