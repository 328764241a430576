/**
 * Task 3's promise, checked against the real thing: the version 1 records on the log were
 * written by step 05's code. Here step 05's own envelope writes them, and this step's reader
 * must take every one. If step 05's envelope ever changed what it writes, this test, not an
 * attendee's replay, would be the first to say so.
 */
import { envelop as envelopV1, toRecord as toRecordV1 } from "../../05-event-sourcing/src/envelope.ts";
import { parseEvent } from "../src/envelope.ts";
import { describe, expect, task, test } from "#kit/testing";
import { fixedStamp } from "./helpers.ts";

describe(task(3, "upcast version 1 events when read"), () => {
  test("GIVEN alice's opening, deposit and withdrawal as step 05's own code writes them WHEN this step reads the records THEN each is the version 2 event it stands for, in euros", () => {
    const stamp = fixedStamp("2025-11-03T08:00:00.000Z");
    const written = [
      ...envelopV1([{ type: "AccountOpened", data: { accountId: "alice" } }], { accountId: "alice", causationId: "open", stamp }),
      ...envelopV1([{ type: "MoneyDeposited", data: { accountId: "alice", amount: 10_000 } }], { accountId: "alice", causationId: "deposit", stamp }),
      ...envelopV1([{ type: "MoneyWithdrawn", data: { accountId: "alice", amount: 2_500 } }], { accountId: "alice", causationId: "withdraw", stamp }),
    ];

    const read = written.map((event) => parseEvent(toRecordV1(event).value));

    expect(written.map((event) => event.metadata.schemaVersion)).toEqual([1, 1, 1]);
    expect(read).toEqual([
      { type: "AccountOpened", data: { accountId: "alice" }, metadata: { ...written[0]!.metadata, schemaVersion: 2 } },
      { type: "MoneyDeposited", data: { accountId: "alice", amount: 10_000, currency: "EUR" }, metadata: { ...written[1]!.metadata, schemaVersion: 2 } },
      { type: "MoneyWithdrawn", data: { accountId: "alice", amount: 2_500, currency: "EUR" }, metadata: { ...written[2]!.metadata, schemaVersion: 2 } },
    ]);
  });
});
