/**
 * Given: the statements service's Kafka consumer — it reads the wallet's topic and applies
 * each event with the `apply` it is given.
 *
 * A message it cannot read (not JSON, not an event, a version it does not know) is kept in
 * rejected_messages with the reason and reported; the consumer goes on with the next
 * message, so one bad message never stalls the partition behind it.
 */
import type pg from "pg";
import { waitForGroupJoin, type Consumer } from "#kit/kafka";
import { decodeEvent, EventRejected } from "./events.ts";
import type { ApplyEvent } from "./statements.ts";

export interface StatementsServiceOptions {
  /** A consumer not yet connected; whoever made it disconnects it. */
  consumer: Consumer;
  pool: pg.Pool;
  topic: string;
  apply: ApplyEvent;
  report?: (rejected: { partition: number; offset: string; reason: string }) => void;
}

export interface StatementsService {
  /** The offset after the last message handled in `partition`: how far the service has read. */
  positionIn(partition: number): number;
  /** How many messages it has handled, applied or rejected, duplicates included. */
  readonly handled: number;
  stop(): Promise<void>;
}

/** Connects, subscribes from the beginning of the topic, and resolves once the consumer has joined its group. */
export async function startStatementsService({ consumer, pool, topic, apply, report = reportToConsole }: StatementsServiceOptions): Promise<StatementsService> {
  const positions = new Map<number, number>();
  let handled = 0;
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  const joined = waitForGroupJoin(consumer);
  await consumer.run({
    eachMessage: async ({ partition, message }) => {
      const value = message.value?.toString("utf8") ?? null;
      try {
        await apply(pool, decodeEvent(value));
      } catch (error) {
        if (!(error instanceof EventRejected)) throw error; // the database is down: kafkajs retries this message
        await pool.query(`INSERT INTO rejected_messages (topic, "partition", "offset", reason, value) VALUES ($1, $2, $3, $4, $5)`, [
          topic,
          partition,
          message.offset,
          error.reason,
          value,
        ]);
        report({ partition, offset: message.offset, reason: error.reason });
      }
      positions.set(partition, Number(message.offset) + 1);
      handled += 1;
    },
  });
  await joined;
  return {
    positionIn: (partition) => positions.get(partition) ?? 0,
    get handled() {
      return handled;
    },
    stop: () => consumer.stop(),
  };
}

function reportToConsole({ partition, offset, reason }: { partition: number; offset: string; reason: string }): void {
  console.error(`[statements] message at partition ${partition}, offset ${offset} kept in rejected_messages: ${reason}`);
}
