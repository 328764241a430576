/** Task 1: the monthly statements fold, as pure functions — no service. */
import { foldBalances } from "../src/balances.ts";
import type { WalletEvent } from "../src/domain.ts";
import type { EventEnvelope } from "../src/envelope.ts";
import { foldStatements, nextStatement, type Statement } from "../src/statements.ts";
import { storyEvents } from "#kit/replay-story";
import { describe, expect, task, test } from "#kit/testing";

let ids = 0;

/** An event of alice's at a time: the envelope the log would hold. */
function at(occurredAt: string, event: WalletEvent): EventEnvelope {
  const id = `e-${++ids}`;
  return { ...event, metadata: { eventId: id, accountId: event.data.accountId, occurredAt, schemaVersion: 1, causationId: id, correlationId: id } };
}

const opened = (time: string) => at(time, { type: "AccountOpened", data: { accountId: "alice" } });
const deposited = (time: string, amount: number) => at(time, { type: "MoneyDeposited", data: { accountId: "alice", amount } });
const withdrawn = (time: string, amount: number) => at(time, { type: "MoneyWithdrawn", data: { accountId: "alice", amount } });

const statement = (month: string, opening: number, deposits: number, withdrawals: number, count: number): Statement => ({
  accountId: "alice",
  month,
  opening,
  deposits,
  withdrawals,
  closing: opening + deposits - withdrawals,
  count,
});

describe(task(1, "fold events into monthly statements"), () => {
  test("GIVEN alice's account is opened in March WHEN folded THEN she has one March statement, with nothing in it", () => {
    expect(nextStatement(undefined, opened("2026-03-02T09:00:00.000Z"))).toEqual(statement("2026-03", 0, 0, 0, 0));
  });

  test("GIVEN deposits of 100 and 50 and a withdrawal of 30 in March THEN March shows 150 in, 30 out, 120 at the close, three movements", () => {
    const events = [opened("2026-03-02T09:00:00.000Z"), deposited("2026-03-02T10:00:00.000Z", 100), deposited("2026-03-15T10:00:00.000Z", 50), withdrawn("2026-03-31T23:59:59.999Z", 30)];

    expect(foldStatements(events)).toEqual([statement("2026-03", 0, 150, 30, 3)]);
  });

  test("GIVEN activity in January and March and none in February THEN March opens at January's closing balance, and there is no February statement", () => {
    const events = [opened("2026-01-05T00:00:00.000Z"), deposited("2026-01-06T00:00:00.000Z", 500), withdrawn("2026-01-20T00:00:00.000Z", 120), deposited("2026-03-01T00:00:00.000Z", 10)];

    expect(foldStatements(events)).toEqual([statement("2026-01", 0, 500, 120, 2), statement("2026-03", 380, 10, 0, 1)]);
  });

  test("GIVEN an event stamped in February arrives after March's first event (a late clock) WHEN folded THEN it counts in March: a closed month is never reopened", () => {
    const events = [opened("2026-02-01T00:00:00.000Z"), deposited("2026-03-01T00:00:00.000Z", 100), withdrawn("2026-02-28T23:00:00.000Z", 40)];

    expect(foldStatements(events)).toEqual([statement("2026-02", 0, 0, 0, 0), statement("2026-03", 0, 100, 40, 2)]);
  });

  test("GIVEN the latest statement WHEN the next event is folded THEN the statement given is left as it was", () => {
    const latest = nextStatement(undefined, opened("2026-03-02T09:00:00.000Z"));
    const before = structuredClone(latest);

    nextStatement(latest, deposited("2026-03-03T09:00:00.000Z", 70));
    nextStatement(latest, deposited("2026-04-03T09:00:00.000Z", 70));

    expect(latest).toEqual(before);
  });

  test("GIVEN the seeded story of 2,000 events over 24 months WHEN folded THEN every month opens at the previous closing and the last closings are the balances", () => {
    const events = [...storyEvents({ count: 2_000, accounts: 20 })];

    const statements = foldStatements(events);

    const movements = events.filter((event) => event.type !== "AccountOpened").length;
    expect(statements.reduce((sum, s) => sum + s.count, 0)).toBe(movements);
    const lastClosing: Record<string, number> = {};
    for (const s of statements) {
      expect(s.closing, `${s.accountId} ${s.month}`).toBe(s.opening + s.deposits - s.withdrawals);
      expect(s.opening, `${s.accountId} ${s.month}`).toBe(lastClosing[s.accountId] ?? 0);
      lastClosing[s.accountId] = s.closing;
    }
    expect(lastClosing).toEqual(foldBalances(events));
    // Twenty accounts, about two dozen months each: the model needs the whole history.
    expect(new Set(statements.map((s) => s.month)).size).toBe(24);
  });
});
