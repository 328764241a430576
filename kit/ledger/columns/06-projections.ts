/** Column 06-projections: read models fed from the log (exercises/06-projections). */
import type { Column } from "../types.ts";

const step = "06-projections";

export const projectionsColumn: Column = {
  step,
  cells: [
    {
      guarantee: "read-your-writes",
      step,
      design: "read the read model right after the command",
      verdict: "broken",
      why: "a command is accepted once its event is in the log; the projection applies it later: a read in between shows the balance from before the caller's own deposit",
    },
    {
      guarantee: "read-your-writes",
      step,
      design: "wait for the command's position",
      verdict: "holds",
      why: "the command returns the position of its event; reading only once the projection has applied that position shows the caller's write, every time — or a typed NotVisibleYet at the deadline, never a stale value",
    },
    {
      guarantee: "bounded-staleness",
      step,
      design: "asynchronous projection",
      verdict: "broken",
      why: "while the projection is down, commands are still accepted and the read model stays where it was: the gap grows with every command, bounded by nothing but the projection's return",
    },
    {
      guarantee: "survives-crash",
      step,
      design: "naive projection (Kafka offset only)",
      verdict: "broken",
      why: "a crash after the read model committed and before Kafka recorded the offset hands the batch to the next instance, which applies it again: 150 becomes 200",
    },
    {
      guarantee: "survives-crash",
      step,
      design: "idempotent projection (position in the same transaction)",
      verdict: "holds",
      why: "the position is committed with the change, so the redelivered batch is recognised and skipped: nothing lost, nothing applied twice",
    },
    {
      guarantee: "downstream-sees-every-change",
      step,
      design: "idempotent projection (position in the same transaction)",
      verdict: "holds",
      why: "every event is applied once — or, when the read models cannot take it (money for an account never opened), kept aside with its reason like every record that is not an event: records in = applied + kept aside, nothing vanishes, and the partition never stalls",
    },
    {
      guarantee: "full-history",
      step,
      design: "transaction list read model",
      verdict: "holds",
      why: "the transaction list keeps every deposit and withdrawal with its time and the balance after it: the balance at a past moment, and why, is a query",
    },
    {
      guarantee: "no-lost-updates",
      step,
      design: "asynchronous projection",
      verdict: "n/a",
      why: "writes are step 05's processor, unchanged (one writer per partition); a read model has one writer too, the projection that owns the partition",
    },
    {
      guarantee: "invariants-under-concurrency",
      step,
      design: "asynchronous projection",
      verdict: "n/a",
      why: "decisions stay with step 05's processor, which folds the log; a read model is never used to decide — a stale one would accept an overdraft",
    },
    {
      guarantee: "new-read-model-without-downtime",
      step,
      design: "asynchronous projection",
      verdict: "n/a",
      why: "a new projection starts a new group from the first event; how long that takes, and how to switch without downtime, is 07-replay",
    },
    {
      guarantee: "mistakes-corrected-without-rewriting-history",
      step,
      design: "asynchronous projection",
      verdict: "n/a",
      why: "the wallet has no correction yet; compensating events, and read models that follow them, are 08-errors-forever",
    },
    {
      guarantee: "independent-schema-evolution",
      step,
      design: "asynchronous projection",
      verdict: "n/a",
      why: "only version 1 events exist (a version 2 record is kept aside as malformed); upcasting old events when read is 08-errors-forever",
    },
    {
      guarantee: "exactly-once-effect",
      step,
      design: "idempotent projection",
      verdict: "n/a",
      why: "the projection applies each event once (survives-crash); a command sent twice by a retrying client is the subject of 09-exactly-once",
    },
    {
      guarantee: "atomic-across-entities",
      step,
      design: "read models",
      verdict: "n/a",
      why: "no transfer in this step: 10-transfers",
    },
    {
      guarantee: "acknowledged-writes-survive-server-loss",
      step,
      design: "one broker, replication factor 1",
      verdict: "n/a",
      why: "read models are rebuilt from the log, so they are as durable as the log: one copy here (the loss of a server is not tested in this kit yet)",
    },
  ],
};
