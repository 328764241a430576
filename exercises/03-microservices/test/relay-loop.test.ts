/**
 * The relay as a process: a loop that keeps the outbox empty, and stops cleanly — after
 * the batch it is in, never in the middle of one.
 */
import type { WalletEvent } from "../src/events.ts";
import { kafkaPublisher } from "../src/publisher.ts";
import { startRelay } from "../src/relay.ts";
import { describe, expect, Failpoints, Latch, Signal, task, test, until } from "#kit/testing";
import { depositsOf, givenOutbox, givenWallet, messagesIn, outboxRows, watchRelay } from "./helpers.ts";

describe(task(2, "publish the outbox, then mark it sent"), () => {
  test("GIVEN a running relay WHEN events arrive in the outbox while it runs THEN it publishes each of them without being asked", async ({ db, kafka }) => {
    await givenWallet(db.pool);
    const topic = await kafka.topic("wallet-events");
    const watch = watchRelay();
    const relay = startRelay(db.pool, { publisher: kafkaPublisher(await kafka.producer(), topic), report: watch.report });
    try {
      await givenOutbox(db.pool, depositsOf("alice", 3));

      await Promise.race([until(async () => (await outboxRows(db.pool)).every((row) => row.status === "sent"), { what: "the relay to send the outbox" }), watch.failed]);

      expect(await messagesIn(kafka, topic)).toBe(3);
    } finally {
      await relay.stop();
    }
  });

  test("GIVEN a relay in the middle of a batch WHEN it is asked to stop THEN stop() waits for the batch to finish, and no batch starts afterwards", async ({ db, kafka }) => {
    await givenWallet(db.pool);
    const [first, second] = depositsOf("alice", 2) as [WalletEvent, WalletEvent];
    await givenOutbox(db.pool, [first]);
    const topic = await kafka.topic("wallet-events");
    const published = new Signal();
    const carryOn = new Latch();
    // Hold the first batch between publish and mark, where a careless shutdown would cut it.
    const points = new Failpoints().on("after-publish", async () => {
      published.send();
      await carryOn.wait();
    });
    const watch = watchRelay();
    const relay = startRelay(db.pool, { publisher: kafkaPublisher(await kafka.producer(), topic), points, report: watch.report });
    let stopped = false;
    try {
      await Promise.race([published.received(), watch.failed]);

      const stopping = relay.stop().then(() => (stopped = true));
      await givenOutbox(db.pool, [second]); // arrives while the relay is stopping
      expect(stopped).toBe(false); // the batch is still held: stop() cannot have finished
      carryOn.open();
      await stopping;
    } finally {
      carryOn.open();
      await relay.stop();
    }

    // The batch it was in was finished, not abandoned: its row is marked sent.
    expect((await outboxRows(db.pool)).map((row) => row.status)).toEqual(["sent", "pending"]);
    expect(relay.batches).toBe(1);
    expect(points.timesReached("after-publish")).toBe(1);
    expect(watch.reports).toEqual([]);
  });
});
