import { decodeEvent } from "../src/events.ts";
import { startConsuming } from "../src/consumer.ts";
import { publish, toMessage } from "../src/producer.ts";
import { describe, expect, task, test, until } from "#kit/testing";
import { Inbox, deposits } from "./helpers.ts";

describe(task(1, "key each event by its account"), () => {
  test("GIVEN alice's second deposit WHEN it becomes a record THEN its key is alice and its value decodes back to the event", () => {
    const [, second] = deposits("alice", "alice");

    const message = toMessage(second!);

    expect(message.key?.toString()).toBe("alice");
    expect(decodeEvent(Buffer.from(String(message.value)))).toEqual({ ok: true, event: second });
  });

  test(
    "GIVEN 30 events of three accounts, interleaved WHEN they are published to a topic of three partitions THEN each account's events all sit in one partition, and a consumer reads them in the order they were published",
    async ({ kafka }) => {
      const topic = await kafka.topic("accounts", { numPartitions: 3 });
      const producer = await kafka.producer();
      const events = deposits(...Array.from({ length: 10 }, () => ["alice", "bob", "carol"]).flat());

      await publish(producer, topic, events);

      const inbox = new Inbox();
      await startConsuming(kafka.consumer({ groupId: kafka.groupId("reader") }), { topic, ...inbox });
      await until(() => inbox.deliveries.length >= events.length, { what: "all 30 events to be read" });
      for (const account of ["alice", "bob", "carol"]) {
        // One key, one partition: the partitioner hashes the key.
        expect(inbox.partitionsOf(account).size).toBe(1);
        // One partition, one order: alice#1 … alice#10, whatever the other accounts did meanwhile.
        expect(inbox.labelsOf(account)).toEqual(Array.from({ length: 10 }, (_, i) => `${account}#${i + 1}`));
      }
      expect(inbox.deliveries).toHaveLength(events.length);
    },
  );
});
