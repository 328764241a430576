/**
 * Given: numbered records, to count what a cluster kept. A writer sends records 0…n-1 and
 * notes which ones the cluster acknowledged; a reader reads the whole partition back. Then
 * "acknowledged ⊆ read" and "how many twice" are plain set arithmetic, with exact counts.
 */
import type { Kafka, Producer } from "#kit/kafka";

export interface WriteOptions {
  /** -1: every in-sync replica (and at least min.insync.replicas); 1: the leader alone. */
  acks: -1 | 1;
  /** The first record's number (a second batch continues the first's numbering). */
  from?: number;
  /** How many sends may be in flight at once: with more than one, a broker's death catches some mid-way. */
  inFlight?: number;
  /**
   * How many times to send a record whose send failed for good (kafkajs gave up): the
   * application's own retry. Each resend is a new write to Kafka, which the idempotent producer
   * cannot recognise as a repeat: if the failed send had in fact reached the log, it is there twice.
   */
  attempts?: number;
  /** Called after each acknowledgement, with how many have been acknowledged so far. */
  onAcknowledged?: (acknowledged: number) => void | Promise<void>;
}

export interface WriteOutcome {
  acknowledged: number[];
  /** Sends that failed for good (after the client's own retries). */
  failed: number[];
  /** Why sends failed: each distinct error, by name and message. */
  errors: string[];
  /** Sends the application made again after a failure. */
  resent: number;
}

/** Sends records `from`…`from + count - 1`, each its own send, keyed so they all go to partition 0. */
export async function writeNumbered(producer: Producer, topic: string, count: number, options: WriteOptions): Promise<WriteOutcome> {
  const { acks, from = 0, inFlight = 1, attempts = 1, onAcknowledged } = options;
  const acknowledged: number[] = [];
  const failed: number[] = [];
  const errors = new Set<string>();
  let resent = 0;
  let next = from;
  const end = from + count;
  const worker = async () => {
    while (next < end) {
      const number = next++;
      for (let attempt = 1; ; attempt++) {
        try {
          await producer.send({ topic, acks, messages: [{ key: "n", value: String(number), partition: 0 }] });
          acknowledged.push(number);
          await onAcknowledged?.(acknowledged.length);
          break;
        } catch (error) {
          errors.add(error instanceof Error ? `${error.name}: ${error.message}` : String(error));
          if (attempt >= attempts) {
            failed.push(number);
            break;
          }
          resent++;
        }
      }
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  return { acknowledged: acknowledged.sort((a, b) => a - b), failed: failed.sort((a, b) => a - b), errors: [...errors], resent };
}

export interface ReadOutcome {
  /** Every number read, in log order, duplicates included. */
  numbers: number[];
  distinct: Set<number>;
  /** Records read more than once (written twice by a retry). */
  duplicates: number;
}

/** Reads partition 0 of `topic` from the beginning to its current end, with a fresh consumer group. */
export async function readNumbered(kafka: Kafka, topic: string, groupId: string, options: { timeoutMs?: number } = {}): Promise<ReadOutcome> {
  const numbers = (await readValues(kafka, topic, groupId, options)).map(Number);
  const distinct = new Set(numbers);
  return { numbers, distinct, duplicates: numbers.length - distinct.size };
}

/** The values of partition 0 of `topic`, in log order, from the beginning to its current end. */
export async function readValues(kafka: Kafka, topic: string, groupId: string, { timeoutMs = 30_000 } = {}): Promise<string[]> {
  const admin = kafka.admin();
  await admin.connect();
  const end = Number((await admin.fetchTopicOffsets(topic)).find((offset) => offset.partition === 0)?.high ?? 0);
  await admin.disconnect();
  const values: string[] = [];
  if (end === 0) return values;
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  let done: () => void = () => {};
  let crashed: (error: unknown) => void = () => {};
  const reachedEnd = new Promise<void>((resolve, reject) => ((done = resolve), (crashed = reject)));
  // A consumer that gave up for good says so at once, instead of a silent timeout (kafkajs
  // restarts one that crashed on a retriable error, such as a coordinator still loading).
  consumer.on(consumer.events.CRASH, ({ payload }) => {
    if (!payload.restart) crashed(payload.error);
  });
  await consumer.run({
    eachMessage: async ({ message }) => {
      values.push(message.value?.toString() ?? "");
      if (Number(message.offset) + 1 >= end) done();
    },
  });
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${topic}: read ${values.length} of ${end} records in ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await Promise.race([reachedEnd, timedOut]);
  } finally {
    clearTimeout(timer);
    await consumer.disconnect();
  }
  return values;
}

/** The acknowledged numbers that are not in the log. */
export function lost(acknowledged: readonly number[], read: ReadOutcome): number[] {
  return acknowledged.filter((number) => !read.distinct.has(number));
}
