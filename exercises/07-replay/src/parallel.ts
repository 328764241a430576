/**
 * Rebuilding partitions in parallel: the log is already split — an account's events all
 * live in one partition — so partitions can be replayed by independent workers, each a
 * consumer of its own, writing its own accounts' rows and its own positions.
 */
import { endOffsets, replay, type ReplayOptions, type ReplayResult } from "./replay.ts";
import { todo } from "#kit/todo";

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
  return todo("Task 3 — rebuild partitions in parallel: split the topic's partitions (endOffsets) into at most `workers` subsets, p % workers, then run one replay per subset at once (Promise.allSettled), each with its own group id, and throw the first failure once all have stopped");
}
