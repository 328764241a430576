/**
 * Task 1: detect instead of prevent. Kafka takes a second "version 3" without a word; a
 * reader that checks the numbers refuses the stream, naming the account and both numbers.
 */
import { envelop, type EventEnvelope } from "../src/envelope.ts";
import { appendEvents } from "../src/event-log.ts";
import { checkSequence, OutOfSequence } from "../src/sequence.ts";
import { describe, expect, failureOf, task } from "#kit/testing";
import { readLog, test } from "./helpers.ts";
import { deposited, opened, withdrawn } from "./specification.ts";

/** alice's events with the given versions, in that order. */
function numbered(...versions: number[]): EventEnvelope[] {
  const facts = [opened("alice"), ...versions.slice(1).map((_, i) => (i % 2 === 0 ? deposited("alice", 100) : withdrawn("alice", 80)))];
  return facts.map((fact, i) => envelop([fact], { accountId: "alice", causationId: `c-${i}`, afterVersion: versions[i]! - 1 })[0]!);
}

describe(task(1, "refuse a gap or a duplicate"), () => {
  test("GIVEN alice's events numbered 1, 2, 3 THEN they are returned as they are; an empty stream too", () => {
    const events = numbered(1, 2, 3);
    expect(checkSequence("alice", events)).toEqual(events);
    expect(checkSequence("alice", [])).toEqual([]);
  });

  test("GIVEN versions 1, 2, 3, 3 (two writers decided on version 2) THEN OutOfSequence: a duplicate, expected 4, found 3", async () => {
    const error = await failureOf(() => checkSequence("alice", numbered(1, 2, 3, 3)), OutOfSequence);
    expect(error).toMatchObject({ accountId: "alice", expected: 4, found: 3, kind: "duplicate" });
    expect(error.message).toContain("alice");
    expect(error.message).toMatch(/4.*3/);
  });

  test("GIVEN versions 1, 2, 4 THEN OutOfSequence: a gap, expected 3, found 4; and a stream that starts at 2 is a gap at 1", async () => {
    expect(await failureOf(() => checkSequence("alice", numbered(1, 2, 4)), OutOfSequence)).toMatchObject({ accountId: "alice", expected: 3, found: 4, kind: "gap" });
    expect(await failureOf(() => checkSequence("alice", numbered(2, 3)), OutOfSequence)).toMatchObject({ expected: 1, found: 2, kind: "gap" });
  });

  test("GIVEN Kafka took two withdrawals both numbered 3 (the zombie's log) WHEN a reader checks alice's stream THEN it refuses it, naming alice, 4 and 3", async ({ kafka, stopWhenDone }) => {
    const topic = await kafka.topic("events");
    const producer = await kafka.producer();
    const [first, second, third] = numbered(1, 2, 3);
    for (const event of [first!, second!, third!, { ...third!, metadata: { ...third!.metadata, eventId: "zombie-event" } }]) await appendEvents(producer, topic, [event]);

    const log = await readLog({ kafka, stopWhenDone }, topic);

    // Kafka refused nothing: all four are there.
    expect(log.eventsOf("alice").map((event) => event.metadata.version)).toEqual([1, 2, 3, 3]);
    expect(await failureOf(() => checkSequence("alice", log.eventsOf("alice")), OutOfSequence)).toMatchObject({ accountId: "alice", expected: 4, found: 3, kind: "duplicate" });
  });
});
