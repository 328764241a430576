/** Column 05-event-sourcing: the wallet as events on Kafka (exercises/05-event-sourcing). */
import type { Column } from "../types.ts";

const step = "05-event-sourcing";

export const eventSourcingColumn: Column = {
  step,
  cells: [
    {
      guarantee: "no-lost-updates",
      step,
      design: "naive writers (load, decide, append)",
      verdict: "holds",
      why: "a write appends a fact instead of writing back a total: two deposits that both loaded 100 both land, and the fold counts both",
    },
    {
      guarantee: "no-lost-updates",
      step,
      design: "one writer per partition",
      verdict: "holds",
      why: "twenty concurrent deposits through the processor are all applied, one after another, each to the state the previous one left",
    },
    {
      guarantee: "invariants-under-concurrency",
      step,
      design: "naive writers (load, decide, append)",
      verdict: "broken",
      why: "Kafka has no 'append only if the stream is still at version N': two writers that both loaded 100 both append a withdrawal of 80, and the log folds to -60",
    },
    {
      guarantee: "invariants-under-concurrency",
      step,
      design: "one writer per partition, quiet handover",
      verdict: "holds",
      why: "commands keyed by account go to one partition, owned by one group member: an account's decisions are serialized, also across a quiet handover (the new owner rebuilds from the log); a member expelled while still working appends anyway: 09-exactly-once forces that, marks this processor broken for it in its column, and fences it",
    },
    {
      guarantee: "full-history",
      step,
      design: "event log",
      verdict: "holds",
      why: "every event is kept with its time: the balance at any past moment is a fold of the events up to it, and those events are the reason",
    },
    {
      guarantee: "survives-crash",
      step,
      design: "one writer per partition, causation ids",
      verdict: "holds",
      why: "a processor that crashes after appending never commits the command; the next owner gets it again, finds its events by causation id and answers without applying it twice",
    },
    {
      guarantee: "read-your-writes",
      step,
      design: "one writer per partition",
      verdict: "n/a",
      why: "no read model yet: the only reader is the processor, which folds its own writes; the command result gives the position a read model must reach (06-projections)",
    },
    {
      guarantee: "bounded-staleness",
      step,
      design: "one writer per partition",
      verdict: "n/a",
      why: "nothing serves reads yet; projections that lag behind the log arrive in 06-projections",
    },
    {
      guarantee: "downstream-sees-every-change",
      step,
      design: "event log",
      verdict: "n/a",
      why: "no downstream service in this step; the events topic is the feed that 06-projections consumes",
    },
    {
      guarantee: "new-read-model-without-downtime",
      step,
      design: "event log",
      verdict: "n/a",
      why: "no read model yet; building one by replaying the log is 07-replay",
    },
    {
      guarantee: "mistakes-corrected-without-rewriting-history",
      step,
      design: "event log",
      verdict: "n/a",
      why: "the wallet has no correction yet; compensating events that keep the mistake in the history are 08-errors-forever",
    },
    {
      guarantee: "independent-schema-evolution",
      step,
      design: "event log",
      verdict: "n/a",
      why: "events carry a schema version, but only version 1 exists; upcasting old events is 08-errors-forever",
    },
    {
      guarantee: "exactly-once-effect",
      step,
      design: "one writer per partition",
      verdict: "n/a",
      why: "a quiet handover is proven here (survives-crash); a member expelled while still working, and a client that retries, are forced in 09-exactly-once, whose column carries this processor's verdict",
    },
    {
      guarantee: "atomic-across-entities",
      step,
      design: "one writer per partition",
      verdict: "n/a",
      why: "no transfer in this step: two accounts on two partitions are the subject of 10-transfers",
    },
    {
      guarantee: "acknowledged-writes-survive-server-loss",
      step,
      design: "one broker, replication factor 1",
      verdict: "n/a",
      why: "the events topic has one replica on the kit's single broker: losing that server loses it (not tested in this kit yet)",
    },
  ],
};
