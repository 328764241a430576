/** Column 01-crud: the wallet as one Postgres table (exercises/01-crud). */
import type { Column } from "../types.ts";

export const crudColumn: Column = {
  step: "01-crud",
  cells: [
    {
      guarantee: "no-lost-updates",
      step: "01-crud",
      design: "naive read-modify-write",
      verdict: "broken",
      why: "two deposits that both read 100 before either writes both write 150: one deposit is overwritten",
    },
    {
      guarantee: "no-lost-updates",
      step: "01-crud",
      design: "atomic update",
      verdict: "holds",
      why: "UPDATE … SET balance = balance + $2 reads and writes under the row lock: concurrent deposits queue and all count",
    },
    {
      guarantee: "invariants-under-concurrency",
      step: "01-crud",
      design: "naive check-then-write",
      verdict: "broken",
      why: "two withdrawals of 80 both check 100 ≥ 80 before either writes: 160 paid out of 100, and CHECK (balance >= 0) sees nothing wrong",
    },
    {
      guarantee: "invariants-under-concurrency",
      step: "01-crud",
      design: "conditional update",
      verdict: "holds",
      why: "UPDATE … WHERE balance >= $2 checks and writes in one statement: exactly the withdrawals the money covers succeed",
    },
    {
      guarantee: "read-your-writes",
      step: "01-crud",
      design: "single database",
      verdict: "holds",
      why: "reads and writes go to the same table: a committed deposit is in the writer's very next read",
    },
    {
      guarantee: "bounded-staleness",
      step: "01-crud",
      design: "single database",
      verdict: "holds",
      why: "there is no copy to lag behind: every read that starts after a commit, on any connection, sees it (staleness zero)",
    },
    {
      guarantee: "full-history",
      step: "01-crud",
      design: "current-state table",
      verdict: "broken",
      why: "each write replaces the balance: neither earlier balances nor the deposits that explain today's are stored anywhere",
    },
    {
      guarantee: "mistakes-corrected-without-rewriting-history",
      step: "01-crud",
      design: "current-state table",
      verdict: "broken",
      why: "correcting a mistaken deposit overwrites it: no trace remains that the account was ever wrong",
    },
    {
      guarantee: "downstream-sees-every-change",
      step: "01-crud",
      design: "single database",
      verdict: "n/a",
      why: "no downstream service yet: nothing leaves the database (a second service arrives in 03-microservices)",
    },
    {
      guarantee: "survives-crash",
      step: "01-crud",
      design: "single database",
      verdict: "n/a",
      why: "one component, one statement per change, committed whole or not at all; crashes between components start with the cache (02) and the dual write (03)",
    },
    {
      guarantee: "new-read-model-without-downtime",
      step: "01-crud",
      design: "current-state table",
      verdict: "n/a",
      why: "the table is the only model; a new view is a query over today's rows, and a view of the past cannot be built at all (see full-history)",
    },
    {
      guarantee: "independent-schema-evolution",
      step: "01-crud",
      design: "single database",
      verdict: "n/a",
      why: "one service owns the one table; the coupling appears when a second service reads it (03-microservices)",
    },
  ],
};
