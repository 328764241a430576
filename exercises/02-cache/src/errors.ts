// Copy of exercises/01-crud/src/errors.ts: keep the two equal (the kit checks it).
/**
 * The wallet's failures, as types: a caller can tell "no such account" from "not enough
 * money" without reading a message, and every message says what was wrong with what.
 *
 * These are domain errors: they know nothing of Postgres. The adapter (wallet.ts) turns
 * the database's answers into them.
 */
export abstract class WalletError extends Error {
  /** A stable name for machines: an HTTP layer maps it to a status, a client to a screen. */
  abstract readonly code: string;
}

export class InvalidAmount extends WalletError {
  override readonly name = "InvalidAmount";
  readonly code = "INVALID_AMOUNT";

  constructor(
    /** What the caller sent, as it was. */
    readonly input: unknown,
    /** What is wrong with it, in words: "must be a whole number of cents". */
    readonly reason: string,
  ) {
    super(`invalid amount ${show(input)}: ${reason}`);
  }
}

export class InvalidAccountId extends WalletError {
  override readonly name = "InvalidAccountId";
  readonly code = "INVALID_ACCOUNT_ID";

  constructor(
    readonly input: unknown,
    readonly reason: string,
  ) {
    super(`invalid account id ${show(input)}: ${reason}`);
  }
}

export class AccountNotFound extends WalletError {
  override readonly name = "AccountNotFound";
  readonly code = "ACCOUNT_NOT_FOUND";

  constructor(readonly accountId: string) {
    super(`account ${show(accountId)} does not exist: open it first`);
  }
}

export class AccountAlreadyExists extends WalletError {
  override readonly name = "AccountAlreadyExists";
  readonly code = "ACCOUNT_ALREADY_EXISTS";

  constructor(readonly accountId: string) {
    super(`account ${show(accountId)} is already open`);
  }
}

export class InsufficientFunds extends WalletError {
  override readonly name = "InsufficientFunds";
  readonly code = "INSUFFICIENT_FUNDS";

  constructor(
    readonly accountId: string,
    /** The balance when the withdrawal was refused, in cents. */
    readonly balance: number,
    /** What the withdrawal asked for, in cents. */
    readonly requested: number,
  ) {
    super(`account ${show(accountId)} holds ${balance} cents, cannot withdraw ${requested}`);
  }
}

/** Shows a value the way the caller would recognise it: strings quoted, NaN as NaN, 10n as 10n. */
function show(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "bigint") return `${value}n`;
  if (typeof value === "number" || typeof value === "boolean" || value === null || value === undefined) return String(value);
  try {
    return JSON.stringify(value) ?? typeof value;
  } catch {
    return typeof value; // a value JSON cannot show (a cycle): say what kind it is
  }
}
