/**
 * #kit/scoreboard — what a step gives the scoreboard, and the workload every architecture runs.
 *
 * The scoreboard (kit/scoreboard/) runs one seeded wallet workload against every architecture
 * of the kit and measures each the same way. The kit never imports a step: each step that can
 * serve the workload ships `bench/scoreboard.ts`, whose default export is a ScoreboardAdapter
 * built from the step's own code (`../src/…`, the solution's under `npm run bench`), and the
 * scoreboard loads that file by path. A new step (the cluster, say) joins the scoreboard by
 * adding that one file: nothing in the kit names it.
 */
import type { FreshKafka, FreshRedis, FreshSchema, Stoppable } from "./testing.ts";

/** The services an adapter may use, each fresh for its run (own schema, key prefix, topics). */
export interface ScoreboardServices {
  db: FreshSchema;
  redis: FreshRedis;
  kafka: FreshKafka;
  /** Registers something to stop when the architecture's run ends, before its topics and schema go. */
  stopWhenDone(thing: Stoppable): void;
}

/**
 * The wallet as the workload sees it. A write resolves when the architecture acknowledges it
 * (the caller would be told "done"); `balance` answers undefined for an account it does not
 * know (yet: an event-sourced read model may not have seen the opening).
 */
export interface ScoreboardWallet {
  open(accountId: string): Promise<void>;
  deposit(accountId: string, amount: number): Promise<void>;
  withdraw(accountId: string, amount: number): Promise<void>;
  balance(accountId: string): Promise<number | undefined>;
}

export interface ScoreboardAdapter {
  /** The step's folder name, e.g. "06-projections". */
  step: string;
  /** The architecture in a few words, as the table shows it. */
  architecture: string;
  /** Where a write is acknowledged and where a read comes from, in one line. */
  path: string;
  /**
   * The design of the step's ledger column whose "survives-crash" cell this architecture is:
   * the scoreboard's crash column is that cell, proven by the step's own fault test.
   */
  crashDesign: string;
  /** Starts the architecture (processors in their groups, projections running) and hands back its wallet. */
  start(services: ScoreboardServices): Promise<ScoreboardWallet>;
}

// ---------------------------------------------------------------------------
// The workload: the same on every run and every machine, for a given shape.

export type WorkloadOperation =
  | { kind: "open"; accountId: string; balanceAfter: 0 }
  | { kind: "deposit"; accountId: string; amount: number; balanceAfter: number }
  | { kind: "withdraw"; accountId: string; amount: number; balanceAfter: number }
  | { kind: "balance"; accountId: string; balanceAfter: number };

export interface WorkloadShape {
  accounts: number;
  /** Operations after the openings: deposits, withdrawals and balance reads. */
  operations: number;
  seed: number;
}

export interface Workload {
  shape: WorkloadShape;
  accountIds: string[];
  operations: WorkloadOperation[];
  finalBalances: Map<string, number>;
}

/**
 * Opens every account, then a seeded mix: about 45% deposits, 20% withdrawals, 35% balance
 * reads, amounts in cents. A withdrawal never exceeds the balance (it would be refused, and a
 * refusal is not the write being measured), so every architecture ends on the same balances.
 * `prefix` names the accounts, so that a second pass runs the same shape on fresh accounts.
 */
export function walletWorkload(shape: WorkloadShape, prefix = "acct"): Workload {
  const random = seededRandom(shape.seed);
  const accountIds = Array.from({ length: shape.accounts }, (_, i) => `${prefix}-${String(i).padStart(3, "0")}`);
  const balances = new Map(accountIds.map((id) => [id, 0]));
  const operations: WorkloadOperation[] = accountIds.map((accountId) => ({ kind: "open", accountId, balanceAfter: 0 }));
  for (let i = 0; i < shape.operations; i++) {
    const accountId = accountIds[Math.floor(random() * accountIds.length)]!;
    const balance = balances.get(accountId)!;
    const draw = random();
    if (draw < 0.35) {
      operations.push({ kind: "balance", accountId, balanceAfter: balance });
    } else if (draw < 0.55 && balance > 0) {
      const amount = 1 + Math.floor(random() * balance);
      balances.set(accountId, balance - amount);
      operations.push({ kind: "withdraw", accountId, amount, balanceAfter: balance - amount });
    } else {
      const amount = 1 + Math.floor(random() * 5_000);
      balances.set(accountId, balance + amount);
      operations.push({ kind: "deposit", accountId, amount, balanceAfter: balance + amount });
    }
  }
  return { shape, accountIds, operations, finalBalances: balances };
}

/** mulberry32: a tiny seeded generator, so the workload is the same everywhere (Math.random is not seedable). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** An architecture refused a write of the workload (which never asks for a refusal): the run stops and says why. */
export class WriteRefused extends Error {
  override readonly name = "WriteRefused";
  constructor(step: string, what: string, rejection: unknown) {
    super(`${step} refused ${what}: ${JSON.stringify(rejection)}`);
  }
}
