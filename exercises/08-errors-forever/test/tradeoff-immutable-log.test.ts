/**
 * "Just delete the wrong event." Kafka has no call that deletes one record from the middle of
 * a partition. Retention drops whole old segments, a compaction tombstone drops every record of
 * one key, copying the stream into a new topic without the record is a migration, and
 * DeleteRecords — shown here — moves the start of a partition forward: every record before the
 * given offset goes, whoever it belonged to.
 */
import { foldEvents } from "../src/domain.ts";
import { envelop } from "../src/envelope.ts";
import { appendEvents, EventLogReader } from "../src/event-log.ts";
import { describe, expect, proves, tradeoff } from "#kit/testing";
import { fixedStamp, test } from "./helpers.ts";

describe(tradeoff("a wrong event cannot be deleted from the log, only cut off with everything before it"), () => {
  test(
    "GIVEN alice's wrong deposit at offset 3 between bob's events WHEN it is deleted with DeleteRecords (deleteTopicRecords up to offset 4) THEN bob's opening and deposit are gone too, and a new reader cannot rebuild his account",
    proves("mistakes-corrected-without-rewriting-history", "deleting the wrong record (DeleteRecords)", "broken"),
    async ({ kafka, stopWhenDone, annotate }) => {
      const topic = await kafka.topic("events");
      const producer = await kafka.producer();
      const stamp = fixedStamp();
      const append = (accountId: string, event: Parameters<typeof envelop>[0][number]) => appendEvents(producer, topic, envelop([event], { accountId, causationId: `c-${accountId}`, stamp }));
      await append("bob", { type: "AccountOpened", data: { accountId: "bob" } });
      await append("bob", { type: "MoneyDeposited", data: { accountId: "bob", amount: 500, currency: "EUR" } });
      await append("alice", { type: "AccountOpened", data: { accountId: "alice" } });
      const wrong = await append("alice", { type: "MoneyDeposited", data: { accountId: "alice", amount: 1_000_000, currency: "EUR" } });
      await append("bob", { type: "MoneyDeposited", data: { accountId: "bob", amount: 200, currency: "EUR" } });
      expect(wrong).toEqual({ partition: 0, offset: 3 });

      await kafka.admin.deleteTopicRecords({ topic, partitions: [{ partition: 0, offset: String(wrong.offset + 1) }] });

      const reader = new EventLogReader(kafka.kafka, topic, kafka.groupId("new-reader"));
      stopWhenDone(reader);
      await reader.start();
      await reader.catchUp();
      const [partition] = await kafka.admin.fetchTopicOffsets(topic);
      // The partition now starts at offset 4: four records went, not one.
      await annotate(`deleting the 1 wrong record at offset ${wrong.offset} removed ${Number(partition?.low ?? 0)} records; a new reader rebuilds bob as "${foldEvents(reader.eventsOf("bob")).status}"`);
      expect([partition?.low, partition?.high]).toEqual(["4", "5"]);
      expect(reader.allEvents().map((event) => [event.metadata.accountId, event.type, event.position.offset])).toEqual([["bob", "MoneyDeposited", 4]]);
      // Bob did nothing wrong, and his account cannot be rebuilt: a deposit with no opening folds to nothing.
      expect(foldEvents(reader.eventsOf("bob"))).toEqual({ status: "not opened" });
      expect(reader.eventsOf("alice")).toEqual([]);
    },
  );
});
