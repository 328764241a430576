/**
 * Test helpers of step 07: a log of the seeded story on a fresh topic, and the options a
 * replay of it needs, with group ids the kafka fixture deletes after the test.
 */
import type { EventEnvelope } from "../src/envelope.ts";
import type { RebuildOptions } from "../src/rebuild.ts";
import type { ReadModel } from "../src/replay.ts";
import { storyEvents, writeEvents, type StoryOptions } from "#kit/replay-story";
import type { FreshKafka, FreshSchema } from "#kit/testing";

export interface Log {
  topic: string;
  /** Everything written, in the order it was written. */
  events: EventEnvelope[];
  /** Appends more of the story (a new generation of accounts), and returns it. */
  append(options: Omit<StoryOptions, "generation">): Promise<EventEnvelope[]>;
}

/** A fresh events topic holding `count` events of the story, 5 accounts by default (`name`: for a second log in one test). */
export async function givenLog(kafka: FreshKafka, { partitions = 1, name = "events", ...story }: StoryOptions & { partitions?: number; name?: string }): Promise<Log> {
  const topic = await kafka.topic(name, { numPartitions: partitions });
  const producer = await kafka.producer();
  let generation = 0;
  const log: Log = {
    topic,
    events: [],
    async append(more) {
      const events = [...storyEvents({ accounts: 5, ...more, generation: generation++ })];
      await writeEvents(producer, topic, events);
      log.events.push(...events);
      return events;
    },
  };
  await log.append(story);
  return log;
}

let replays = 0;

/** The options of one replay of `log` into `table`, in the test's schema: small chunks, so a replay has several. */
export function replayOf(
  { kafka, db }: { kafka: FreshKafka; db: FreshSchema },
  log: Log,
  model: ReadModel,
  table: string,
  more: Partial<RebuildOptions> = {},
): RebuildOptions {
  const name = `replay-${++replays}`;
  // Parallel workers use `<group>-<i>`: named here too, so the fixture deletes them.
  for (let i = 0; i < 8; i++) kafka.groupId(`${name}-${i}`);
  return { kafka: kafka.kafka, topic: log.topic, pool: db.pool, model, table, groupId: kafka.groupId(name), chunkSize: 10, ...more };
}
