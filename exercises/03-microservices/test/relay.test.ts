import { randomUUID } from "node:crypto";
import { decodeEvent, type WalletEvent } from "../src/events.ts";
import { kafkaPublisher } from "../src/publisher.ts";
import { relayBatch } from "../src/relay.ts";
import { describe, expect, failureOf, Failpoints, InjectedFailure, task, test } from "#kit/testing";
import { depositsOf, givenOutbox, givenWallet, insertOutboxRow, outboxRows, readTopic, watchRelay } from "./helpers.ts";

describe(task(2, "publish the outbox, then mark it sent"), () => {
  test("GIVEN three pending events WHEN the relay runs a batch THEN Kafka has all three, keyed by account, and the rows are sent", async ({ db, kafka }) => {
    await givenWallet(db.pool);
    const events = [...depositsOf("alice", 2), ...depositsOf("bob", 1)];
    await givenOutbox(db.pool, events);
    const topic = await kafka.topic("wallet-events");
    const publisher = kafkaPublisher(await kafka.producer(), topic);

    const outcome = await relayBatch(db.pool, { publisher });

    expect(outcome).toEqual({ sent: 3, failed: 0 });
    const delivered = await readTopic(kafka, topic);
    expect(delivered.map((message) => decodeEvent(message.value))).toEqual(events);
    expect(delivered.map((message) => message.key)).toEqual(["alice", "alice", "bob"]);
    expect((await outboxRows(db.pool)).map((row) => row.status)).toEqual(["sent", "sent", "sent"]);
  });

  test("GIVEN an outbox already relayed WHEN the relay runs again THEN it publishes nothing more", async ({ db, kafka }) => {
    await givenWallet(db.pool);
    await givenOutbox(db.pool, depositsOf("alice", 2));
    const topic = await kafka.topic("wallet-events");
    const publisher = kafkaPublisher(await kafka.producer(), topic);

    expect(await relayBatch(db.pool, { publisher })).toEqual({ sent: 2, failed: 0 });
    expect(await relayBatch(db.pool, { publisher })).toEqual({ sent: 0, failed: 0 });

    expect(await readTopic(kafka, topic)).toHaveLength(2);
  });

  test("GIVEN five pending events and a batch size of 2 WHEN the relay runs THEN it takes the oldest two first, in order", async ({ db, kafka }) => {
    await givenWallet(db.pool);
    const events = depositsOf("alice", 5);
    await givenOutbox(db.pool, events);
    const topic = await kafka.topic("wallet-events");
    const publisher = kafkaPublisher(await kafka.producer(), topic);

    expect(await relayBatch(db.pool, { publisher, batchSize: 2 })).toEqual({ sent: 2, failed: 0 });
    expect((await outboxRows(db.pool)).map((row) => row.status)).toEqual(["sent", "sent", "pending", "pending", "pending"]);
    expect(await relayBatch(db.pool, { publisher, batchSize: 2 })).toEqual({ sent: 2, failed: 0 });
    expect(await relayBatch(db.pool, { publisher, batchSize: 2 })).toEqual({ sent: 1, failed: 0 });

    expect((await readTopic(kafka, topic)).map((message) => decodeEvent(message.value))).toEqual(events);
  });

  test("GIVEN three pending events WHEN the relay crashes after publishing, before marking THEN the rows stay pending and the next batch publishes them again: at least once", async ({ db, kafka }) => {
    await givenWallet(db.pool);
    const events = depositsOf("alice", 3);
    await givenOutbox(db.pool, events);
    const topic = await kafka.topic("wallet-events");
    const publisher = kafkaPublisher(await kafka.producer(), topic);
    const points = new Failpoints().failOnceAt("after-publish");

    await failureOf(() => relayBatch(db.pool, { publisher, points }), InjectedFailure);
    expect((await outboxRows(db.pool)).map((row) => row.status)).toEqual(["pending", "pending", "pending"]);
    // The relay restarts.
    expect(await relayBatch(db.pool, { publisher, points })).toEqual({ sent: 3, failed: 0 });

    // Every event is in Kafka twice: never lost, sometimes repeated. Consumers deduplicate (Task 3).
    const ids = (await readTopic(kafka, topic)).map((message) => decodeEvent(message.value).metadata.eventId);
    const expected = events.map((event) => event.metadata.eventId);
    expect(ids).toEqual([...expected, ...expected]);
    expect((await outboxRows(db.pool)).map((row) => row.status)).toEqual(["sent", "sent", "sent"]);
  });

  test("GIVEN bad rows between good ones (not JSON, version 2, a negative amount) WHEN the relay runs THEN the good ones are published, the bad ones kept as failed with the reason and reported", async ({ db, kafka }) => {
    await givenWallet(db.pool);
    const [first, second] = depositsOf("alice", 2) as [WalletEvent, WalletEvent];
    const badRows = [
      { eventId: randomUUID(), payload: "{ this is not json", reason: /not JSON/ },
      { eventId: randomUUID(), payload: JSON.stringify({ type: "Deposited", data: { accountId: "alice", amountCents: 100 }, metadata: { eventId: randomUUID(), version: 2 } }), reason: /unknown event version 2/ },
      { eventId: randomUUID(), payload: JSON.stringify({ ...first, data: { ...first.data, amount: -100 } }), reason: /data\.amount/ },
    ];
    await givenOutbox(db.pool, [first]);
    for (const row of badRows) await insertOutboxRow(db.pool, row.eventId, row.payload);
    await givenOutbox(db.pool, [second]);
    const topic = await kafka.topic("wallet-events");
    const publisher = kafkaPublisher(await kafka.producer(), topic);
    const relay = watchRelay();

    const outcome = await relayBatch(db.pool, { publisher, report: relay.report });

    expect(outcome).toEqual({ sent: 2, failed: 3 });
    expect((await readTopic(kafka, topic)).map((message) => decodeEvent(message.value))).toEqual([first, second]);
    const rows = await outboxRows(db.pool);
    expect(rows.map((row) => row.status)).toEqual(["sent", "failed", "failed", "failed", "sent"]);
    // Kept as they were, with the reason beside them: a person can fix and re-queue them.
    badRows.forEach((bad, i) => {
      const row = rows[i + 1]!;
      expect(row.payload).toBe(bad.payload);
      expect(row.failure).toMatch(bad.reason);
    });
    expect(relay.reports).toEqual(badRows.map((bad, i) => ({ kind: "event-refused", outboxId: String(rows[i + 1]!.id), reason: expect.stringMatching(bad.reason) })));
    // Refused rows are not tried again and again: the next batch has nothing to do.
    expect(await relayBatch(db.pool, { publisher, report: relay.report })).toEqual({ sent: 0, failed: 0 });
  });

  test("GIVEN four accounts' deposits interleaved, on a topic of three partitions WHEN relayed in small batches THEN each account is in one partition, its events in the order they happened", async ({ db, kafka }) => {
    await givenWallet(db.pool);
    const accounts = ["alice", "bob", "carol", "dave"];
    const perAccount = accounts.map((account) => depositsOf(account, 5));
    // alice 1, bob 1, carol 1, dave 1, alice 2, …: the order a busy wallet writes them in.
    const interleaved = Array.from({ length: 5 }, (_, i) => perAccount.map((events) => events[i]!)).flat();
    await givenOutbox(db.pool, interleaved);
    const topic = await kafka.topic("wallet-events", { numPartitions: 3 });
    const publisher = kafkaPublisher(await kafka.producer(), topic);

    while ((await relayBatch(db.pool, { publisher, batchSize: 3 })).sent > 0);

    const delivered = await readTopic(kafka, topic);
    expect(delivered).toHaveLength(20);
    expect(new Set(delivered.map((message) => message.partition)).size).toBeGreaterThan(1);
    for (const [i, account] of accounts.entries()) {
      const mine = delivered.filter((message) => message.key === account);
      expect(new Set(mine.map((message) => message.partition)).size, `${account}'s partitions`).toBe(1);
      expect(mine.map((message) => decodeEvent(message.value).data.balanceAfter), `${account}'s balances`).toEqual([100, 200, 300, 400, 500]);
      expect(mine.map((message) => decodeEvent(message.value))).toEqual(perAccount[i]);
    }
  });
});
