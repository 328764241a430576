/**
 * What most code does with a record it cannot process: throw. On a log, that is a stall —
 * the partition is read in order, so every record behind the bad one waits for it, and a
 * restart meets the same record again. The projection here is the given one, set to "stop".
 */
import { envelop, toRecord } from "../src/envelope.ts";
import { nextOffsets, readAccount } from "../src/read-model.ts";
import { UnreadableRecord } from "../src/record.ts";
import { describe, eventually, expect, proves, tradeoff } from "#kit/testing";
import { fixedStamp, givenTopics, startProjection, test } from "./helpers.ts";

describe(tradeoff("a projection that stops on a bad record stalls its partition"), () => {
  test(
    "GIVEN half a JSON document between alice's deposits WHEN a projection that throws on it reads the partition THEN it stops there, a restart stops there again, and the deposits behind it are never applied",
    proves("bounded-staleness", "projection that stops on a bad record", "broken"),
    async ({ kafka, db, stopWhenDone, annotate }) => {
      const { topic, deadLetterTopic } = await givenTopics(kafka);
      const stamp = fixedStamp();
      const [opened, before, after1, after2] = [
        ...envelop([{ type: "AccountOpened", data: { accountId: "alice" } }], { accountId: "alice", causationId: "c-0", stamp }),
        ...[1, 2, 3].flatMap((n) => envelop([{ type: "MoneyDeposited", data: { accountId: "alice", amount: 100, currency: "EUR" } }], { accountId: "alice", causationId: `c-${n}`, stamp })),
      ];
      const producer = await kafka.producer();
      await producer.send({
        topic,
        acks: -1,
        messages: [toRecord(opened!), toRecord(before!), { key: "alice", value: '{"type":"MoneyDeposited","data":{"accou' }, toRecord(after1!), toRecord(after2!)],
      });
      const groupId = kafka.groupId("projection");

      const first = await startProjection({ kafka, stopWhenDone }, db.pool, { topic, deadLetterTopic, groupId, onPoison: "stop" });
      await eventually(() => expect(first.errors).toHaveLength(1), { what: "the projection to stop on the bad record" });
      await first.projection.stop();
      // "Have you tried turning it off and on again?" The record is still bad.
      const second = await startProjection({ kafka, stopWhenDone }, db.pool, { topic, deadLetterTopic, groupId, onPoison: "stop" });
      await eventually(() => expect(second.errors).toHaveLength(1), { what: "the restarted projection to stop on the same record" });

      for (const { errors } of [first, second]) {
        expect(errors[0]).toBeInstanceOf(UnreadableRecord);
        expect((errors[0] as UnreadableRecord).where.offset).toBe(2);
      }
      // Two deposits wait behind the bad record, and will wait for ever: the read model is stuck at offset 2.
      const end = (await kafka.admin.fetchTopicOffsets(topic))[0]?.high;
      await annotate(`stopped twice at offset ${(second.errors[0] as UnreadableRecord).where.offset}: ${first.projection.applied + second.projection.applied} of ${end} records applied, ${Number(end) - 3} deposits stuck behind the bad one`);
      expect(await nextOffsets(db.pool, topic)).toEqual({ 0: 2 });
      expect(await readAccount(db.pool, "alice")).toMatchObject({ balance: 100 });
      expect([first.projection.applied + second.projection.applied, (await kafka.admin.fetchTopicOffsets(topic))[0]?.high]).toEqual([2, "5"]);
    },
  );
});
