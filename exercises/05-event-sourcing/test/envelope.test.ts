/**
 * Checks of the given event format and event log (they pass from the start): an event
 * survives the round trip through Kafka as it was, and a record that is not an event is
 * skipped with a reason, without stalling the reader.
 */
import { envelop, MalformedEvent, parseEvent, type EventEnvelope, type Stamp } from "../src/envelope.ts";
import { appendEvents } from "../src/event-log.ts";
import { describe, expect, failureOf } from "#kit/testing";
import { readLog, test } from "./helpers.ts";

const stamp: Stamp = { now: () => new Date("2026-03-02T10:00:00.000Z"), newId: () => "event-1" };

function deposit(): EventEnvelope {
  const [event] = envelop([{ type: "MoneyDeposited", data: { accountId: "alice", amount: 100 } }], { accountId: "alice", causationId: "c-1", correlationId: "order-7", stamp });
  return event!;
}

describe("the event envelope", () => {
  test("GIVEN a deposit decided by command c-1 WHEN enveloped THEN it carries its id, time, version, cause and correlation", () => {
    expect(deposit()).toEqual({
      type: "MoneyDeposited",
      data: { accountId: "alice", amount: 100 },
      metadata: { eventId: "event-1", accountId: "alice", occurredAt: "2026-03-02T10:00:00.000Z", schemaVersion: 1, causationId: "c-1", correlationId: "order-7" },
    });
    expect(parseEvent(JSON.stringify(deposit()))).toEqual(deposit());
  });

  test.for<[label: string, mutate: (event: Record<string, unknown>) => unknown, reason: RegExp]>([
    ["an unknown event type", (event) => ({ ...event, type: "MoneyTeleported" }), /unknown event type "MoneyTeleported"/],
    ["schema version 2", (event) => ({ ...event, metadata: { ...(event.metadata as object), schemaVersion: 2 } }), /unsupported schema version 2/],
    ["a negative amount", (event) => ({ ...event, data: { accountId: "alice", amount: -1 } }), /more than zero/],
    ["no event id", (event) => ({ ...event, metadata: { ...(event.metadata as object), eventId: undefined } }), /eventId/],
    ["a time that is not ISO 8601", (event) => ({ ...event, metadata: { ...(event.metadata as object), occurredAt: "yesterday" } }), /occurredAt/],
    ["another account's data", (event) => ({ ...event, data: { accountId: "bob", amount: 100 } }), /not the stream's/],
  ])("GIVEN %s WHEN parsed THEN MalformedEvent says what is wrong", async ([, mutate, reason]) => {
    const raw = JSON.stringify(mutate(deposit() as unknown as Record<string, unknown>));

    const malformed = await failureOf(() => parseEvent(raw), MalformedEvent);

    expect(malformed.reason).toMatch(reason);
    expect(malformed.raw).toBe(raw);
  });

  test("GIVEN text that is not JSON WHEN parsed THEN MalformedEvent: not JSON", async () => {
    expect((await failureOf(() => parseEvent("{oops"), MalformedEvent)).reason).toMatch(/not JSON/);
  });
});

describe("the event log", () => {
  test("GIVEN a bad record between two events WHEN a reader catches up THEN it has both events, in order, and the bad record is kept aside with its position", async ({ kafka, stopWhenDone }) => {
    const topic = await kafka.topic("events");
    const producer = await kafka.producer();
    await appendEvents(producer, topic, envelop([{ type: "AccountOpened", data: { accountId: "alice" } }], { accountId: "alice", causationId: "c-0" }));
    await producer.send({ topic, messages: [{ key: "alice", value: "not an event" }] });
    const position = await appendEvents(producer, topic, [deposit()]);

    const log = await readLog({ kafka, stopWhenDone }, topic);

    expect(position).toEqual({ partition: 0, offset: 2 });
    expect(log.eventsOf("alice").map((event) => [event.type, event.position.offset])).toEqual([["AccountOpened", 0], ["MoneyDeposited", 2]]);
    expect(log.skipped.map((skipped) => [skipped.position.offset, skipped.error.reason])).toEqual([[1, expect.stringMatching(/not JSON/)]]);
  });
});
