/**
 * One account as a decider, as in steps 05 and 08 — with the account's side of a transfer.
 *
 *   initialState          what an account is before anything happened to it
 *   evolve(state, event)  what one fact does to the state
 *   decide(command, state) which new facts a request leads to, or why it is refused
 *
 * A transfer touches two accounts, and each account is decided alone, by the writer that owns
 * its partition: there is no decision that sees both. So a transfer is three possible legs,
 * each a command to ONE account, each named by the transfer's id:
 *
 *   DebitForTransfer   → TransferDebited    the money leaves the source
 *   CreditForTransfer  → TransferCredited   the money reaches the target
 *   RefundTransfer     → TransferRefunded   the compensation: the money goes back to the source
 *
 * Who sends them, in which order, and what happens when one is refused is the saga's business
 * (transfer.ts, saga.ts). What the account guarantees is that each leg happens at most once
 * per transfer id, however many times it is asked: a saga that crashed and resumed asks again.
 *
 * Nothing here reads a clock, makes an id or talks to Kafka.
 */

// ---------------------------------------------------------------------------
// Commands: what a caller (a client, or the saga) asks of one account. They may be refused.

export type OpenAccount = { type: "OpenAccount"; data: { accountId: string } };
export type Deposit = { type: "Deposit"; data: { accountId: string; amount: number } };
export type FreezeAccount = { type: "FreezeAccount"; data: { accountId: string; reason: string } };
export type DebitForTransfer = { type: "DebitForTransfer"; data: { accountId: string; transferId: string; amount: number } };
export type CreditForTransfer = { type: "CreditForTransfer"; data: { accountId: string; transferId: string; amount: number } };
/** The amount is not in the command: a refund gives back what the debit took, as the account recorded it. */
export type RefundTransfer = { type: "RefundTransfer"; data: { accountId: string; transferId: string; reason: string } };

export type TransferLegCommand = DebitForTransfer | CreditForTransfer | RefundTransfer;
export type AccountCommand = OpenAccount | Deposit | FreezeAccount | TransferLegCommand;

// ---------------------------------------------------------------------------
// Events: what happened to one account. Never refused, never changed.

export type AccountOpened = { type: "AccountOpened"; data: { accountId: string } };
export type MoneyDeposited = { type: "MoneyDeposited"; data: { accountId: string; amount: number } };
export type AccountFrozen = { type: "AccountFrozen"; data: { accountId: string; reason: string } };
export type TransferDebited = { type: "TransferDebited"; data: { accountId: string; transferId: string; amount: number } };
export type TransferCredited = { type: "TransferCredited"; data: { accountId: string; transferId: string; amount: number } };
/** The compensating event: the debit stays in the history, and this one gives the money back, saying why. */
export type TransferRefunded = { type: "TransferRefunded"; data: { accountId: string; transferId: string; amount: number; reason: string } };

export type TransferLegEvent = TransferDebited | TransferCredited | TransferRefunded;
export type AccountEvent = AccountOpened | MoneyDeposited | AccountFrozen | TransferLegEvent;

export const accountEventTypes = [
  "AccountOpened",
  "MoneyDeposited",
  "AccountFrozen",
  "TransferDebited",
  "TransferCredited",
  "TransferRefunded",
] as const satisfies ReadonlyArray<AccountEvent["type"]>;

// ---------------------------------------------------------------------------
// State: only what decide needs. Amounts are integer cents.

export type AccountState =
  | { status: "not opened" }
  | {
      status: "open";
      accountId: string;
      balance: number;
      /** A frozen account refuses deposits, debits and credits (not refunds: see decideTransferLeg). */
      frozen: boolean;
      /** The transfers this account was debited for, by transfer id, with the amount taken. */
      debited: Readonly<Record<string, number>>;
      /** The transfers this account was credited for, by transfer id, with the amount given. */
      credited: Readonly<Record<string, number>>;
      /** The transfers whose debit was given back, by transfer id, with the amount refunded. */
      refunded: Readonly<Record<string, number>>;
    };

export const initialState: AccountState = { status: "not opened" };

