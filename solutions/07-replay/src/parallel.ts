/**
 * Rebuilding partitions in parallel: the log is already split — an account's events all
 * live in one partition — so partitions can be replayed by independent workers, each a
 * consumer of its own, writing its own accounts' rows and its own positions.
 */
import { endOffsets, replay, type ReplayOptions, type ReplayResult } from "./replay.ts";

export interface ParallelResult {
  /** One result per worker, in the order of the partition subsets. */
  workers: ReplayResult[];
  /** The partitions each worker was given. */
  subsets: number[][];
}

/**
 * Task 3 — rebuild partitions in parallel.
 * Splits the topic's partitions into at most `workers` subsets (partition p goes to worker
 * p % workers; no worker gets an empty subset), and runs one `replay` per subset, all at
 * once, each with a group id of its own (`${options.groupId}-${i}`). Resolves when every
 * worker has reached the head of its partitions; if one fails, waits for the others to
 * stop, then throws the first failure.
 */
export async function rebuildInParallel(options: ReplayOptions, workers: number): Promise<ParallelResult> {
  const partitions = [...(await endOffsets(options.kafka, options.topic)).keys()].sort((a, b) => a - b);
  const subsets = Array.from({ length: Math.min(workers, partitions.length) }, (_, worker) => partitions.filter((partition) => partition % workers === worker));
  // allSettled, not all: a failing worker must not leave the others replaying after the call has returned.
  const settled = await Promise.allSettled(subsets.map((subset, i) => replay({ ...options, partitions: subset, groupId: `${options.groupId}-${i}` })));
  const results: ReplayResult[] = [];
  for (const result of settled) {
    if (result.status === "rejected") throw result.reason;
    results.push(result.value);
  }
  return { workers: results, subsets };
}
