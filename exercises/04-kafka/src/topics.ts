/**
 * How long a topic keeps its records is a setting of the topic, not a law of Kafka.
 *
 * - cleanup.policy=delete (the default) drops whole old segments once they pass retention.ms
 *   (7 days unless told otherwise). A log of events that must be replayable for ever sets
 *   retention.ms to -1.
 * - cleanup.policy=compact keeps, in the end, only the latest record of each key: a table of
 *   "current value per key", with the history in between thrown away.
 */
import type { ITopicConfig } from "#kit/kafka";
import { todo } from "#kit/todo";

export type TopicConfigEntries = NonNullable<ITopicConfig["configEntries"]>;

/** Given: a topic that keeps every record for ever: the full history of the accounts. */
export const historyTopicConfig: TopicConfigEntries = [
  { name: "cleanup.policy", value: "delete" },
  { name: "retention.ms", value: "-1" },
  { name: "retention.bytes", value: "-1" },
];

/**
 * Task 4 — configure a compacted topic.
 * The settings of a topic that keeps only the latest record of each key, tuned for a demo
 * that must compact within a second or two: compaction policy, segments that roll after
 * 100 ms, no minimum dirty ratio worth waiting for, no minimum age before compaction.
 */
export function compactedTopicConfig(): TopicConfigEntries {
  return todo("Task 4 — configure a compacted topic: only the latest record of each key survives, and the cleaner gets to it within a second or two; Kafka's topic configuration reference (cleanup.policy and the settings beside it) names what decides both");
}
