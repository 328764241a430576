/** Column 03-microservices: a second service learns the wallet's changes (exercises/03-microservices). */
import type { Column } from "../types.ts";

const step = "03-microservices";

export const microservicesColumn: Column = {
  step,
  cells: [
    {
      guarantee: "downstream-sees-every-change",
      step,
      design: "dual write: commit, then publish",
      verdict: "broken",
      why: "a crash after the commit and before the publish: 10 deposits committed, 9 seen downstream — the event is lost for good",
    },
    {
      guarantee: "downstream-sees-every-change",
      step,
      design: "dual write: publish, then commit",
      verdict: "broken",
      why: "a crash after the publish rolls the deposit back: 9 deposits committed, 10 seen downstream — a phantom event",
    },
    {
      guarantee: "downstream-sees-every-change",
      step,
      design: "transactional outbox",
      verdict: "holds",
      why: "the event row commits or rolls back with the change; the relay publishes committed rows only, and every one of them",
    },
    {
      guarantee: "survives-crash",
      step,
      design: "at-least-once delivery, consumer without deduplication",
      verdict: "broken",
      why: "a relay that crashes between publishing and marking sends the batch again; a consumer that applies every delivery counts it twice",
    },
    {
      guarantee: "survives-crash",
      step,
      design: "outbox relay + deduplicating consumer",
      verdict: "holds",
      why: "a relay crash re-publishes (14 messages for 10 deposits); the consumer records event ids in the same transaction as its lines and applies each once",
    },
    {
      guarantee: "independent-schema-evolution",
      step,
      design: "shared database",
      verdict: "broken",
      why: "the reader queries the wallet's table: a renamed column breaks it, a new currency column makes it silently wrong",
    },
    {
      guarantee: "independent-schema-evolution",
      step,
      design: "events as the contract (outbox)",
      verdict: "holds",
      why: "the reader sees only the events: the wallet renames its column, keeps writing the same events, and the reader never notices",
    },
    {
      guarantee: "no-lost-updates",
      step,
      design: "transactional outbox",
      verdict: "n/a",
      why: "the wallet's writes are step 01's atomic updates, unchanged; this step is about what leaves the database",
    },
    {
      guarantee: "invariants-under-concurrency",
      step,
      design: "transactional outbox",
      verdict: "n/a",
      why: "the no-overdraft check is step 01's conditional update, unchanged; a refused withdrawal writes no event",
    },
    {
      guarantee: "read-your-writes",
      step,
      design: "transactional outbox",
      verdict: "n/a",
      why: "the wallet still answers from its own table; how long a downstream copy lags its writer is measured in 06-projections",
    },
    {
      guarantee: "bounded-staleness",
      step,
      design: "transactional outbox",
      verdict: "n/a",
      why: "downstream lags by the relay's poll and Kafka's delivery, with no bound while the relay is down; measured in 06-projections",
    },
    {
      guarantee: "full-history",
      step,
      design: "transactional outbox",
      verdict: "n/a",
      why: "the events leave the wallet, but the wallet's table still forgets; a history built from the events is 05-event-sourcing",
    },
    {
      guarantee: "new-read-model-without-downtime",
      step,
      design: "transactional outbox",
      verdict: "n/a",
      why: "a new service only sees what the topic still retains; replaying history into a new read model is 07-replay",
    },
    {
      guarantee: "mistakes-corrected-without-rewriting-history",
      step,
      design: "transactional outbox",
      verdict: "n/a",
      why: "correcting the wallet is still an UPDATE (01); events that already left cannot be recalled, which is 08-errors-forever",
    },
    {
      guarantee: "exactly-once-effect",
      step,
      design: "outbox and relay",
      verdict: "n/a",
      why: "the outbox delivers at least once and the consumer deduplicates (see downstream-sees-every-change); commands from a retrying client arrive in 09-exactly-once",
    },
    {
      guarantee: "atomic-across-entities",
      step,
      design: "outbox and relay",
      verdict: "n/a",
      why: "no transfer in this step: a change to two accounts arrives in 10-transfers",
    },
    {
      guarantee: "acknowledged-writes-survive-server-loss",
      step,
      design: "one broker, replication factor 1",
      verdict: "n/a",
      why: "the kit's single broker keeps one copy, in its page cache: the loss of that server is not tested in this kit yet",
    },
  ],
};
