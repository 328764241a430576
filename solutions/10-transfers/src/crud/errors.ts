/**
 * The CRUD bank's failures, as types: a caller can tell "no such account" from "not enough
 * money" without reading a message. Domain errors: they know nothing of Postgres; bank.ts
 * turns the database's answers into them.
 */
export abstract class BankError extends Error {
  /** A stable name for machines. */
  abstract readonly code: string;
}

/** The request's shape is wrong: an id that is not an id, an amount that is not a positive whole number of cents. */
export class InvalidTransfer extends BankError {
  override readonly name = "InvalidTransfer";
  readonly code = "INVALID_TRANSFER";

  constructor(readonly reason: string) {
    super(`invalid transfer: ${reason}`);
  }
}

/** An account cannot be opened as asked: an id that is not an id, an opening balance that is not a whole, non-negative number of cents. */
export class InvalidAccount extends BankError {
  override readonly name = "InvalidAccount";
  readonly code = "INVALID_ACCOUNT";

  constructor(readonly reason: string) {
    super(`invalid account: ${reason}`);
  }
}

export class AccountAlreadyOpen extends BankError {
  override readonly name = "AccountAlreadyOpen";
  readonly code = "ACCOUNT_ALREADY_OPEN";

  constructor(readonly accountId: string) {
    super(`account ${JSON.stringify(accountId)} is already open`);
  }
}

export class SameAccount extends BankError {
  override readonly name = "SameAccount";
  readonly code = "SAME_ACCOUNT";

  constructor(readonly accountId: string) {
    super(`a transfer from ${JSON.stringify(accountId)} to itself moves nothing: name two different accounts`);
  }
}

export class AccountNotFound extends BankError {
  override readonly name = "AccountNotFound";
  readonly code = "ACCOUNT_NOT_FOUND";

  constructor(readonly accountId: string) {
    super(`account ${JSON.stringify(accountId)} does not exist: open it first`);
  }
}

export class AccountFrozen extends BankError {
  override readonly name = "AccountFrozen";
  readonly code = "ACCOUNT_FROZEN";

  constructor(readonly accountId: string) {
    super(`account ${JSON.stringify(accountId)} is frozen: no money moves in or out`);
  }
}

export class InsufficientFunds extends BankError {
  override readonly name = "InsufficientFunds";
  readonly code = "INSUFFICIENT_FUNDS";

  constructor(
    readonly accountId: string,
    readonly balance: number,
    readonly requested: number,
  ) {
    super(`account ${JSON.stringify(accountId)} holds ${balance} cents, cannot give ${requested}`);
  }
}

export class TransferIdReused extends BankError {
  override readonly name = "TransferIdReused";
  readonly code = "TRANSFER_ID_REUSED";

  constructor(
    readonly transferId: string,
    readonly earlier: { from: string; to: string; amount: number },
  ) {
    super(`transfer id ${JSON.stringify(transferId)} was already used for ${earlier.amount} cents from ${JSON.stringify(earlier.from)} to ${JSON.stringify(earlier.to)}: a new transfer needs a new id`);
  }
}

/** Postgres broke a deadlock by aborting this transfer: nothing of it was applied, and it may be retried. */
export class TransferDeadlocked extends BankError {
  override readonly name = "TransferDeadlocked";
  readonly code = "TRANSFER_DEADLOCKED";

  constructor(readonly transferId: string) {
    super(`transfer ${JSON.stringify(transferId)} was aborted by the database to break a deadlock: nothing was applied; retry it`);
  }
}
