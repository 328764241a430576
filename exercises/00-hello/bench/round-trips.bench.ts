/**
 * The floor every later benchmark stands on: one round trip to each service, on this machine.
 * A cache hit can't be faster than a Redis PING, nor an event append faster than one acked send.
 */
import { benchSize, report, summarize, summaryRows, timeEach } from "#kit/bench";
import { expect, test } from "#kit/testing";

test("one round trip to Postgres, Redis and Kafka", async ({ db, redis, kafka }) => {
  const count = benchSize(500);
  const topic = await kafka.topic("round-trips");
  const producer = await kafka.producer();

  const postgres = summarize(await timeEach(count, () => db.pool.query("SELECT 1")));
  const cache = summarize(await timeEach(count, () => redis.client.ping()));
  const log = summarize(await timeEach(count, () => producer.send({ topic, acks: -1, messages: [{ key: "k", value: "v" }] })));

  expect([postgres.count, cache.count, log.count]).toEqual([count, count, count]);
  report({
    step: "00-hello",
    title: "one round trip to each service",
    rows: [
      ...summaryRows("Postgres SELECT 1", postgres),
      ...summaryRows("Redis PING", cache),
      ...summaryRows("Kafka send (acks=all)", log),
    ],
    notes: [`${count} round trips each, one at a time`],
  });
});
