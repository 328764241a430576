/**
 * The floor every later benchmark stands on: one round trip to each service, on this machine.
 * A cache hit can't be faster than a Redis PING, nor an event append faster than one acked send.
 */
import { benchSize, measure, report, summarize } from "#kit/bench";
import { expect, test } from "#kit/testing";

async function samplesOf(count: number, operation: () => Promise<unknown>): Promise<number[]> {
  await operation(); // the first call pays for connecting; it is not a round trip
  const samples: number[] = [];
  for (let i = 0; i < count; i++) samples.push((await measure(operation)).ms);
  return samples;
}

test("one round trip to Postgres, Redis and Kafka", async ({ db, redis, kafka }) => {
  const count = benchSize(500);
  const topic = await kafka.topic("round-trips");
  const producer = await kafka.producer();

  const postgres = summarize(await samplesOf(count, () => db.pool.query("SELECT 1")));
  const cache = summarize(await samplesOf(count, () => redis.client.ping()));
  const log = summarize(await samplesOf(count, () => producer.send({ topic, acks: -1, messages: [{ key: "k", value: "v" }] })));

  expect([postgres.count, cache.count, log.count]).toEqual([count, count, count]);
  report({
    step: "00-hello",
    title: "one round trip to each service",
    rows: [
      { label: "Postgres SELECT 1, median", value: postgres.median, unit: "ms" },
      { label: "Postgres SELECT 1, p95", value: postgres.p95, unit: "ms" },
      { label: "Redis PING, median", value: cache.median, unit: "ms" },
      { label: "Redis PING, p95", value: cache.p95, unit: "ms" },
      { label: "Kafka send (acks=all), median", value: log.median, unit: "ms" },
      { label: "Kafka send (acks=all), p95", value: log.p95, unit: "ms" },
    ],
    notes: [`${count} round trips each, one at a time`],
  });
});
