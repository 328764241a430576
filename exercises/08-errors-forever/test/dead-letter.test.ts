/**
 * Task 2: a record the projection cannot process goes to the dead-letter topic — with the
 * reason, where it came from, and its original bytes — and the partition moves on. Nothing
 * is dropped: every record of the events topic is either applied or dead-lettered.
 */
import { DEAD_LETTER_HEADERS, deadLetterRecord } from "../src/dead-letter.ts";
import { envelop, toRecord, type EventEnvelope } from "../src/envelope.ts";
import { appliedCount, historyOf, nextOffsets, readAccount } from "../src/read-model.ts";
import { UnreadableRecord } from "../src/record.ts";
import { describe, eventually, expect, proves, task } from "#kit/testing";
import { ConfigResourceTypes, type Message } from "#kit/kafka";
import { fixedStamp, givenTopics, readRaw, startProjection, test } from "./helpers.ts";
import { kafkaMessage, refusedEvents, unreadableRecords, type BadRecord } from "./poison-records.ts";

/** Alice's events, ids event-1…, in order: her account opened, then deposits of 100. */
function aliceEvents(deposits: number): EventEnvelope[] {
  const stamp = fixedStamp();
  const opened = envelop([{ type: "AccountOpened", data: { accountId: "alice" } }], { accountId: "alice", causationId: "open", stamp });
  const deposited = Array.from({ length: deposits }, (_, i) =>
    envelop([{ type: "MoneyDeposited", data: { accountId: "alice", amount: 100, currency: "EUR" } }], { accountId: "alice", causationId: `deposit-${i}`, stamp }),
  );
  return [...opened, ...deposited.flat()];
}

const asMessage = (record: BadRecord): Message => ({ key: record.key, value: record.value, headers: { "written-by": "a careless producer" } });

