/** Column 11-cluster: three brokers, and what "acknowledged" means (exercises/11-cluster). */
import type { Column } from "../types.ts";

const step = "11-cluster";

export const clusterColumn: Column = {
  step,
  cells: [
    {
      guarantee: "acknowledged-writes-survive-server-loss",
      step,
      design: "one replica (replication factor 1, as the single broker)",
      verdict: "broken",
      why: "100 records acknowledged by the partition's only replica; its broker's disk is wiped and it restarts: it leads an empty partition, all 100 gone. The single broker of steps 03–10 is this, and Kafka does not fsync each write, so even a power cut can do it. (CRUD's one Postgres fsyncs its WAL at commit: it survives a crash of its machine, not the loss of its disk — no test here, one machine is all step 01 has.)",
    },
    {
      guarantee: "acknowledged-writes-survive-server-loss",
      step,
      design: "three brokers, acks -1, min ISR 2",
      verdict: "holds",
      why: "the leader killed after 100 of 200 acknowledgements: all 200 read back, none twice; a wiped follower rejoins and alone serves all 150; with two brokers down, writes are refused (NotEnoughReplicas), not acknowledged and lost",
    },
    {
      guarantee: "acknowledged-writes-survive-server-loss",
      step,
      design: "three brokers, acks 1, unclean election",
      verdict: "broken",
      why: "followers stalled out of the ISR, 50 records acknowledged by the leader alone, the leader killed: a stale follower is elected and the 50 are gone from every broker, also once the old leader is back",
    },
    {
      guarantee: "acknowledged-writes-survive-server-loss",
      step,
      design: "three brokers, acks 1, no unclean election",
      verdict: "holds",
      why: "the same 50 records: the partition has no leader (unavailable) until the old leader returns, then all 150 are there — durability bought with availability",
    },
    {
      guarantee: "no-lost-updates",
      step,
      design: "three brokers, acks -1, min ISR 2",
      verdict: "n/a",
      why: "the cluster changes where the log is kept, not how it is written: appends never overwrite (05-event-sourcing)",
    },
    {
      guarantee: "read-your-writes",
      step,
      design: "three brokers, acks -1, min ISR 2",
      verdict: "n/a",
      why: "no read model here; a reader sees a record once the in-sync replicas have it (the high watermark), which is what acks -1 waits for",
    },
    {
      guarantee: "bounded-staleness",
      step,
      design: "three brokers, acks -1, min ISR 2",
      verdict: "n/a",
      why: "no read model here; projections and their lag are 06-projections",
    },
    {
      guarantee: "full-history",
      step,
      design: "three brokers, acks -1, min ISR 2",
      verdict: "n/a",
      why: "the history is step 05's event log; this step asks whether it survives a server, in the row below",
    },
    {
      guarantee: "downstream-sees-every-change",
      step,
      design: "a consumer group on three brokers (its coordinator killed)",
      verdict: "holds",
      why: "a group commits 50 of 100 records, its coordinator's broker is killed, 50 more are written: a new member resumes at offset 50 on the new coordinator and reads the other 100 — none skipped, none twice",
    },
    {
      guarantee: "invariants-under-concurrency",
      step,
      design: "three brokers, acks -1, min ISR 2",
      verdict: "n/a",
      why: "no new concurrent writer: one writer per partition is 05-event-sourcing's (the wallet here has one processor; its invariants under a broker's death are in the survives-crash row)",
    },
    {
      guarantee: "survives-crash",
      step,
      design: "the wallet's processor on three brokers (a broker killed)",
      verdict: "holds",
      why: "120 deposits and withdrawals, the events topic's leader killed after the 40th append: one event per command, no balance below zero, the balances the commands decide; commands delivered again are recognised by id",
    },
    {
      guarantee: "new-read-model-without-downtime",
      step,
      design: "three brokers, acks -1, min ISR 2",
      verdict: "n/a",
      why: "rebuilding read models is 07-replay",
    },
    {
      guarantee: "mistakes-corrected-without-rewriting-history",
      step,
      design: "three brokers, acks -1, min ISR 2",
      verdict: "n/a",
      why: "corrections are 08-errors-forever; replication copies a mistake to three brokers as faithfully as anything else",
    },
    {
      guarantee: "independent-schema-evolution",
      step,
      design: "three brokers, acks -1, min ISR 2",
      verdict: "n/a",
      why: "schemas are 03-microservices and 08-errors-forever; the cluster carries bytes",
    },
    {
      guarantee: "exactly-once-effect",
      step,
      design: "three brokers, acks -1, min ISR 2",
      verdict: "n/a",
      why: "09-exactly-once; here only the producer's idempotence is used, and the tests count 0 duplicates after a failover",
    },
    {
      guarantee: "atomic-across-entities",
      step,
      design: "three brokers, acks -1, min ISR 2",
      verdict: "n/a",
      why: "no transfer here: 10-transfers",
    },
  ],
};
