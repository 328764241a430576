/**
 * Kafka keeps order inside a partition, and nowhere else. Two accounts on two partitions
 * have no order between them: a consumer may get either one's events first. Here the
 * consumer gets partition 0 late — held back until partition 1 is read, as a lagging
 * partition or a slow member would be — so the reversal happens on every run.
 */
import { encodeEvent, label } from "../src/events.ts";
import { startConsuming } from "../src/consumer.ts";
import { describe, expect, test, tradeoff, until } from "#kit/testing";
import { Inbox, deposits } from "./helpers.ts";

describe(tradeoff("order holds per partition, not across partitions"), () => {
  test(
    "GIVEN alice's events on partition 0 and bob's on partition 1, written alternately, alice first WHEN a consumer gets partition 0 late THEN it reads all of bob's before any of alice's — yet each account's own order holds",
    async ({ kafka, annotate }) => {
      const topic = await kafka.topic("accounts", { numPartitions: 2 });
      const producer = await kafka.producer();
      const written = deposits("alice", "bob", "alice", "bob");
      const partitionOf = { alice: 0, bob: 1 } as Record<string, number>;
      // One send per event, each acknowledged before the next: the log received them in this order.
      for (const event of written) {
        await producer.send({
          topic,
          acks: -1,
          messages: [{ key: event.accountId, value: encodeEvent(event), partition: partitionOf[event.accountId] ?? 0 }],
        });
      }

      const consumer = kafka.consumer({ groupId: kafka.groupId("late-on-alice") });
      // Hold partition 0 from the moment the consumer is given it, before its first fetch.
      consumer.on(consumer.events.GROUP_JOIN, () => consumer.pause([{ topic, partitions: [0] }]));
      const inbox = new Inbox();
      await startConsuming(consumer, { topic, ...inbox });
      await until(() => inbox.deliveries.length >= 2, { what: "bob's two events to be read" });
      expect(inbox.labels()).toEqual(["bob#1", "bob#2"]);
      consumer.resume([{ topic, partitions: [0] }]);
      await until(() => inbox.deliveries.length >= 4, { what: "alice's two events to be read" });

      await annotate(`written ${written.map(label).join(", ")}; read ${inbox.labels().join(", ")}`);
      expect(written.map(label)).toEqual(["alice#1", "bob#1", "alice#2", "bob#2"]);
      expect(inbox.labels()).toEqual(["bob#1", "bob#2", "alice#1", "alice#2"]);
      // Nothing failed and nothing was reordered within a key: this is Kafka working as designed.
      expect(inbox.labelsOf("alice")).toEqual(["alice#1", "alice#2"]);
      expect(inbox.labelsOf("bob")).toEqual(["bob#1", "bob#2"]);
    },
  );
});
