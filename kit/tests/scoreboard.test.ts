/**
 * The scoreboard's pure parts: the workload is the same on every run and never asks for a
 * refusal; every adapter names its own step and a crash cell its ledger declares; the
 * checked-in reference run is a whole run (every figure, every ceiling, its machine); and the
 * page and slide say whose figures they show. The measuring itself runs in
 * kit/scoreboard/scoreboard.bench.ts (npm test runs it at a small size, npm run bench in full).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { walletWorkload } from "../lib/scoreboard.ts";
import { cells } from "../ledger/guarantees.ts";
import { rootDir } from "../harness/paths.ts";
import { adapterPaths } from "../scoreboard/adapters.ts";
import { ceilingIds } from "../scoreboard/ceilings.ts";
import { formatScoreboard } from "../scoreboard/format.ts";
import { readRun, readRunFile, referenceScoreboard, saveRun, scoreboardToShow, type ScoreboardRun } from "../scoreboard/record.ts";
import { measures, scoreboardSize } from "../scoreboard/run.ts";
import { scoreboardPage } from "../hub/pages.ts";
import { barChart, scoreboardCharts, scoreboardSlide } from "../hub/scoreboard-view.ts";

describe("the wallet workload", () => {
  const shape = scoreboardSize("full").workload;

  test("GIVEN one shape WHEN made twice THEN the same operations, in the same order", () => {
    expect(walletWorkload(shape).operations).toEqual(walletWorkload(shape).operations);
    expect(walletWorkload(shape).operations).toHaveLength(shape.accounts + shape.operations);
  });

  test("GIVEN the workload WHEN folded THEN no withdrawal overdraws, every read expects the running balance, and the final balances are its own", () => {
    const workload = walletWorkload(shape);
    const balances = new Map<string, number>();
    for (const operation of workload.operations) {
      const before = balances.get(operation.accountId) ?? 0;
      const after = operation.kind === "deposit" ? before + operation.amount : operation.kind === "withdraw" ? before - operation.amount : before;
      expect(after).toBeGreaterThanOrEqual(0);
      expect(operation.balanceAfter).toBe(after);
      balances.set(operation.accountId, after);
    }
    expect(balances).toEqual(workload.finalBalances);
    const kinds = new Set(workload.operations.map((operation) => operation.kind));
    expect([...kinds].sort()).toEqual(["balance", "deposit", "open", "withdraw"]);
  });
});

describe("the adapters", () => {
  const files = adapterPaths();

  test("GIVEN the steps WHEN the scoreboard looks for adapters THEN it finds the seven architectures that serve the workload", () => {
    expect(files.map((file) => file.split(path.sep)[1])).toEqual(["01-crud", "02-cache", "03-microservices", "05-event-sourcing", "06-projections", "09-exactly-once", "10-transfers"]);
  });

  test.for(files)("GIVEN %s WHEN read THEN it names its own step and a survives-crash cell of that step's ledger column", (file) => {
    const source = readFileSync(path.join(rootDir, file), "utf8");
    const step = /\bstep: "([^"]+)"/.exec(source)?.[1];
    const design = /\bcrashDesign: "([^"]+)"/.exec(source)?.[1];
    expect(step).toBe(file.split(path.sep)[1]);
    expect(cells.filter((cell) => cell.guarantee === "survives-crash" && cell.step === step).map((cell) => cell.design)).toContain(design);
  });
});

describe("the reference run", () => {
  const reference = readRun(referenceScoreboard);

  test("GIVEN kit/scoreboard/reference.json WHEN read THEN it is a whole run, marked as the reference, with its machine, date and size", () => {
    expect(reference).toBeDefined();
    const run = reference!;
    expect(run.kind).toBe("reference");
    expect(run.machine.line).toMatch(/cores/);
    expect(Number.isNaN(Date.parse(run.at))).toBe(false);
    expect(run.size.mode).toBe("full");
    expect(run.ceilings.map((ceiling) => ceiling.id).sort()).toEqual([...ceilingIds].sort());
    for (const row of run.architectures) {
      expect(row.failure, row.step).toBeUndefined();
      expect(measures.filter((measure) => !("value" in row.figures[measure])), row.step).toEqual([]);
      expect(row.counts, row.step).toMatchObject({ wrongReads: 0, wrongFinalBalances: 0 });
    }
    expect(run.architectures.map((row) => row.step)).toEqual(adapterPaths().map((file) => file.split(path.sep)[1]));
  });

  test("GIVEN the reference run WHEN shown THEN the page, the slide and the table say it is the reference", () => {
    expect(scoreboardPage({ run: reference! })).toContain("Reference figures");
    expect(scoreboardSlide({ run: reference! })).toContain("Reference figures");
    expect(formatScoreboard(reference!)).toContain("the kit's reference run");
    expect(scoreboardSlide(undefined)).toContain("npm run bench -- --quick");
  });
});

describe("a run file that does not read", () => {
  const folder = mkdtempSync(path.join(os.tmpdir(), "kit-scoreboard-"));
  const latest = path.join(folder, "latest.json");
  const referenceText = readFileSync(referenceScoreboard, "utf8");
  const shownAs = path.relative(rootDir, latest);

  test.for([
    ["{}", "not a scoreboard run: kind: Invalid option: expected one of \"run\"|\"reference\""],
    ["[]", "not a scoreboard run: Invalid input: expected object, received array"],
    ['{"kind":"run","at":"x"}', "not a scoreboard run: at: `at` is not a date"],
    [referenceText.slice(0, 500), "not valid JSON"],
    ["", "empty"],
  ])("GIVEN latest.json holding %s WHEN read THEN it is unreadable, and the page and the slide say so and why, instead of the reference", ([text, reason]) => {
    writeFileSync(latest, text!);
    expect(readRunFile(latest)).toEqual({ file: latest, unreadable: reason });
    const shown = scoreboardToShow(latest);
    expect(shown).toEqual({ which: "latest", file: shownAs, unreadable: reason });
    const sentence = `The latest run at ${shownAs} is unreadable (${reason})`.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll('"', "&quot;");
    for (const html of [scoreboardPage(shown), scoreboardSlide(shown)]) {
      expect(html).toContain(sentence);
      expect(html).not.toContain("Reference figures");
    }
  });

  test("GIVEN a run saved WHEN read back THEN it is the same run, and no temporary file is left beside it", () => {
    const run = { ...readRun(referenceScoreboard)!, kind: "run" as const, at: "2026-12-07T18:00:00.000Z" };
    const file = saveRun(run, folder);
    expect(readRun(file)).toEqual(run);
    expect(readRun(latest)).toEqual(run);
    expect(readdirSync(folder).sort()).toEqual(["latest.json", "runs"]);
    expect(readdirSync(path.join(folder, "runs"))).toEqual(["2026-12-07T18-00-00.000Z-full.json"]);
  });

  afterAll(() => rmSync(folder, { recursive: true, force: true }));
});

describe("the charts", () => {
  const run: ScoreboardRun = {
    kind: "run",
    at: "2026-12-07T17:00:00.000Z",
    machine: { line: "2 cores (test), 1 GiB, linux x64, Node v20", cores: 2, loadAtStart: 1, loadAtEnd: 1 },
    size: scoreboardSize("quick"),
    ceilings: [{ id: "redisGet", label: "Redis GET", chart: "latency", value: 0.2, unit: "ms" }],
    architectures: [],
  };

  test("GIVEN bars with a zero and a missing figure WHEN drawn THEN each bar, the ceiling line, and the zero and the reason are written out", () => {
    const svg = barChart({
      title: "t",
      unit: "ms",
      series: ["a"],
      groups: [
        { label: "one", bars: [{ series: 0, figure: { value: 12, unit: "ms" } }] },
        { label: "two", bars: [{ series: 0, figure: { value: 0, unit: "ms" } }] },
        { label: "three", bars: [{ series: 0, figure: { missing: "cannot say" } }] },
      ],
      lines: [{ label: "Redis GET", value: 0.2, unit: "ms" }],
    });
    expect(svg.match(/<rect class="sb-bar sb-series-0" x=/g)).toHaveLength(1 + 1); // one bar, one legend swatch
    expect(svg.match(/<line class="sb-ceiling /g)).toHaveLength(1);
    expect(svg).toContain(">0</text>");
    expect(svg).toContain(">cannot say</text>");
    expect(svg).not.toMatch(/<script|href=/);
  });

  test("GIVEN throughput ceilings in writes/s and records/s WHEN drawn THEN each line is labelled in its own unit", () => {
    const charts = scoreboardCharts({
      ...run,
      ceilings: [
        { id: "updateThroughput", label: "Postgres UPDATEs, 4 clients", chart: "throughput", value: 1234, unit: "writes/s" },
        { id: "kafkaConsumeThroughput", label: "kafkajs consume", chart: "throughput", value: 8359, unit: "records/s" },
      ],
    });
    expect(charts.match(/┆ [^<]*/g)).toEqual(["┆ Postgres UPDATEs, 4 clients: 1,234 writes/s", "┆ kafkajs consume: 8,359 records/s"]);
  });

  test("GIVEN a run kept with the trip labelled as the consumer having it WHEN shown THEN it is called a record's trip from the send's call, never a floor", () => {
    const kept: ScoreboardRun = { ...run, ceilings: [{ id: "kafkaEndToEnd", label: "kafkajs send → consumer has it", chart: "staleness", value: 3.5, unit: "ms" }] };
    const trip = "a record's trip, send → consumer (from the send's call): 3.50 ms";
    expect(scoreboardCharts(kept).match(/┆ [^<]*/g)).toEqual([`┆ ${trip}`]);
    expect(formatScoreboard(kept)).toContain(`ceilings, same run: ${trip.replace(": ", " ")}`);
    for (const text of [scoreboardPage({ run: kept }), formatScoreboard(kept)]) {
      expect(text).not.toContain("consumer has it");
      expect(text).not.toMatch(/\bfloor it\b|cannot go below/);
    }
  });

  test("GIVEN a run of this machine WHEN its page is made THEN it says so, and draws three charts", () => {
    const page = scoreboardPage({ run });
    expect(page).toContain("This machine's latest run");
    expect(page.match(/<figure class="sb-chart">/g)).toHaveLength(3);
  });
});
