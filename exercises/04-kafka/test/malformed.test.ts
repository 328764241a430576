/**
 * A check, not a task: anything can be written to a topic. A record that holds no valid
 * event is reported with where it sits and why, and the consumer goes on past it.
 */
import { MalformedRecord } from "../src/errors.ts";
import { encodeEvent } from "../src/events.ts";
import { startConsuming } from "../src/consumer.ts";
import { describe, expect, test, until } from "#kit/testing";
import { Inbox, deposits } from "./helpers.ts";

describe("Malformed records — reported, never a stalled partition", () => {
  test("GIVEN a record that is not JSON and one with a negative amount between alice's events WHEN a consumer reads the partition THEN both events arrive and both bad records are reported with offset and reason", async ({ kafka }) => {
    const topic = await kafka.topic("accounts");
    const producer = await kafka.producer();
    const [first, second] = deposits("alice", "alice");
    await producer.send({
      topic,
      acks: -1,
      messages: [
        { key: "alice", value: encodeEvent(first!) },
        { key: "alice", value: "{not json" },
        { key: "alice", value: JSON.stringify({ ...second!, amount: -5 }) },
        { key: "alice", value: encodeEvent(second!) },
      ],
    });

    const inbox = new Inbox();
    await startConsuming(kafka.consumer({ groupId: kafka.groupId("reader") }), { topic, ...inbox });
    await until(() => inbox.deliveries.length >= 2, { what: "both of alice's events to arrive" });

    expect(inbox.labels()).toEqual(["alice#1", "alice#2"]);
    expect(inbox.malformed).toHaveLength(2);
    for (const error of inbox.malformed) expect(error).toBeInstanceOf(MalformedRecord);
    expect(inbox.malformed.map(({ offset, reason }) => ({ offset, reason }))).toEqual([
      { offset: "1", reason: "value is not JSON" },
      { offset: "2", reason: expect.stringContaining("amount") },
    ]);
  });
});
