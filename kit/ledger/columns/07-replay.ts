/** Column 07-replay: rebuilding read models from the log (exercises/07-replay). */
import type { Column } from "../types.ts";

const step = "07-replay";

export const replayColumn: Column = {
  step,
  cells: [
    {
      guarantee: "new-read-model-without-downtime",
      step,
      design: "rebuild in place",
      verdict: "broken",
      why: "emptying the live table and replaying into it shows readers a half-built model — at every chunk, exactly the events replayed so far — until the replay ends",
    },
    {
      guarantee: "new-read-model-without-downtime",
      step,
      design: "blue/green switch",
      verdict: "holds",
      why: "the new table is built beside the live one and the view moves to it in one transaction, only once it stands exactly at the head of the log (neither behind it nor past it, built from another log): every query gets a complete model",
    },
    {
      guarantee: "survives-crash",
      step,
      design: "replay with positions in the same transaction",
      verdict: "holds",
      why: "each chunk writes the model and its position in one transaction: a replay that crashes mid-chunk rolls both back, and the restart reads on from the last committed position",
    },
    {
      guarantee: "no-lost-updates",
      step,
      design: "replay",
      verdict: "n/a",
      why: "a replay has one writer per partition and per table; concurrent writers are steps 01 and 05",
    },
    {
      guarantee: "read-your-writes",
      step,
      design: "replay",
      verdict: "n/a",
      why: "a rebuild serves no command's caller; waiting for a position is 06-projections",
    },
    {
      guarantee: "bounded-staleness",
      step,
      design: "replay",
      verdict: "n/a",
      why: "a rebuild is behind by the whole log until it ends: its duration is measured (npm run bench 07), not bounded; a live projection's lag is 06-projections",
    },
    {
      guarantee: "full-history",
      step,
      design: "replay",
      verdict: "n/a",
      why: "the history is the log's (05-event-sourcing); this step reads it all, and measures what that costs",
    },
    {
      guarantee: "downstream-sees-every-change",
      step,
      design: "replay",
      verdict: "n/a",
      why: "no downstream service here; a rebuild is a consumer that reads everything again",
    },
    {
      guarantee: "invariants-under-concurrency",
      step,
      design: "replay",
      verdict: "n/a",
      why: "a replay decides nothing: it folds events that were already decided (05-event-sourcing)",
    },
    {
      guarantee: "mistakes-corrected-without-rewriting-history",
      step,
      design: "replay",
      verdict: "n/a",
      why: "a rebuild replays mistakes along with everything else; correcting them is 08-errors-forever",
    },
    {
      guarantee: "independent-schema-evolution",
      step,
      design: "replay",
      verdict: "n/a",
      why: "a new version of a read model is built beside the old one here, but the event schema does not change; upcasting is 08-errors-forever",
    },
    {
      guarantee: "exactly-once-effect",
      step,
      design: "rebuild",
      verdict: "n/a",
      why: "a rebuild folds what is already in the log: it takes no commands",
    },
    {
      guarantee: "atomic-across-entities",
      step,
      design: "rebuild",
      verdict: "n/a",
      why: "no transfer in this step: 10-transfers",
    },
    {
      guarantee: "acknowledged-writes-survive-server-loss",
      step,
      design: "one broker, replication factor 1",
      verdict: "n/a",
      why: "a rebuild can only replay what the log kept: one copy here (the loss of a server is not tested in this kit yet)",
    },
  ],
};
