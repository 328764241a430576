/**
 * Given: the replay machinery — one worker reads some partitions of the events topic from
 * where its read model stands, and writes the model in batches.
 *
 * A read model is a table plus, in `replay_positions`, the next offset to read in each
 * partition. Both change in the same transaction, one per chunk of a Kafka batch (thousands
 * of events, not one): that is what makes a million events take minutes, and a crash
 * harmless — the worker that starts again reads on from the stored position, and a
 * redelivered event below it is skipped.
 *
 * A worker is a consumer group of its own that is assigned exactly its partitions (kafkajs
 * has no assign(): a small partition assigner does it), and seeks to the stored positions.
 * It commits nothing to Kafka: the positions in Postgres are the only truth. It stops when
 * it has reached the end the log had when it started: the head.
 */
import type { ClientBase, Pool } from "pg";
import { performance } from "node:perf_hooks";
import { AssignerProtocol, type Kafka, type KafkaMessage, type PartitionAssigner } from "#kit/kafka";
import { noFailpoints, type FailpointHook } from "#kit/failpoints";
import { MalformedEvent, parseEvent, type Position, type RecordedEvent } from "./envelope.ts";

/** A connection to run SQL on: a pool, or a client inside a transaction. */
export type Queryable = Pick<ClientBase, "query">;

/** What the replay needs to know of a read model: how to make its table, and how to apply events to it. */
export interface ReadModel {
  /** Also the name readers query (blue-green.ts points a view of this name at the live table). */
  readonly name: string;
  createTable(db: Queryable, table: string): Promise<void>;
  /** Applies events (of one partition, in log order) to the table, inside the replay's transaction. */
  apply(db: Queryable, table: string, events: readonly RecordedEvent[]): Promise<void>;
}

/** A record that is not a valid event: skipped and kept with its reason; the partition goes on. */
export interface SkippedRecord {
  position: Position;
  error: MalformedEvent;
}

export interface ReplayOptions {
  kafka: Kafka;
  topic: string;
  pool: Pool;
  model: ReadModel;
  /** The table the model is written to (a version of it, for blue/green). */
  table: string;
  /** A group id of its own; the worker's offsets start where the table's positions stand. */
  groupId: string;
  /** The partitions this worker replays; all of the topic's when not given. */
  partitions?: readonly number[];
  /** The most events written in one transaction (a Kafka batch is split into chunks of this size). */
  chunkSize?: number;
  /** "before-commit" (inside a chunk's transaction) and "after-chunk" (once it is committed). */
  points?: FailpointHook;
  /** Called once per committed chunk, with that chunk's counts (add them up: several workers may report). */
  onProgress?: (chunk: ReplayProgress) => void;
}

export interface ReplayProgress {
  /** Records received from Kafka. */
  read: number;
  /** Events written to the read model (a record below the stored position is read, not applied again). */
  applied: number;
}

export interface ReplayResult extends ReplayProgress {
  skipped: SkippedRecord[];
  /** partition → how many records this worker read from it. */
  readByPartition: Record<number, number>;
  ms: number;
}

export const positionsTable = "replay_positions";

/** Creates the positions table and the model's table, if they are not there yet. Run once, before any worker starts. */
export async function prepareTable(db: Queryable, model: ReadModel, table: string): Promise<void> {
  checkTableName(table);
  await db.query(`CREATE TABLE IF NOT EXISTS ${positionsTable} (
    model_table text NOT NULL, partition int NOT NULL, next_offset bigint NOT NULL, PRIMARY KEY (model_table, partition))`);
  await model.createTable(db, table);
}

/** Table names are built into SQL: only plain lower-case names, never anything typed by someone. */
export function checkTableName(table: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(table)) throw new RangeError(`a read model's table name must be lower-case letters, digits and _, at most 63 characters: got ${JSON.stringify(table)}`);
  return table;
}

