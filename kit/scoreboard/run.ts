/**
 * What the scoreboard measures of one architecture, the same way for every one:
 *
 * 1. One operation at a time, the whole workload: each write timed from the call to its
 *    acknowledgement, each balance read timed. After each write, the account is read back to
 *    back until it shows the write: the staleness window is the time from the ack to the start
 *    of the first read that saw it (0 when the first read after the ack did). The workload's
 *    own reads come after that probe, and each must answer the expected balance.
 * 2. Throughput: the same shape again on fresh accounts, writes only, from `concurrency`
 *    clients at once (each its own accounts, so every account's order is the workload's),
 *    counted from the first call to the last acknowledgement; then every final balance is read
 *    until it is right.
 *
 * Nothing here asserts a speed: the counts (reads that answered wrong, balances) are what the
 * scoreboard's bench file checks.
 */
import { performance } from "node:perf_hooks";
import { setImmediate as yieldToEvents } from "node:timers/promises";
import { perSecond, summarize } from "../lib/bench.ts";
import { walletWorkload, type ScoreboardWallet, type Workload, type WorkloadOperation, type WorkloadShape } from "../lib/scoreboard.ts";

export type Figure = { value: number; unit: string } | { missing: string };

/** The measures of a row, in the table's order. */
export const measures = ["writeMedian", "writeP95", "throughput", "readMedian", "readP95", "staleMedian", "staleP95", "staleMax"] as const;
export type Measure = (typeof measures)[number];

export const measureTitles: Record<Measure, string> = {
  writeMedian: "write median",
  writeP95: "write p95",
  throughput: "writes/s",
  readMedian: "read median",
  readP95: "read p95",
  staleMedian: "stale median",
  staleP95: "stale p95",
  staleMax: "stale max",
};

export interface ScoreboardSize {
  mode: "full" | "quick" | "smoke";
  workload: WorkloadShape;
  /** Clients writing at once in the throughput pass, and in the throughput ceilings. */
  concurrency: number;
  /** Round trips per latency ceiling. */
  ceilingSamples: number;
}

const seed = 20;

/** KIT_BENCH=full under `npm run bench`, quick under `npm run bench -- --quick`, a small size under `npm test`. */
export function scoreboardSize(mode = process.env.KIT_BENCH): ScoreboardSize {
  if (mode === "full") return { mode: "full", workload: { accounts: 40, operations: 1_500, seed }, concurrency: 8, ceilingSamples: 2_000 };
  if (mode === "quick") return { mode: "quick", workload: { accounts: 10, operations: 120, seed }, concurrency: 4, ceilingSamples: 200 };
  return { mode: "smoke", workload: { accounts: 4, operations: 24, seed }, concurrency: 2, ceilingSamples: 20 };
}

export interface ArchitectureFigures {
  figures: Record<Measure, Figure>;
  counts: {
    writes: number;
    reads: number;
    /** Workload reads that answered another balance than the workload's (must be 0). */
    wrongReads: number;
    /** Reads of the staleness probe that did not show the write yet. */
    staleReads: number;
    /** Writes of the throughput pass. */
    throughputWrites: number;
    /** Accounts whose final balance after the throughput pass was not the workload's (must be 0). */
    wrongFinalBalances: number;
  };
}

/** How long a write may take to become visible before the run gives up on the architecture. */
const visibleWithinMs = 30_000;

