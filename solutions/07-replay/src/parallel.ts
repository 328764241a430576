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
 * worker has reached the head of its partitions.
 */
export async function rebuildInParallel(options: ReplayOptions, workers: number): Promise<ParallelResult> {
  const partitions = [...(await endOffsets(options.kafka, options.topic)).keys()].sort((a, b) => a - b);
  const subsets = Array.from({ length: Math.min(workers, partitions.length) }, (_, worker) => partitions.filter((partition) => partition % workers === worker));
  const results = await Promise.all(subsets.map((subset, i) => replay({ ...options, partitions: subset, groupId: `${options.groupId}-${i}` })));
  return { workers: results, subsets };
}
