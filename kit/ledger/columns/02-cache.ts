/** Column 02-cache: Redis cache-aside in front of the wallet of step 01 (exercises/02-cache). */
import type { Column } from "../types.ts";

export const cacheColumn: Column = {
  step: "02-cache",
  cells: [
    {
      guarantee: "no-lost-updates",
      step: "02-cache",
      design: "cache-aside over atomic updates",
      verdict: "holds",
      why: "the cache only copies balances; every write is still step 01's atomic UPDATE in Postgres: 20 concurrent deposits on two services all count",
    },
    {
      guarantee: "read-your-writes",
      step: "02-cache",
      design: "cache-aside",
      verdict: "broken",
      why: "a reader that read 100 before a deposit puts it into the cache after the deposit's delete: the depositor, told 150, reads 100",
    },
    {
      guarantee: "read-your-writes",
      step: "02-cache",
      design: "write-through",
      verdict: "broken",
      why: "putting the new balance after the commit makes the writer's next read a hit, but a stale reader's put, or an older writer's put, can still land after it",
    },
    {
      guarantee: "bounded-staleness",
      step: "02-cache",
      design: "cache-aside without TTL",
      verdict: "broken",
      why: "a copy whose invalidation was lost (or raced) is never removed: it is served until someone deletes it by hand",
    },
    {
      guarantee: "bounded-staleness",
      step: "02-cache",
      design: "cache-aside with TTL",
      verdict: "broken",
      why: "the TTL starts at the put, not at the read: a reader held past a full TTL after the deposit caches the older balance for a whole new TTL",
    },
    {
      guarantee: "invariants-under-concurrency",
      step: "02-cache",
      design: "cache for reads, Postgres for decisions",
      verdict: "holds",
      why: "a withdrawal is decided by the conditional UPDATE in Postgres, never by the cached copy: a stale cache showing 1000 pays out nothing that isn't there",
    },
    {
      guarantee: "survives-crash",
      step: "02-cache",
      design: "cache-aside",
      verdict: "broken",
      why: "a writer whose Redis connection dies between its commit and its delete loses the invalidation: the deposit is committed, yet readers get the old balance until the TTL",
    },
    {
      guarantee: "full-history",
      step: "02-cache",
      design: "cache-aside",
      verdict: "n/a",
      why: "the cache copies the current balance and nothing else: history is as absent as in 01-crud, whose test shows it",
    },
    {
      guarantee: "downstream-sees-every-change",
      step: "02-cache",
      design: "cache-aside",
      verdict: "n/a",
      why: "the only copy is the service's own cache, filled on reads; a second service that must see every change arrives in 03-microservices",
    },
    {
      guarantee: "new-read-model-without-downtime",
      step: "02-cache",
      design: "cache-aside",
      verdict: "n/a",
      why: "the cache is a copy of the one model and fills itself on misses; a model the table cannot answer (the past) still cannot be built",
    },
    {
      guarantee: "mistakes-corrected-without-rewriting-history",
      step: "02-cache",
      design: "cache-aside",
      verdict: "n/a",
      why: "corrections are step 01's UPDATEs, with the same erased trace; the cache adds only that a correction may be read late",
    },
    {
      guarantee: "independent-schema-evolution",
      step: "02-cache",
      design: "cache-aside",
      verdict: "n/a",
      why: "one service owns the table and its cache keys; the coupling appears when a second service reads them (03-microservices)",
    },
  ],
};
