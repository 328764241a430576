/** The pure parts of #kit/bench: sizes, order statistics, the printed table. */
import { afterEach, describe, expect, test } from "vitest";
import { benchSize, formatReport, perSecond, summarize, summaryRows } from "../lib/bench.ts";

describe("benchSize", () => {
  const saved = process.env.KIT_BENCH;
  afterEach(() => {
    if (saved === undefined) delete process.env.KIT_BENCH;
    else process.env.KIT_BENCH = saved;
  });

  test("GIVEN npm run bench THEN the full size", () => {
    process.env.KIT_BENCH = "full";
    expect(benchSize(1_000_000)).toBe(1_000_000);
  });

  test("GIVEN a smoke run THEN a hundredth, and never zero", () => {
    process.env.KIT_BENCH = "smoke";
    expect(benchSize(1_000_000)).toBe(10_000);
    expect(benchSize(50)).toBe(1);
  });
});

describe("summarize", () => {
  test("GIVEN an odd number of samples THEN the middle one is the median", () => {
    expect(summarize([5, 1, 3])).toMatchObject({ count: 3, min: 1, median: 3, max: 5, mean: 3 });
  });

  test("GIVEN an even number THEN the median is the mean of the middle two", () => {
    expect(summarize([4, 1, 3, 2]).median).toBe(2.5);
  });

  test("GIVEN 100 samples THEN p95 is the 95th smallest (nearest rank)", () => {
    expect(summarize(Array.from({ length: 100 }, (_, i) => 100 - i)).p95).toBe(95);
  });

  test("GIVEN no samples THEN it refuses, instead of answering NaN", () => {
    expect(() => summarize([])).toThrow(RangeError);
  });
});

test("summaryRows names each statistic after the label, median and p95 unless told", () => {
  const summary = summarize([1, 2, 3]);
  expect(summaryRows("reads", summary)).toEqual([
    { label: "reads, median", value: 2, unit: "ms" },
    { label: "reads, p95", value: 3, unit: "ms" },
  ]);
  expect(summaryRows("reads", summary, ["mean"], "µs")).toEqual([{ label: "reads, mean", value: 2, unit: "µs" }]);
});

test("perSecond turns a count and milliseconds into a rate", () => {
  expect(perSecond(500, 250)).toBe(2000);
});

test("formatReport names the step, aligns the figures, and says where they were measured", () => {
  const text = formatReport({
    step: "02-cache",
    title: "reads",
    rows: [
      { label: "without cache", value: 1.2345, unit: "ms" },
      { label: "hits", value: 12000, unit: "" },
    ],
    notes: ["a note"],
    mode: "full",
    machine: "2 cores",
    at: "2026-01-01T00:00:00.000Z",
  });
  expect(text.split("\n")).toEqual([
    "02-cache — reads",
    "  without cache    1.23 ms",
    "  hits           12,000 ",
    "  a note",
    "  on 2 cores",
  ]);
});
