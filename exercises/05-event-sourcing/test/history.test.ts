/**
 * Task 3: the questions step 01's table could not answer — what was the balance at a past
 * moment, and why — answered from the events topic.
 */
import type { WalletEvent } from "../src/domain.ts";
import { envelop, type Stamp } from "../src/envelope.ts";
import { appendEvents } from "../src/event-log.ts";
import { balanceAt } from "../src/history.ts";
import { describe, expect, proves, task } from "#kit/testing";
import { readLog, test } from "./helpers.ts";
import { deposited, opened, withdrawn } from "./story.ts";

/** A clock that says what the test tells it, and ids in order: the same events on every run. */
function fixedStamp(): Stamp & { at(time: string): void } {
  let now = new Date(0);
  let next = 0;
  return { now: () => now, newId: () => `event-${++next}`, at: (time) => void (now = new Date(time)) };
}

const at = (time: string) => new Date(time);

describe(task(3, "the balance at any past time"), () => {
  test(
    "GIVEN alice's events on the log WHEN we ask her balance at past moments THEN each is answered, with the events that explain it",
    proves("full-history", "event log", "holds"),
    async ({ kafka, stopWhenDone }) => {
      const topic = await kafka.topic("events");
      const producer = await kafka.producer();
      const stamp = fixedStamp();
      const story: Array<[string, WalletEvent]> = [
        ["2026-03-02T09:00:00.000Z", opened("alice")],
        ["2026-03-02T10:00:00.000Z", deposited("alice", 100)],
        ["2026-03-02T11:00:00.000Z", deposited("alice", 50)],
        ["2026-03-02T12:00:00.000Z", withdrawn("alice", 30)],
      ];
      for (const [time, event] of story) {
        stamp.at(time);
        await appendEvents(producer, topic, envelop([event], { accountId: "alice", causationId: `command-at-${time}`, stamp }));
      }

      // A new reader, as any service would read the log: everything is still there.
      const history = (await readLog({ kafka, stopWhenDone }, topic)).eventsOf("alice");
      expect(history).toHaveLength(4);

      expect(balanceAt(history, at("2026-03-02T08:59:59.999Z"))).toEqual({ balance: 0, open: false, because: [] });
      expect(balanceAt(history, at("2026-03-02T09:30:00.000Z"))).toMatchObject({ balance: 0, open: true });
      // "What was it before the last deposit?" — step 01 had no answer.
      expect(balanceAt(history, at("2026-03-02T10:59:59.999Z")).balance).toBe(100);
      // An event counts from the very moment it happened.
      expect(balanceAt(history, at("2026-03-02T11:00:00.000Z")).balance).toBe(150);
      // "Why is it 120?" — the events, with when and how much.
      const now = balanceAt(history, at("2026-03-03T00:00:00.000Z"));
      expect(now.balance).toBe(120);
      expect(now.because.map((event) => [event.metadata.occurredAt, event.type, "amount" in event.data ? event.data.amount : null])).toEqual([
        ["2026-03-02T09:00:00.000Z", "AccountOpened", null],
        ["2026-03-02T10:00:00.000Z", "MoneyDeposited", 100],
        ["2026-03-02T11:00:00.000Z", "MoneyDeposited", 50],
        ["2026-03-02T12:00:00.000Z", "MoneyWithdrawn", 30],
      ]);
    },
  );

  test("GIVEN a history WHEN asked at a moment between two events THEN only the events up to that moment are the reason", () => {
    const stamp = fixedStamp();
    const history = [opened("bob"), deposited("bob", 500), withdrawn("bob", 200)].map((event, index) => {
      stamp.at(`2026-01-0${index + 1}T00:00:00.000Z`);
      const [envelope] = envelop([event], { accountId: "bob", causationId: `c-${index}`, stamp });
      return envelope!;
    });

    const onTheSecond = balanceAt(history, at("2026-01-02T12:00:00.000Z"));

    expect(onTheSecond.balance).toBe(500);
    expect(onTheSecond.because.map((event) => event.metadata.eventId)).toEqual(["event-1", "event-2"]);
  });
});
