/** Checks of the given story generator and progress line (they pass from the start, no service). */
import { foldEvents } from "../src/domain.ts";
import { extrapolate, ProgressBar } from "#kit/progress-bar";
import { storyEvents, storyRecord } from "#kit/replay-story";
import { parseEvent } from "../src/envelope.ts";
import { describe, expect, test } from "#kit/testing";

describe("the seeded story", () => {
  test("GIVEN the same options WHEN the story is written twice THEN the events are the same; another seed gives others", () => {
    const once = [...storyEvents({ count: 500, accounts: 10, seed: 3 })];

    expect([...storyEvents({ count: 500, accounts: 10, seed: 3 })]).toEqual(once);
    expect([...storyEvents({ count: 500, accounts: 10, seed: 4 })]).not.toEqual(once);
  });

  test("GIVEN 5,000 events over 50 accounts THEN every account is opened before it is used, no balance ever goes below zero, and times rise over 24 months", () => {
    const events = [...storyEvents({ count: 5_000, accounts: 50 })];

    expect(events.slice(0, 50).every((event) => event.type === "AccountOpened")).toBe(true);
    expect(events.slice(50).some((event) => event.type === "AccountOpened")).toBe(false);
    const running = new Map<string, number>();
    for (const event of events) {
      if (event.type === "AccountOpened") continue;
      const balance = (running.get(event.data.accountId) ?? 0) + (event.type === "MoneyDeposited" ? event.data.amount : -event.data.amount);
      expect(balance, event.metadata.eventId).toBeGreaterThanOrEqual(0);
      running.set(event.data.accountId, balance);
    }
    expect(events.filter((event) => event.type === "MoneyWithdrawn").length).toBeGreaterThan(1_000);
    const times = events.map((event) => event.metadata.occurredAt);
    expect([...times].sort()).toEqual(times);
    expect(new Set(times.map((time) => time.slice(0, 7))).size).toBe(24);
    expect(foldEvents(events.filter((event) => event.data.accountId === "a0-7"))).toMatchObject({ status: "open", balance: running.get("a0-7") });
  });

  test("GIVEN the kit's story (npm run seed writes it) WHEN each record is read with this step's parseEvent THEN it is the same event: the two agree on the envelope", () => {
    const events = [...storyEvents({ count: 300, accounts: 5 })];

    expect(events.map((event) => parseEvent(storyRecord(event).value))).toEqual(events);
    expect(new Set(events.map((event) => event.type))).toEqual(new Set(["AccountOpened", "MoneyDeposited", "MoneyWithdrawn"]));
  });

  test("GIVEN a second generation WHEN written THEN its accounts and event ids are new", () => {
    const first = [...storyEvents({ count: 20, accounts: 2 })];
    const second = [...storyEvents({ count: 20, accounts: 2, generation: 1 })];

    expect(new Set(second.map((event) => event.data.accountId))).toEqual(new Set(["a1-0", "a1-1"]));
    expect(second.some((event) => first.some((earlier) => earlier.metadata.eventId === event.metadata.eventId))).toBe(false);
  });
});

describe("the progress line", () => {
  test("GIVEN 50,000 events a second WHEN extrapolated THEN 100 million events take about 0.6 hours", () => {
    expect(extrapolate(50_000)).toBe("at this rate 100 million events take about 0.6 hours");
    expect(extrapolate(1_000)).toBe("at this rate 100 million events take about 28 hours");
  });

  test("GIVEN a replay that read nothing WHEN its rate of 0 is extrapolated THEN it says there is no rate, not that 100 million events take no time", () => {
    expect(extrapolate(0)).toBe("nothing read, no rate");
    expect(extrapolate(Number.NaN)).toBe("nothing read, no rate");
  });

  test("GIVEN output that is not a terminal WHEN 100 items advance one by one THEN it writes one line per tenth, not one per item", () => {
    const lines: string[] = [];
    const bar = new ProgressBar("rebuild", 100, { isTTY: false, write: (text) => lines.push(text) });

    for (let i = 0; i < 100; i++) bar.advance(1);

    expect(lines).toHaveLength(10);
    expect(lines[9]).toMatch(/^rebuild \[#{30}\] 100%  100\/100  [\d,]+ events\/s\n$/);
  });
});
