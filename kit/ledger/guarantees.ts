/**
 * The guarantee ledger: the one table that ties the workshop together.
 *
 * Rows are guarantees, columns are steps; each cell says whether a design of that step
 * keeps the guarantee, and a test tagged with `proves(guarantee, design, verdict)` proves
 * it. Each step's column lives in `columns/<step>.ts`. `npm test` fails when a declared
 * cell has no passing proof, or a test claims a cell no column declares. `npm run ledger`
 * prints the table.
 */
import { crudColumn } from "./columns/01-crud.ts";
import { cacheColumn } from "./columns/02-cache.ts";
import { microservicesColumn } from "./columns/03-microservices.ts";
import { kafkaColumn } from "./columns/04-kafka.ts";
import { eventSourcingColumn } from "./columns/05-event-sourcing.ts";
import { projectionsColumn } from "./columns/06-projections.ts";
import { replayColumn } from "./columns/07-replay.ts";
import { errorsForeverColumn } from "./columns/08-errors-forever.ts";
import { exactlyOnceColumn } from "./columns/09-exactly-once.ts";
import { transfersColumn } from "./columns/10-transfers.ts";
import type { Cell, Column, Guarantee } from "./types.ts";

export const guarantees: Guarantee[] = [
  { id: "no-lost-updates", title: "No lost updates under concurrent writers" },
  { id: "read-your-writes", title: "Read-your-writes" },
  { id: "bounded-staleness", title: "Bounded staleness of reads" },
  { id: "full-history", title: "Full history (balance at any past time, and why)" },
  { id: "downstream-sees-every-change", title: "Downstream services see every change, none lost and none invented" },
  { id: "invariants-under-concurrency", title: "Invariants hold under concurrency (no overdraft)" },
  { id: "survives-crash", title: "Survives a crashed component without losing or double-applying anything" },
  { id: "new-read-model-without-downtime", title: "A new read model can be added without downtime" },
  { id: "mistakes-corrected-without-rewriting-history", title: "Mistakes can be corrected without rewriting history" },
  { id: "independent-schema-evolution", title: "Services can evolve their schema independently" },
  { id: "exactly-once-effect", title: "Each command takes effect exactly once (an expelled writer and a client's retry included)" },
  { id: "atomic-across-entities", title: "A change across two accounts is atomic" },
  { id: "acknowledged-writes-survive-server-loss", title: "Acknowledged writes survive the loss of a server" },
];

/** The steps that have a column, in order. A step's column lands with the step. */
export const columns: Column[] = [crudColumn, cacheColumn, microservicesColumn, kafkaColumn, eventSourcingColumn, projectionsColumn, replayColumn, errorsForeverColumn, exactlyOnceColumn, transfersColumn];

export const ledgerSteps: string[] = columns.map((column) => column.step);

export const cells: Cell[] = columns.flatMap((column) => column.cells);