describe(task(2, "send poison records to the dead-letter topic"), () => {
  test("GIVEN a record refused as unreadable WHEN it becomes a dead letter THEN it keeps its key, bytes and headers, and says why and where it came from", () => {
    const value = Buffer.from([0xff, 0xfe, 0x00, 0x41]);
    const message = kafkaMessage({ key: "alice", value, offset: 41, headers: { "event-type": "MoneyDeposited" } });
    const poison = new UnreadableRecord({ topic: "wallet.events", partition: 2, offset: 41 }, "the record's value is not UTF-8 text (4 bytes)");

    const letter = deadLetterRecord(poison, { topic: "wallet.events", partition: 2, message });

    expect(letter.key).toEqual(Buffer.from("alice"));
    expect(letter.value).toBe(value);
    expect(letter.headers).toEqual({
      "event-type": "MoneyDeposited",
      [DEAD_LETTER_HEADERS.reason]: "the record's value is not UTF-8 text (4 bytes)",
      [DEAD_LETTER_HEADERS.error]: "UnreadableRecord",
      [DEAD_LETTER_HEADERS.topic]: "wallet.events",
      [DEAD_LETTER_HEADERS.partition]: "2",
      [DEAD_LETTER_HEADERS.offset]: "41",
      [DEAD_LETTER_HEADERS.timestamp]: "1772442000000",
    });
    // A tombstone stays a tombstone: the dead letter is the record as it was.
    expect(deadLetterRecord(poison, { topic: "wallet.events", partition: 2, message: kafkaMessage({ key: "alice", value: null }) }).value).toBeNull();
  });

  test(
    "GIVEN 18 different bad records mixed between alice's events on one partition WHEN the projection reads them THEN each goes to the dead-letter topic with its reason, original position and bytes, every valid event is applied, and records in = applied + dead-lettered",
    proves("downstream-sees-every-change", "projection with a dead-letter topic", "holds"),
    async ({ kafka, db, stopWhenDone }) => {
      const { topic, deadLetterTopic } = await givenTopics(kafka);
      const good = aliceEvents(18);
      const bad = [...unreadableRecords, ...refusedEvents(good[1]!)];
      expect(bad).toHaveLength(18);
      // opened, deposit, then each bad record followed by a good deposit: a bad record is never last.
      const messages: Message[] = [toRecord(good[0]!), toRecord(good[1]!), ...bad.flatMap((record, i) => (i < 17 ? [asMessage(record), toRecord(good[i + 2]!)] : [asMessage(record)]))];
      const producer = await kafka.producer();
      await producer.send({ topic, acks: -1, messages });
      const badOffsets = messages.flatMap((message, offset) => (bad.some((record) => asMessage(record).value === message.value) ? [offset] : []));

      const { projection, caughtUp } = await startProjection({ kafka, stopWhenDone }, db.pool, { topic, deadLetterTopic });
      await caughtUp();

      // Records in = applied + dead-lettered, exactly.
      const letters = await readRaw(kafka, deadLetterTopic);
      expect(messages).toHaveLength(37);
      expect(await appliedCount(db.pool)).toBe(19);
      expect(letters).toHaveLength(18);
      expect([projection.applied, projection.deadLettered]).toEqual([19, 18]);
      expect(await nextOffsets(db.pool, topic)).toEqual({ 0: 37 });
      // The partition kept moving: every deposit behind a bad record counts.
      expect(await readAccount(db.pool, "alice")).toMatchObject({ balance: 1_800 });
      expect((await historyOf(db.pool, "alice")).map((line) => line.position.offset)).toEqual(messages.flatMap((_, offset) => (badOffsets.includes(offset) ? [] : [offset])));
      // Each dead letter: the record as it was, why, and where it came from.
      expect(letters.map((letter) => Number(letter.headers[DEAD_LETTER_HEADERS.offset]))).toEqual(badOffsets);
      letters.forEach((letter, i) => {
        const record = bad[i]!;
        expect(letter.headers[DEAD_LETTER_HEADERS.reason], record.label).toMatch(record.reason);
        expect(letter.headers[DEAD_LETTER_HEADERS.error], record.label).toBe(record.error);
        expect(letter.headers, record.label).toMatchObject({ [DEAD_LETTER_HEADERS.topic]: topic, [DEAD_LETTER_HEADERS.partition]: "0", "written-by": "a careless producer" });
        expect([letter.key, letter.value], record.label).toEqual([record.key, record.value]);
      });
    },
  );

  test(
    "GIVEN a dead-letter topic that refuses the record (its max.message.bytes is too small) WHEN the send fails and the projection is restarted once the topic takes it THEN the record was not passed over: it is dead-lettered once, and the events behind it are applied once",
    proves("survives-crash", "projection with a dead-letter topic", "holds"),
    async ({ kafka, db, stopWhenDone }) => {
      const topic = await kafka.topic("events");
      // The broker itself refuses the send: a dead letter is far larger than 64 bytes.
      const deadLetterTopic = await kafka.topic("events.dead-letters", { configEntries: [{ name: "max.message.bytes", value: "64" }] });
      const [opened, first, second] = aliceEvents(2);
      const producer = await kafka.producer();
      await producer.send({ topic, acks: -1, messages: [toRecord(opened!), toRecord(first!), asMessage(unreadableRecords[0]!), toRecord(second!)] });
      const groupId = kafka.groupId("projection");

      const committed = async () => (await kafka.admin.fetchOffsets({ groupId, topics: [topic] }))[0]?.partitions.map((partition) => [partition.partition, partition.offset]);

      const failing = await startProjection({ kafka, stopWhenDone }, db.pool, { topic, deadLetterTopic, groupId });
      // A projection that swallowed the send's error would never fail: waiting on failure alone
      // would end at the test's timeout and say nothing. Polled with a deadline, it fails here,
      // saying what went missing.
      let outcome: { refused: unknown } | undefined;
      void failing.failure.then(
        () => (outcome = { refused: undefined }),
        (error: unknown) => (outcome = { refused: error }),
      );
      const { refused } = await eventually(
        () => {
          expect(outcome).toBeDefined();
          return outcome!;
        },
        { timeoutMs: 15_000, what: "the projection to fail when the dead-letter topic refuses the send, not to swallow the error" },
      );
      // Anything but the broker's refusal (an open task, a bug) is the failure to report.
      if (!(refused instanceof Error && "type" in refused)) throw refused;
      // kafkajs commits what was processed before the failure: the two events before the bad record.
      await eventually(async () => expect(await committed()).toEqual([[0, "2"]]), { what: "the group to commit the records before the bad one" });
      await failing.projection.stop();

      // The send itself failed: nothing on the dead-letter topic, and neither the read model
      // nor the group has moved past the bad record at offset 2.
      expect(failing.errors).toEqual([refused]);
      expect(refused).toMatchObject({ type: "MESSAGE_TOO_LARGE" });
      expect(failing.projection.poisoned).toHaveLength(1);
      expect(await readRaw(kafka, deadLetterTopic)).toEqual([]);
      expect(await nextOffsets(db.pool, topic)).toEqual({ 0: 2 });
      expect(await committed()).toEqual([[0, "2"]]);
      expect(await readAccount(db.pool, "alice")).toMatchObject({ balance: 100 });

      await kafka.admin.alterConfigs({
        validateOnly: false,
        resources: [{ type: ConfigResourceTypes.TOPIC, name: deadLetterTopic, configEntries: [{ name: "max.message.bytes", value: "1048588" }] }],
      });
      // alterConfigs returns when the controller has accepted the change; the broker that leads
      // the topic applies it a moment later. Restarting before would meet the old limit again.
      await eventually(
        async () => {
          const described = await kafka.admin.describeConfigs({
            includeSynonyms: false,
            resources: [{ type: ConfigResourceTypes.TOPIC, name: deadLetterTopic, configNames: ["max.message.bytes"] }],
          });
          const entry = described.resources[0]?.configEntries.find((config) => config.configName === "max.message.bytes");
          expect(entry?.configValue).toBe("1048588");
        },
        { what: "the dead-letter topic to report its new max.message.bytes" },
      );
      const restarted = await startProjection({ kafka, stopWhenDone }, db.pool, { topic, deadLetterTopic, groupId });
      await restarted.caughtUp();

      expect(restarted.errors).toEqual([]);
      expect(restarted.projection.poisoned.map((poison) => poison.message)).toEqual([expect.stringContaining(`${topic}/0/2`)]);
      const letters = await readRaw(kafka, deadLetterTopic);
      expect(letters.map((letter) => letter.headers[DEAD_LETTER_HEADERS.offset])).toEqual(["2"]);
      expect(await appliedCount(db.pool)).toBe(3);
      expect(await readAccount(db.pool, "alice")).toMatchObject({ balance: 200 });
    },
  );
});
