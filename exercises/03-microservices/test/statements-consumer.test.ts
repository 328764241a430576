/**
 * The statements service's consumer meets bad messages: it keeps each one with the reason,
 * reports it, and goes on — the partition behind a bad message is never stalled.
 */
import { randomUUID } from "node:crypto";
import { deposited } from "../src/events.ts";
import { toMessage } from "../src/publisher.ts";
import { applyEveryDelivery, statementBalances } from "../src/statements.ts";
import { describe, expect, test } from "#kit/testing";
import { startStatements, untilCaughtUp } from "./helpers.ts";

describe("the statements service and bad messages", () => {
  test("GIVEN not-JSON, a version-2 event and an empty message between two deposits WHEN consumed THEN both deposits apply and the three bad ones are kept with their reasons", async ({ db, kafka }) => {
    const topic = await kafka.topic("wallet-events");
    const reported: string[] = [];
    const statements = await startStatements(kafka, db.pool, topic, applyEveryDelivery, ({ reason }) => reported.push(reason));
    const producer = await kafka.producer();
    const first = deposited(randomUUID(), { accountId: "alice", amount: 100, balanceAfter: 100 });
    const second = deposited(randomUUID(), { accountId: "alice", amount: 50, balanceAfter: 150 });
    const versionTwo = JSON.stringify({ type: "Deposited", data: { accountId: "alice", amountCents: 1 }, metadata: { eventId: randomUUID(), version: 2 } });

    await producer.send({
      topic,
      messages: [toMessage(first), { key: "alice", value: "{ not json" }, { key: "alice", value: versionTwo }, { key: "alice", value: null }, toMessage(second)],
    });
    await untilCaughtUp(kafka, topic, statements);

    expect(await statementBalances(db.pool)).toEqual({ alice: 150 });
    const { rows } = await db.pool.query<{ offset: string; reason: string; value: string | null }>(`SELECT "offset", reason, value FROM rejected_messages ORDER BY id`);
    expect(rows).toEqual([
      { offset: "1", reason: expect.stringMatching(/not JSON/), value: "{ not json" },
      { offset: "2", reason: expect.stringMatching(/unknown event version 2/), value: versionTwo },
      { offset: "3", reason: expect.stringMatching(/empty/), value: null },
    ]);
    expect(reported).toEqual(rows.map((row) => row.reason));
  });
});