// ---------------------------------------------------------------------------
// Rejections: why a command was refused, as data a caller (the saga) can act on.

export type AccountRejection =
  | { code: "ACCOUNT_NOT_FOUND"; accountId: string; message: string }
  | { code: "ACCOUNT_ALREADY_OPEN"; accountId: string; message: string }
  | { code: "ACCOUNT_FROZEN"; accountId: string; message: string }
  | { code: "INSUFFICIENT_FUNDS"; accountId: string; balance: number; requested: number; message: string }
  | { code: "NOTHING_TO_REFUND"; accountId: string; transferId: string; message: string };

export const rejections = {
  accountNotFound: (accountId: string): AccountRejection => ({
    code: "ACCOUNT_NOT_FOUND",
    accountId,
    message: `account ${JSON.stringify(accountId)} does not exist: open it first`,
  }),
  accountAlreadyOpen: (accountId: string): AccountRejection => ({
    code: "ACCOUNT_ALREADY_OPEN",
    accountId,
    message: `account ${JSON.stringify(accountId)} is already open`,
  }),
  accountFrozen: (accountId: string): AccountRejection => ({
    code: "ACCOUNT_FROZEN",
    accountId,
    message: `account ${JSON.stringify(accountId)} is frozen: no money moves in or out`,
  }),
  insufficientFunds: (accountId: string, balance: number, requested: number): AccountRejection => ({
    code: "INSUFFICIENT_FUNDS",
    accountId,
    balance,
    requested,
    message: `account ${JSON.stringify(accountId)} holds ${balance} cents, cannot give ${requested}`,
  }),
  nothingToRefund: (accountId: string, transferId: string): AccountRejection => ({
    code: "NOTHING_TO_REFUND",
    accountId,
    transferId,
    message: `account ${JSON.stringify(accountId)} was never debited for transfer ${JSON.stringify(transferId)}`,
  }),
};

/**
 * What decide answers. Accepted with no events means "already done": a leg asked again for
 * the same transfer id changes nothing and is not an error — the saga goes on.
 */
export type Decision = { outcome: "accepted"; events: AccountEvent[] } | { outcome: "rejected"; rejection: AccountRejection };

// ---------------------------------------------------------------------------

/** What one event does to an account. evolve never refuses: an event is a fact. */
export function evolve(state: AccountState, event: AccountEvent): AccountState {
  switch (event.type) {
    case "AccountOpened":
      return { status: "open", accountId: event.data.accountId, balance: 0, frozen: false, debited: {}, credited: {}, refunded: {} };
    case "MoneyDeposited":
      return state.status === "open" ? { ...state, balance: state.balance + event.data.amount } : state;
    case "AccountFrozen":
      return state.status === "open" ? { ...state, frozen: true } : state;
    case "TransferDebited":
    case "TransferCredited":
    case "TransferRefunded":
      return evolveTransferLeg(state, event);
    default:
      return unreachable(event);
  }
}

/** Which events a command leads to, or why it is refused. */
export function decide(command: AccountCommand, state: AccountState): Decision {
  const { accountId } = command.data;
  switch (command.type) {
    case "OpenAccount":
      if (state.status === "open") return rejected(rejections.accountAlreadyOpen(accountId));
      return accepted({ type: "AccountOpened", data: { accountId } });
    case "Deposit":
      if (state.status !== "open") return rejected(rejections.accountNotFound(accountId));
      if (state.frozen) return rejected(rejections.accountFrozen(accountId));
      return accepted({ type: "MoneyDeposited", data: { accountId, amount: command.data.amount } });
    case "FreezeAccount":
      if (state.status !== "open") return rejected(rejections.accountNotFound(accountId));
      if (state.frozen) return accepted(); // already frozen: nothing to add
      return accepted({ type: "AccountFrozen", data: { accountId, reason: command.data.reason } });
    case "DebitForTransfer":
    case "CreditForTransfer":
    case "RefundTransfer":
      return decideTransferLeg(command, state);
    default:
      return unreachable(command);
  }
}

