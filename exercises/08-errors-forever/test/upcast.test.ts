/**
 * Task 3: step 05 wrote version 1 events — no currency — and they are on the log for good.
 * This step's code folds version 2 only, so a version 1 event is upcast when it is read;
 * the bytes on the log stay version 1.
 */
import { foldEvents } from "../src/domain.ts";
import { envelop, parseEvent, toRecord, type EventEnvelope } from "../src/envelope.ts";
import { EventLogReader } from "../src/event-log.ts";
import { upcast, type EventV1 } from "../src/upcast.ts";
import { describe, expect, proves, task } from "#kit/testing";
import type { Producer } from "#kit/kafka";
import { fixedStamp, readRaw, test } from "./helpers.ts";

const metadata = (eventId: string) => ({
  eventId,
  accountId: "alice",
  occurredAt: "2025-11-03T08:00:00.000Z",
  schemaVersion: 1 as const,
  causationId: `command-${eventId}`,
  correlationId: "conversation-1",
});

/** Alice's story as step 05 wrote it: version 1. */
const storyV1: EventV1[] = [
  { type: "AccountOpened", data: { accountId: "alice" }, metadata: metadata("v1-1") },
  { type: "MoneyDeposited", data: { accountId: "alice", amount: 10_000 }, metadata: metadata("v1-2") },
  { type: "MoneyWithdrawn", data: { accountId: "alice", amount: 2_500 }, metadata: metadata("v1-3") },
];

/** The rest of her story, written by this step's code: version 2. */
function storyV2(): EventEnvelope[] {
  const stamp = fixedStamp("2026-03-02T09:00:00.000Z");
  return [
    ...envelop([{ type: "MoneyDeposited", data: { accountId: "alice", amount: 4_000, currency: "EUR" } }], { accountId: "alice", causationId: "c-4", stamp }),
    ...envelop([{ type: "MoneyWithdrawn", data: { accountId: "alice", amount: 500, currency: "EUR" } }], { accountId: "alice", causationId: "c-5", stamp }),
  ];
}

async function send(producer: Producer, topic: string, values: string[]): Promise<void> {
  await producer.send({ topic, acks: -1, messages: values.map((value) => ({ key: "alice", value })) });
}

describe(task(3, "upcast version 1 events when read"), () => {
  test("GIVEN version 1 events WHEN upcast THEN version 2: the same type, ids, time and cause, and the money in euros", () => {
    expect(storyV1.map(upcast)).toEqual([
      { type: "AccountOpened", data: { accountId: "alice" }, metadata: { ...metadata("v1-1"), schemaVersion: 2 } },
      { type: "MoneyDeposited", data: { accountId: "alice", amount: 10_000, currency: "EUR" }, metadata: { ...metadata("v1-2"), schemaVersion: 2 } },
      { type: "MoneyWithdrawn", data: { accountId: "alice", amount: 2_500, currency: "EUR" }, metadata: { ...metadata("v1-3"), schemaVersion: 2 } },
    ]);
  });

  test("GIVEN a version 1 event WHEN upcast THEN the event it was given is left as it was", () => {
    const original = structuredClone(storyV1[1]!);

    upcast(storyV1[1]!);

    expect(storyV1[1]).toEqual(original);
  });

  test("GIVEN the text of a version 1 deposit, as step 05 wrote it WHEN parsed THEN a version 2 deposit in euros", () => {
    const raw = JSON.stringify(storyV1[1]);

    expect(parseEvent(raw)).toEqual({ type: "MoneyDeposited", data: { accountId: "alice", amount: 10_000, currency: "EUR" }, metadata: { ...metadata("v1-2"), schemaVersion: 2 } });
  });

  test(
    "GIVEN alice's story on the log, its first half in version 1 and the rest in version 2 WHEN a new reader replays it THEN the same state as the story told in version 2 alone, and the version 1 records are untouched",
    proves("independent-schema-evolution", "upcasting on read", "holds"),
    async ({ kafka, stopWhenDone }) => {
      const mixed = await kafka.topic("events-mixed");
      const allV2 = await kafka.topic("events-v2");
      const producer = await kafka.producer();
      const later = storyV2();
      await send(producer, mixed, [...storyV1.map((event) => JSON.stringify(event)), ...later.map((event) => toRecord(event).value)]);
      await send(producer, allV2, [...storyV1.map(upcast), ...later].map((event) => toRecord(event).value));

      const replay = async (topic: string) => {
        const reader = new EventLogReader(kafka.kafka, topic, kafka.groupId(`replay-${topic}`));
        stopWhenDone(reader);
        await reader.start();
        await reader.catchUp();
        return reader;
      };
      const [fromMixed, fromV2] = [await replay(mixed), await replay(allV2)];

      expect(fromMixed.skipped).toEqual([]);
      expect(fromMixed.eventsOf("alice").map((event) => [event.type, event.metadata.schemaVersion, event.data])).toEqual([
        ["AccountOpened", 2, { accountId: "alice" }],
        ["MoneyDeposited", 2, { accountId: "alice", amount: 10_000, currency: "EUR" }],
        ["MoneyWithdrawn", 2, { accountId: "alice", amount: 2_500, currency: "EUR" }],
        ["MoneyDeposited", 2, { accountId: "alice", amount: 4_000, currency: "EUR" }],
        ["MoneyWithdrawn", 2, { accountId: "alice", amount: 500, currency: "EUR" }],
      ]);
      expect(foldEvents(fromMixed.eventsOf("alice"))).toEqual(foldEvents(fromV2.eventsOf("alice")));
      expect(foldEvents(fromMixed.eventsOf("alice"))).toMatchObject({ status: "open", balance: 11_000 });
      // Upcast in memory only: the log still holds the version 1 bytes, as step 05 wrote them.
      const raw = await readRaw(kafka, mixed);
      expect(raw.slice(0, 3).map((record) => JSON.parse(record.value!.toString("utf8")))).toEqual(storyV1);
    },
  );
});
