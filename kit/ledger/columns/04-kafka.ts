/** Column 04-kafka: the log itself — topics, keys, consumer groups, offsets (exercises/04-kafka). */
import type { Column } from "../types.ts";

export const kafkaColumn: Column = {
  step: "04-kafka",
  cells: [
    {
      guarantee: "full-history",
      step: "04-kafka",
      design: "topic kept for ever (retention.ms=-1)",
      verdict: "holds",
      why: "the log appends and never overwrites: a brand-new group reads every record from offset 0, each account in order (with the default 7-day retention, older records would be gone)",
    },
    {
      guarantee: "full-history",
      step: "04-kafka",
      design: "compacted topic",
      verdict: "broken",
      why: "compaction keeps only the latest record per key: after the cleaner runs, alice's earlier balances are gone from the topic",
    },
    {
      guarantee: "downstream-sees-every-change",
      step: "04-kafka",
      design: "consumer group, committed offsets",
      verdict: "holds",
      why: "when a member leaves, the group rebalances and another member resumes its partitions from the committed offsets: every record is read, none lost (a crash can repeat one: see survives-crash)",
    },
    {
      guarantee: "survives-crash",
      step: "04-kafka",
      design: "commit after processing (at-least-once)",
      verdict: "broken",
      why: "nothing is lost, but the record processed before the crash and not yet committed is delivered again: applied twice unless the consumer is idempotent (step 06)",
    },
    {
      guarantee: "survives-crash",
      step: "04-kafka",
      design: "commit before processing (at-most-once)",
      verdict: "broken",
      why: "the offset was committed before a crash that came before processing: the group skips that record for ever",
    },
    {
      guarantee: "new-read-model-without-downtime",
      step: "04-kafka",
      design: "new consumer group",
      verdict: "holds",
      why: "a new group replays the history from the beginning alongside the live group, whose offsets and stream are untouched (how long a rebuild takes is step 07's question)",
    },
    {
      guarantee: "no-lost-updates",
      step: "04-kafka",
      design: "append-only log",
      verdict: "n/a",
      why: "records are appended, never read-modified-written: nothing to overwrite; concurrent writers of one account's state arrive in 05-event-sourcing",
    },
    {
      guarantee: "read-your-writes",
      step: "04-kafka",
      design: "append-only log",
      verdict: "n/a",
      why: "no read model yet, only the log; reading your own write through a projection is 06-projections",
    },
    {
      guarantee: "bounded-staleness",
      step: "04-kafka",
      design: "append-only log",
      verdict: "n/a",
      why: "no read model to lag behind the log yet; the staleness window of projections is measured in 06-projections",
    },
    {
      guarantee: "invariants-under-concurrency",
      step: "04-kafka",
      design: "append-only log",
      verdict: "n/a",
      why: "the log accepts any record: it enforces no business rule; keeping no-overdraft with Kafka is 05-event-sourcing",
    },
    {
      guarantee: "mistakes-corrected-without-rewriting-history",
      step: "04-kafka",
      design: "append-only log",
      verdict: "n/a",
      why: "there is no domain state to correct here, only records, which Kafka cannot edit; compensating events are 08-errors-forever",
    },
    {
      guarantee: "independent-schema-evolution",
      step: "04-kafka",
      design: "append-only log",
      verdict: "n/a",
      why: "one event shape, checked on read; versions of events and upcasting are 08-errors-forever",
    },
  ],
};
