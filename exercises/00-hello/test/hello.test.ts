import { createGreetingsTable, greetKafka, greetPostgres, greetRedis } from "../src/hello.ts";
import { describe, expect, task, test } from "#kit/testing";

describe(task(1, "write a row to Postgres and read it back"), () => {
  test("GIVEN the greetings table WHEN we greet Postgres THEN the greeting comes back and stays in the table", async ({ db }) => {
    await createGreetingsTable(db.pool);

    const answer = await greetPostgres(db.pool, "hello, Postgres");

    expect(answer).toBe("hello, Postgres");
    const { rows } = await db.pool.query<{ text: string }>("SELECT text FROM greetings");
    expect(rows).toEqual([{ text: "hello, Postgres" }]);
  });
});

describe(task(2, "set a key in Redis and get it back"), () => {
  test("GIVEN a fresh key WHEN we greet Redis THEN the greeting comes back and stays under the key", async ({ redis }) => {
    const key = redis.key("greeting");

    const answer = await greetRedis(redis.client, key, "hello, Redis");

    expect(answer).toBe("hello, Redis");
    expect(await redis.client.get(key)).toBe("hello, Redis");
  });
});

describe(task(3, "produce a message to Kafka and consume it"), () => {
  test("GIVEN a fresh topic WHEN we greet Kafka THEN the greeting comes back through the topic", async ({ kafka }) => {
    const topic = await kafka.topic("greetings");
    const producer = await kafka.producer();
    const consumer = kafka.consumer({ groupId: kafka.groupId("hello") });

    const answer = await greetKafka({ producer, consumer, topic }, "hello, Kafka");

    expect(answer).toBe("hello, Kafka");
    // The greeting really went through the log: the topic holds exactly one message.
    const [partition] = await kafka.admin.fetchTopicOffsets(topic);
    expect(partition?.high).toBe("1");
  });
});
