/** Column 08-errors-forever: living with an immutable log (exercises/08-errors-forever). */
import type { Column } from "../types.ts";

const step = "08-errors-forever";

export const errorsForeverColumn: Column = {
  step,
  cells: [
    {
      guarantee: "mistakes-corrected-without-rewriting-history",
      step,
      design: "compensating events",
      verdict: "holds",
      why: "a deposit recorded 100× too large is corrected by a DepositCorrected appended after it: the read model is right again, the history shows the mistake and the correction, and the wrong record is still at its offset, byte for byte",
    },
    {
      guarantee: "mistakes-corrected-without-rewriting-history",
      step,
      design: "deleting the wrong record (DeleteRecords)",
      verdict: "broken",
      why: "Kafka has no call that deletes one record from a partition's middle: DeleteRecords cuts off every record before an offset, so removing alice's wrong deposit also removes bob's opening, and his account can no longer be rebuilt",
    },
    {
      guarantee: "full-history",
      step,
      design: "compensating events",
      verdict: "holds",
      why: "the correction is one more event: folding up to any point still tells the wrong balance alice was shown before it, and the right one after",
    },
    {
      guarantee: "downstream-sees-every-change",
      step,
      design: "projection with a dead-letter topic",
      verdict: "holds",
      why: "none lost without a trace: of 18 different bad records mixed between valid events, each is on the dead-letter topic with its reason, position and bytes, every event the read model accepts is applied, and records in = applied + dead-lettered, exactly. What is parked (some of it events the read model refused) is not in the read model until someone deals with it",
    },
    {
      guarantee: "survives-crash",
      step,
      design: "projection with a dead-letter topic",
      verdict: "holds",
      why: "when the dead-letter send fails, neither the read model's position nor the group's commit moves past the record; the restarted projection dead-letters it once and applies what follows once",
    },
    {
      guarantee: "bounded-staleness",
      step,
      design: "projection that stops on a bad record",
      verdict: "broken",
      why: "a record that fails every time stops its partition: a restart stops on it again, and the events behind it are never applied — the read model falls behind without bound",
    },
    {
      guarantee: "independent-schema-evolution",
      step,
      design: "upcasting on read",
      verdict: "holds",
      why: "version 1 events still on the log are upcast to version 2 when read: a log of both versions replays into the same state as one of version 2 alone, and the old bytes are never rewritten",
    },
    {
      guarantee: "independent-schema-evolution",
      step,
      design: "a reader older than the writer",
      verdict: "broken",
      why: "an event of version 3 from a newer writer is refused by a version 2 reader: readers must be upgraded before writers",
    },
    {
      guarantee: "no-lost-updates",
      step,
      design: "compensating events",
      verdict: "n/a",
      why: "this step changes what is written (corrections, version 2, freezing), not how: the write side is step 05's load-decide-append, one writer per partition",
    },
    {
      guarantee: "invariants-under-concurrency",
      step,
      design: "compensating events",
      verdict: "n/a",
      why: "no new concurrent path: commands are decided one at a time as in step 05; a correction may take a balance below zero on purpose, because it records a fact",
    },
    {
      guarantee: "read-your-writes",
      step,
      design: "projection with a dead-letter topic",
      verdict: "n/a",
      why: "waiting for the command's position is step 06's; the projection here is read only after it has caught up",
    },
    {
      guarantee: "new-read-model-without-downtime",
      step,
      design: "projection with a dead-letter topic",
      verdict: "n/a",
      why: "rebuilding and switching read models is step 07's; note that a new event type (AccountFrozen) means every read model that must show it is changed and replayed",
    },
    {
      guarantee: "exactly-once-effect",
      step,
      design: "compensating events",
      verdict: "n/a",
      why: "corrections are commands applied once by step 05's processor; an expelled writer and a retrying client are forced in 09-exactly-once",
    },
    {
      guarantee: "atomic-across-entities",
      step,
      design: "compensating events",
      verdict: "n/a",
      why: "no transfer in this step: 10-transfers, where a refused credit is compensated by a refund",
    },
    {
      guarantee: "acknowledged-writes-survive-server-loss",
      step,
      design: "one broker, replication factor 1",
      verdict: "n/a",
      why: "a log kept for ever is kept on one broker here: the loss of that server is not tested in this kit yet",
    },
  ],
};
