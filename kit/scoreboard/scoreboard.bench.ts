/**
 * The scoreboard: the ceilings, then every architecture that ships an adapter, one after
 * another on the same workload; the run is kept in kit/.state/scoreboard/ (not npm test's small
 * run) and `npm run bench` prints it. Figures are never asserted: what is checked is that each architecture produced
 * every figure it promised and that the wallet was right (every read the expected balance,
 * every final balance the workload's).
 */
import { afterAll } from "vitest";
import { expect, stopAllWhenDone, test as kitTest, type Stoppable } from "../lib/testing.ts";
import { adapterPaths, loadAdapter } from "./adapters.ts";
import { measureCeilings, type Ceiling } from "./ceilings.ts";
import { crashCost } from "./crash.ts";
import { currentLoad, describeMachine, saveRun, type ArchitectureResult } from "./record.ts";
import { measureArchitecture, measures, scoreboardSize } from "./run.ts";

const test = kitTest.extend<{ stopWhenDone: (thing: Stoppable) => void }>({
  stopWhenDone: async ({ kafka, db }, use) => {
    void kafka;
    void db;
    await stopAllWhenDone(use);
  },
});

const size = scoreboardSize();
const loadAtStart = currentLoad();
const startedAt = new Date().toISOString();
const adapters = await Promise.all(adapterPaths().map(loadAdapter));
let ceilings: Ceiling[] = [];
const architectures: ArchitectureResult[] = [];

test("the ceilings: raw round trips to Postgres, Redis and Kafka", async ({ db, redis, kafka, stopWhenDone }) => {
  ceilings = await measureCeilings({ db, redis, kafka, stopWhenDone }, size);
  expect(ceilings.every((ceiling) => Number.isFinite(ceiling.value) && ceiling.value > 0)).toBe(true);
});

test.for(adapters.map((adapter) => [adapter.step, adapter] as const))("the wallet workload on %s", async ([, adapter], { db, redis, kafka, stopWhenDone }) => {
  const row: ArchitectureResult = {
    step: adapter.step,
    architecture: adapter.architecture,
    path: adapter.path,
    figures: Object.fromEntries(measures.map((measure) => [measure, { missing: "the run failed" }])) as ArchitectureResult["figures"],
    crash: crashCost(adapter.step, adapter.crashDesign),
  };
  architectures.push(row);
  try {
    const wallet = await adapter.start({ db, redis, kafka, stopWhenDone });
    const measured = await measureArchitecture(wallet, size);
    row.figures = measured.figures;
    row.counts = measured.counts;
  } catch (error) {
    row.failure = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    throw error;
  }
  // Every figure the scoreboard promises, a number; and a wallet that was right while measured.
  expect(measures.filter((measure) => !("value" in row.figures[measure] && Number.isFinite((row.figures[measure] as { value: number }).value)))).toEqual([]);
  expect(row.counts!.wrongReads).toBe(0);
  expect(row.counts!.wrongFinalBalances).toBe(0);
  expect(row.crash.verdict).not.toBe("undeclared");
});

afterAll(() => {
  // npm test's small run is a check that nothing rotted, not a measurement: it must not replace the figures the hub and the deck show.
  if (size.mode === "smoke" || (ceilings.length === 0 && architectures.length === 0)) return;
  saveRun({ kind: "run", at: startedAt, machine: describeMachine(loadAtStart), size, ceilings, architectures });
});