/** Runs `work` in one transaction on one connection: committed if it returns, rolled back if it throws. */
export async function inTransaction<T>(pool: Pool, work: (client: Queryable) => Promise<T>, { isolation = "READ COMMITTED" }: { isolation?: "READ COMMITTED" | "REPEATABLE READ" } = {}): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  // A connection that dies under a query also says so on the client, as an 'error' event: the
  // failing query reports it to the caller, so this only keeps that event from crashing the
  // process (nobody else listens while the client is checked out), and the client from reuse.
  const onConnectionError = (error: Error) => void (broken ??= error);
  client.on("error", onConnectionError);
  try {
    await client.query(`BEGIN ISOLATION LEVEL ${isolation}`);
    const result = await work(client);
    await client.query("COMMIT");
    return result;
  } catch (error) {
    // A connection that cannot even roll back is not given back to the pool for reuse.
    await client.query("ROLLBACK").catch((rollbackError: Error) => void (broken ??= rollbackError));
    throw error;
  } finally {
    client.off("error", onConnectionError);
    client.release(broken);
  }
}

/** partition → the end of the log now: the offset the next record will get. */
export async function endOffsets(kafka: Kafka, topic: string): Promise<Map<number, number>> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    return new Map((await admin.fetchTopicOffsets(topic)).map((end) => [end.partition, Number(end.high)]));
  } finally {
    await admin.disconnect();
  }
}

/** partition → the next offset the table has not applied yet. */
export async function positionsOf(db: Queryable, table: string): Promise<Map<number, number>> {
  const { rows } = await db.query<{ partition: number; next_offset: string }>(`SELECT partition, next_offset FROM ${positionsTable} WHERE model_table = $1`, [table]);
  return new Map(rows.map((row) => [row.partition, Number(row.next_offset)]));
}

/** Replays the partitions the table has not caught up on, up to the end of the log as it is now. */
export async function replay(options: ReplayOptions): Promise<ReplayResult> {
  const { kafka, topic, pool, groupId } = options;
  const started = performance.now();
  const ends = await endOffsets(kafka, topic);
  const stored = await positionsOf(pool, options.table);
  const mine = [...ends].filter(([partition]) => options.partitions?.includes(partition) ?? true);
  const next = new Map(mine.map(([partition]) => [partition, stored.get(partition) ?? 0]));
  // The head: the end of each partition not caught up yet, as the log is now.
  const targets = new Map(mine.filter(([partition, end]) => next.get(partition)! < end));
  const worker = new ReplayWorker(options, next);
  if (targets.size > 0) await worker.run(targets);
  return { ...worker.progress, skipped: worker.skipped, readByPartition: worker.readByPartition, ms: performance.now() - started };
}

class ReplayWorker {
  readonly progress: ReplayProgress = { read: 0, applied: 0 };
  readonly skipped: SkippedRecord[] = [];
  readonly readByPartition: Record<number, number> = {};

  constructor(
    readonly options: ReplayOptions,
    /** partition → the next offset this worker has not read yet. */
    readonly next: Map<number, number>,
  ) {}

