/**
 * Checks of the given write side (they pass from the start): an event on the log is read for
 * ever, so the handler appends only events that its readers accept. Whatever the decider or
 * the stamp got wrong is refused before the append with an UnwritableEvent that says why.
 */
import { UnwritableEvent } from "../src/envelope.ts";
import { describe, expect, failureOf } from "#kit/testing";
import { givenHandler, givenTopics, readRaw, test } from "./helpers.ts";
import { open } from "./story.ts";

describe("appending only what the readers accept", () => {
  test("GIVEN a writer that stamps events with an empty id WHEN it handles a command THEN UnwritableEvent says what its readers would refuse, and nothing is appended", async ({ kafka, stopWhenDone }) => {
    const { topic } = await givenTopics(kafka);
    const handler = await givenHandler({ kafka, stopWhenDone }, topic, { now: () => new Date("2026-03-02T09:00:00.000Z"), newId: () => "" });

    const refused = await failureOf(() => handler.handle(open("alice")), UnwritableEvent);

    expect(refused.reason).toMatch(/\(at metadata\.eventId\)/);
    expect(refused.event).toMatchObject({ type: "AccountOpened", metadata: { accountId: "alice", eventId: "" } });
    expect(await readRaw(kafka, topic)).toEqual([]);
  });
});
