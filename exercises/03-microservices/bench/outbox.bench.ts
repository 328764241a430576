/**
 * What the outbox costs, measured: the write path (a deposit alone, with its outbox row,
 * and the dual write that waits for Kafka), and how fast one relay drains the outbox.
 */
import { benchSize, measure, perSecond, report, summarize, summaryRows, timeEach } from "#kit/bench";
import { expect, test } from "#kit/testing";
import { depositThenPublish } from "../src/dual-write.ts";
import { depositWithOutbox } from "../src/outbox.ts";
import { kafkaPublisher } from "../src/publisher.ts";
import { relayBatch } from "../src/relay.ts";
import { deposit } from "../src/wallet.ts";
import { givenWallet, messagesIn, outboxRows } from "../test/helpers.ts";

test("the write path: a deposit, with its outbox row, and as a dual write", async ({ db, kafka }) => {
  const count = benchSize(500);
  await givenWallet(db.pool, { alice: 0 });
  const topic = await kafka.topic("wallet-events");
  const publisher = kafkaPublisher(await kafka.producer(), topic);

  const alone = summarize(await timeEach(count, () => deposit(db.pool, "alice", 1)));
  const withOutbox = summarize(await timeEach(count, () => depositWithOutbox(db.pool, "alice", 1)));
  const dualWrite = summarize(await timeEach(count, () => depositThenPublish(db.pool, publisher, "alice", 1)));

  expect((await outboxRows(db.pool)).length).toBe(count + 1);
  expect(await messagesIn(kafka, topic)).toBe(count + 1);
  report({
    step: "03-microservices",
    title: "the write path of a deposit",
    rows: [
      ...summaryRows("deposit alone (one UPDATE)", alone),
      ...summaryRows("deposit + outbox row (one transaction)", withOutbox),
      ...summaryRows("commit, then publish (dual write)", dualWrite),
    ],
    notes: [`${count} deposits each, one at a time; the dual write waits for Kafka's ack (acks=all) before it answers`],
  });
});

test("one relay draining the outbox, by batch size", async ({ db, kafka }) => {
  const count = benchSize(2_000);
  const rows = [];
  for (const batchSize of [1, 10, 100]) {
    await db.pool.query("DROP TABLE IF EXISTS accounts, outbox");
    await givenWallet(db.pool, { alice: 0 });
    for (let i = 0; i < count; i++) await depositWithOutbox(db.pool, "alice", 1);
    const topic = await kafka.topic(`wallet-events-${batchSize}`);
    const publisher = kafkaPublisher(await kafka.producer(), topic);

    const { ms } = await measure(async () => {
      while ((await relayBatch(db.pool, { publisher, batchSize })).sent > 0);
    });

    expect(await messagesIn(kafka, topic)).toBe(count);
    rows.push({ label: `batches of ${batchSize}`, value: perSecond(count, ms), unit: "events/s" });
  }
  report({
    step: "03-microservices",
    title: "relay throughput",
    rows,
    notes: [`${count} outbox rows drained by one relay (publish, then mark sent, one transaction a batch)`],
  });
});