/**
 * Task 1 — the account's side of a transfer (1/2: deciding).
 * Every leg needs an open account (ACCOUNT_NOT_FOUND). A leg already done for this transfer id
 * is accepted with no events, before any other rule (a frozen account or a spent balance must
 * not turn "already done" into a refusal). A debit needs an account that is not frozen
 * (ACCOUNT_FROZEN) and holds the amount (INSUFFICIENT_FUNDS) → TransferDebited. A credit needs
 * an account that is not frozen (ACCOUNT_FROZEN) → TransferCredited. A refund needs a debit of
 * this transfer (NOTHING_TO_REFUND) and gives back the amount the debit took, with the
 * command's reason → TransferRefunded — even on a frozen account: it is the bank's own money
 * going back where it came from.
 */
export function decideTransferLeg(command: TransferLegCommand, state: AccountState): Decision {
  const { accountId, transferId } = command.data;
  if (state.status !== "open") return rejected(rejections.accountNotFound(accountId));
  switch (command.type) {
    case "DebitForTransfer": {
      if (transferId in state.debited) return accepted();
      if (state.frozen) return rejected(rejections.accountFrozen(accountId));
      const { amount } = command.data;
      if (state.balance < amount) return rejected(rejections.insufficientFunds(accountId, state.balance, amount));
      return accepted({ type: "TransferDebited", data: { accountId, transferId, amount } });
    }
    case "CreditForTransfer":
      if (transferId in state.credited) return accepted();
      if (state.frozen) return rejected(rejections.accountFrozen(accountId));
      return accepted({ type: "TransferCredited", data: { accountId, transferId, amount: command.data.amount } });
    case "RefundTransfer": {
      if (transferId in state.refunded) return accepted();
      const amount = state.debited[transferId];
      if (amount === undefined) return rejected(rejections.nothingToRefund(accountId, transferId));
      return accepted({ type: "TransferRefunded", data: { accountId, transferId, amount, reason: command.data.reason } });
    }
    default:
      return unreachable(command);
  }
}

/**
 * Task 1 — the account's side of a transfer (2/2: evolving).
 * On an open account: a debit takes its amount, a credit adds its amount, a refund gives its
 * amount back — each remembered under its transfer id, with its amount, in `debited`,
 * `credited` or `refunded`. A leg already remembered for its transfer id changes nothing (the
 * same event twice on the log: an append retried after a lost acknowledgement). An account
 * that is not open stays as it is.
 */
export function evolveTransferLeg(state: AccountState, event: TransferLegEvent): AccountState {
  if (state.status !== "open") return state;
  const { transferId, amount } = event.data;
  switch (event.type) {
    // A leg already remembered is the same fact twice (an append retried): it counts once.
    case "TransferDebited":
      if (transferId in state.debited) return state;
      return { ...state, balance: state.balance - amount, debited: { ...state.debited, [transferId]: amount } };
    case "TransferCredited":
      if (transferId in state.credited) return state;
      return { ...state, balance: state.balance + amount, credited: { ...state.credited, [transferId]: amount } };
    case "TransferRefunded":
      if (transferId in state.refunded) return state;
      return { ...state, balance: state.balance + amount, refunded: { ...state.refunded, [transferId]: amount } };
    default:
      return unreachable(event);
  }
}

/** Given: an account's state is the fold of its events, from the start. */
export function foldEvents(events: readonly AccountEvent[], from: AccountState = initialState): AccountState {
  return events.reduce(evolve, from);
}

export function accepted(...events: AccountEvent[]): Decision {
  return { outcome: "accepted", events };
}

export function rejected(rejection: AccountRejection): Decision {
  return { outcome: "rejected", rejection };
}

/** A variant the code does not know reached a switch: a bug in the program, not a domain failure. */
export class UnreachableVariant extends Error {
  override readonly name = "UnreachableVariant";

  constructor(readonly value: unknown) {
    super(`unexpected variant: ${JSON.stringify(value)}`);
  }
}

/** The exhaustiveness check: a new variant fails to compile until every switch handles it. */
export function unreachable(value: never): never {
  throw new UnreachableVariant(value);
}
