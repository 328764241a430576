/**
 * #kit/rebuild-contract: what `npm run rebuild` needs from step 07's code, and nothing more.
 *
 * The command runs the attendee's own modules (or the solution's, with --solution): it loads
 * them by path at run time and uses them only through this interface, so that the kit depends
 * on no step. Step 07's test/rebuild-contract.test.ts checks that the step's modules satisfy it
 * — in the type-check and at run time — so a change to the step that would break the command
 * breaks that test first.
 */
import type { Pool } from "pg";
import type { Kafka } from "./kafka.ts";
import type { StoryEvent } from "./replay-story.ts";

/** Where the modules are, under exercises/07-replay/src/ or solutions/07-replay/src/. */
export const rebuildStep = "07-replay";
export const rebuildModuleFiles = ["blue-green.ts", "statements.ts", "snapshots.ts"] as const;

export interface SnapshotInfo {
  id: number;
  /** partition → the next offset the snapshot had not applied. */
  positions: Record<number, number>;
  /** How many records of the log it stands for. */
  covers: number;
}

/** `Model` is the step's read-model description: the command only hands it back to the step. */
export interface RebuildModules<Model> {
  statementsModel: Model;
  /** Task 1's fold, one event at a time: the command calls it once to see whether Task 1 is still open. */
  nextStatement(latest: undefined, event: StoryEvent): unknown;
  liveTable(pool: Pool, model: Model): Promise<string | undefined>;
  nextVersionTable(pool: Pool, model: Model): Promise<string>;
  switchReads(options: { kafka: Kafka; topic: string; pool: Pool; model: Model; table: string }): Promise<void>;
  deployBlueGreen(options: {
    kafka: Kafka;
    topic: string;
    pool: Pool;
    model: Model;
    table: string;
    groupId: string;
    workers?: number;
    fromSnapshot?: boolean;
    onProgress?: (chunk: { read: number }) => void;
  }): Promise<{ read: number; skipped: readonly unknown[] }>;
  dropRetiredTables(pool: Pool, model: Model): Promise<string[]>;
  latestSnapshot(pool: Pool, model: Model): Promise<SnapshotInfo | undefined>;
  takeSnapshot(pool: Pool, model: Model, table: string): Promise<SnapshotInfo>;
}

/** The names the command calls, for a check at run time that a module really has them. */
export const rebuildFunctionNames = [
  "nextStatement",
  "liveTable",
  "nextVersionTable",
  "switchReads",
  "deployBlueGreen",
  "dropRetiredTables",
  "latestSnapshot",
  "takeSnapshot",
] as const satisfies ReadonlyArray<keyof RebuildModules<unknown>>;