  async run(targets: Map<number, number>): Promise<void> {
    const { kafka, topic, groupId } = this.options;
    const consumer = kafka.consumer({
      groupId,
      maxWaitTimeInMs: 100,
      heartbeatInterval: 100,
      partitionAssigners: [exactly(topic, [...targets.keys()])],
    });
    let stopped = false;
    let settle: { resolve: () => void; reject: (error: unknown) => void } = { resolve: () => {}, reject: () => {} };
    const finished = new Promise<void>((resolve, reject) => (settle = { resolve, reject }));
    const caughtUp = () => [...targets].every(([partition, end]) => this.next.get(partition)! >= end);
    // kafkajs restarts a consumer itself after a retriable error (and the stored positions keep
    // the replay exact); only a crash it gives up on ends the replay.
    consumer.on(consumer.events.CRASH, (event) => {
      if (!event.payload.restart) settle.reject(event.payload.error);
    });
    try {
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      await consumer.run({
        autoCommit: false,
        eachBatch: async ({ batch, heartbeat, isStale }) => {
          if (stopped || isStale()) return;
          try {
            const chunkSize = this.options.chunkSize ?? 5_000;
            // Only from where the worker started: a fetch sent before the seek below is not part of the replay.
            const messages = batch.messages.filter((message) => Number(message.offset) >= this.next.get(batch.partition)!);
            for (let start = 0; start < messages.length; start += chunkSize) {
              await this.applyChunk(batch.partition, messages.slice(start, start + chunkSize));
              await heartbeat();
            }
            if (caughtUp()) settle.resolve();
          } catch (error) {
            // A failure stops the worker (the positions say where it stood), never skips a chunk.
            stopped = true;
            settle.reject(error);
          }
        },
      });
      // Start each partition where the table stands. kafkajs applies a seek before its next fetch,
      // and drops what a fetch already under way brings back for that partition.
      for (const partition of targets.keys()) consumer.seek({ topic, partition, offset: String(this.next.get(partition)) });
      await finished;
    } finally {
      stopped = true;
      await consumer.disconnect();
    }
  }

  async applyChunk(partition: number, messages: KafkaMessage[]): Promise<void> {
    const { pool, model, table, points = noFailpoints } = this.options;
    const events: RecordedEvent[] = [];
    const skipped: SkippedRecord[] = [];
    for (const message of messages) {
      const position = { partition, offset: Number(message.offset) };
      try {
        events.push({ ...parseEvent(message.value?.toString("utf8") ?? ""), position });
      } catch (error) {
        if (!(error instanceof MalformedEvent)) throw error;
        skipped.push({ position, error });
      }
    }
    const nextOffset = Number(messages[messages.length - 1]!.offset) + 1;
    const { fresh, kept } = await inTransaction(pool, async (client) => {
      const { rows } = await client.query<{ next_offset: string }>(`SELECT next_offset FROM ${positionsTable} WHERE model_table = $1 AND partition = $2 FOR UPDATE`, [table, partition]);
      const from = rows[0] ? Number(rows[0].next_offset) : 0;
      // A redelivered record below the stored position was applied already.
      const fresh = events.filter((event) => event.position.offset >= from);
      await model.apply(client, table, fresh);
      await client.query(
        `INSERT INTO ${positionsTable} (model_table, partition, next_offset) VALUES ($1, $2, $3)
         ON CONFLICT (model_table, partition) DO UPDATE SET next_offset = GREATEST(${positionsTable}.next_offset, excluded.next_offset)`,
        [table, partition, nextOffset],
      );
      await points.reach("before-commit");
      return { fresh, kept: skipped.filter((record) => record.position.offset >= from) };
    });
    this.skipped.push(...kept);
    this.progress.read += messages.length;
    this.progress.applied += fresh.length;
    this.readByPartition[partition] = (this.readByPartition[partition] ?? 0) + messages.length;
    this.next.set(partition, Math.max(this.next.get(partition) ?? 0, nextOffset));
    this.options.onProgress?.({ read: messages.length, applied: fresh.length });
    await points.reach("after-chunk");
  }
}

/** A partition assigner that gives the group's one member exactly `partitions` of `topic`. */
function exactly(topic: string, partitions: number[]): PartitionAssigner {
  const name = "ReplayWorkerPartitions";
  return () => ({
    name,
    version: 1,
    async assign({ members }) {
      return members.map((member, index) => ({
        memberId: member.memberId,
        memberAssignment: AssignerProtocol.MemberAssignment.encode({ version: 1, assignment: index === 0 ? { [topic]: partitions } : {}, userData: Buffer.alloc(0) }),
      }));
    },
    protocol({ topics }) {
      return { name, metadata: AssignerProtocol.MemberMetadata.encode({ version: 1, topics, userData: Buffer.alloc(0) }) };
    },
  });
}
