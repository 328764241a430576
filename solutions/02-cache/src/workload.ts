/**
 * The fixed workload the step measures (`npm run bench 02`) and checks (Task 3's tests).
 *
 * Mostly reads, as a wallet's traffic is: round after round, every account's balance is read
 * once, then one account gets a deposit. Always the same operations in the same order, so
 * its hit ratio is not a measurement but a number you can work out on paper (expectedReads).
 */

export type Operation =
  | { kind: "read"; accountId: string }
  | { kind: "deposit"; accountId: string; amount: number };

export interface WorkloadShape {
  /** How many accounts, named account-00, account-01, … */
  accounts: number;
  /** How many rounds: each reads every account once, then deposits 1 cent into one of them. */
  rounds: number;
}

export interface Workload {
  accountIds: string[];
  operations: Operation[];
}

/** Given: the operations of `rounds` rounds over `accounts` accounts; round r deposits into account r (mod accounts). */
export function readMostlyWorkload({ accounts, rounds }: WorkloadShape): Workload {
  if (!Number.isInteger(accounts) || accounts < 1 || !Number.isInteger(rounds) || rounds < 1) {
    throw new RangeError(`a workload needs at least one account and one round, got ${accounts} and ${rounds}`);
  }
  const accountIds = Array.from({ length: accounts }, (_, i) => `account-${String(i).padStart(2, "0")}`);
  const operations: Operation[] = [];
  for (let round = 0; round < rounds; round++) {
    for (const accountId of accountIds) operations.push({ kind: "read", accountId });
    operations.push({ kind: "deposit", accountId: accountIds[round % accounts]!, amount: 1 });
  }
  return { accountIds, operations };
}

/**
 * Given: what a cache that is invalidated on every write must do with that workload, worked
 * out on paper. The first round misses every account; each deposit empties one key, which
 * the next round misses once (the last deposit has no next round).
 */
export function expectedReads({ accounts, rounds }: WorkloadShape): { reads: number; hits: number; misses: number } {
  const reads = accounts * rounds;
  const misses = accounts + (rounds - 1);
  return { reads, hits: reads - misses, misses };
}

/** The two operations the workload needs, whether the wallet has a cache or not. */
export interface WalletOperations {
  balance(accountId: string): Promise<number>;
  deposit(accountId: string, amount: number): Promise<number>;
}

/** Given: runs one operation of the workload. */
export async function apply(wallet: WalletOperations, operation: Operation): Promise<number> {
  switch (operation.kind) {
    case "read":
      return wallet.balance(operation.accountId);
    case "deposit":
      return wallet.deposit(operation.accountId, operation.amount);
    default:
      return unknownOperation(operation);
  }
}

function unknownOperation(operation: never): never {
  throw new TypeError(`unknown workload operation ${JSON.stringify(operation)}`);
}
