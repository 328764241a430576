/**
 * Checks of the given record reader (they pass from the start): every bad record of the
 * table is refused with an UnreadableRecord that says what is wrong and where it was, and a
 * good record is read as it was written.
 */
import { readRecord, UnreadableRecord } from "../src/record.ts";
import { describe, expect, failureOf, test } from "#kit/testing";
import { aliceDeposit, kafkaMessage, unreadableRecords } from "./poison-records.ts";

describe("reading a record of the events topic", () => {
  test("GIVEN a valid version 2 deposit WHEN read THEN the event, with where it was found", () => {
    const value = Buffer.from(JSON.stringify(aliceDeposit(250)));

    const event = readRecord({ topic: "events", partition: 0, message: kafkaMessage({ key: "alice", value, offset: 7 }) });

    expect(event).toMatchObject({ type: "MoneyDeposited", data: { accountId: "alice", amount: 250, currency: "EUR" }, metadata: { schemaVersion: 2 }, position: { partition: 0, offset: 7 } });
  });

  test("the table holds at least ten different bad records", () => {
    expect(new Set(unreadableRecords.map((record) => record.label)).size).toBe(unreadableRecords.length);
    expect(unreadableRecords.length).toBeGreaterThanOrEqual(10);
  });

  test.for(unreadableRecords.map((record) => [record.label, record] as const))("GIVEN %s WHEN read THEN UnreadableRecord says what is wrong, and where", async ([, record]) => {
    const message = kafkaMessage({ key: record.key, value: record.value, offset: 41 });

    const refused = await failureOf(() => readRecord({ topic: "events", partition: 2, message }), UnreadableRecord);

    expect(refused.reason).toMatch(record.reason);
    expect(refused.where).toEqual({ topic: "events", partition: 2, offset: 41 });
    expect(refused.message).toContain("events/2/41");
  });
});