export async function measureArchitecture(wallet: ScoreboardWallet, size: ScoreboardSize): Promise<ArchitectureFigures> {
  const workload = walletWorkload(size.workload);
  const writes: number[] = [];
  const reads: number[] = [];
  const windows: number[] = [];
  let wrongReads = 0;
  let staleReads = 0;
  // One untimed round of each kind first: it pays for connecting and warming up.
  await wallet.open("warm-up");
  await wallet.deposit("warm-up", 1);
  await untilVisible(wallet, "warm-up", 1);

  for (const operation of workload.operations) {
    if (operation.kind === "balance") {
      const start = performance.now();
      const seen = await wallet.balance(operation.accountId);
      reads.push(performance.now() - start);
      if (seen !== operation.balanceAfter) wrongReads += 1;
      continue;
    }
    const start = performance.now();
    await write(wallet, operation);
    const ackedAt = performance.now();
    writes.push(ackedAt - start);
    const probe = await untilVisible(wallet, operation.accountId, operation.balanceAfter, ackedAt);
    windows.push(probe.windowMs);
    staleReads += probe.staleReads;
  }

  const throughput = await throughputPass(wallet, walletWorkload(size.workload, "tput"), size.concurrency);
  const written = summarize(writes);
  const read = summarize(reads);
  const stale = summarize(windows);
  const ms = (value: number): Figure => ({ value, unit: "ms" });
  return {
    figures: {
      writeMedian: ms(written.median),
      writeP95: ms(written.p95),
      throughput: { value: throughput.perSecond, unit: "writes/s" },
      readMedian: ms(read.median),
      readP95: ms(read.p95),
      staleMedian: ms(stale.median),
      staleP95: ms(stale.p95),
      staleMax: ms(stale.max),
    },
    counts: { writes: writes.length, reads: reads.length, wrongReads, staleReads, throughputWrites: throughput.writes, wrongFinalBalances: throughput.wrongFinalBalances },
  };
}

function write(wallet: ScoreboardWallet, operation: Exclude<WorkloadOperation, { kind: "balance" }>): Promise<void> {
  switch (operation.kind) {
    case "open":
      return wallet.open(operation.accountId);
    case "deposit":
      return wallet.deposit(operation.accountId, operation.amount);
    case "withdraw":
      return wallet.withdraw(operation.accountId, operation.amount);
  }
}

/** Reads back to back until the account shows `balance`; the window runs from `ackedAt` to the start of the read that saw it. */
async function untilVisible(wallet: ScoreboardWallet, accountId: string, balance: number, ackedAt = performance.now()): Promise<{ windowMs: number; staleReads: number }> {
  let staleReads = 0;
  for (;;) {
    const start = performance.now();
    if ((await wallet.balance(accountId)) === balance) return { windowMs: staleReads === 0 ? 0 : start - ackedAt, staleReads };
    staleReads += 1;
    if (performance.now() - ackedAt > visibleWithinMs) throw new NotVisible(accountId, balance);
    // Let the projection's own callbacks run between two reads that answer from memory.
    await yieldToEvents();
  }
}

export class NotVisible extends Error {
  override readonly name = "NotVisible";
  constructor(accountId: string, balance: number) {
    super(`account ${accountId} did not show its balance of ${balance} within ${visibleWithinMs / 1000} s of the write's acknowledgement`);
  }
}

async function throughputPass(wallet: ScoreboardWallet, workload: Workload, concurrency: number) {
  const lanes = Array.from({ length: concurrency }, () => [] as Array<Exclude<WorkloadOperation, { kind: "balance" }>>);
  const laneOf = new Map(workload.accountIds.map((id, index) => [id, index % concurrency]));
  for (const operation of workload.operations) if (operation.kind !== "balance") lanes[laneOf.get(operation.accountId)!]!.push(operation);
  const start = performance.now();
  await Promise.all(
    lanes.map(async (lane) => {
      for (const operation of lane) await write(wallet, operation);
    }),
  );
  const elapsed = performance.now() - start;
  const writes = lanes.reduce((sum, lane) => sum + lane.length, 0);
  let wrongFinalBalances = 0;
  for (const [accountId, balance] of workload.finalBalances) {
    try {
      await untilVisible(wallet, accountId, balance);
    } catch (error) {
      if (!(error instanceof NotVisible)) throw error;
      wrongFinalBalances += 1;
    }
  }
  return { writes, perSecond: perSecond(writes, elapsed), wrongFinalBalances };
}
