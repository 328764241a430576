/**
 * Task 3: whoever is given a partition claims its transactional id at once, and that claim
 * fences the previous owner — before the new owner has a single command to process.
 */
import { envelop } from "../src/envelope.ts";
import { appendEvents } from "../src/event-log.ts";
import { asFenced, CommandProcessor, Fenced } from "../src/processor.ts";
import { describe, expect, proves, task } from "#kit/testing";
import { causedBy, readLog, test, walletTopics, type KafkaContext } from "./helpers.ts";

/** A processor of the group, not started: the test calls claimPartition itself. */
function member({ kafka }: KafkaContext, topics: Awaited<ReturnType<typeof walletTopics>>, groupId: string, name: string): CommandProcessor {
  return new CommandProcessor({ kafka: kafka.kafka, topics, groupId, readerGroupId: kafka.groupId(`${name}-reader`) });
}

describe(task(3, "claim the partition's transactional id"), () => {
  test("GIVEN two members of one group THEN partition 2's transactional id is the same in both, and another partition's differs", async ({ kafka, stopWhenDone }) => {
    const topics = await walletTopics(kafka);
    const groupId = kafka.groupId("processors");
    const a = member({ kafka, stopWhenDone }, topics, groupId, "a");
    const b = member({ kafka, stopWhenDone }, topics, groupId, "b");
    expect(a.transactionalIdOf(2)).toBe(b.transactionalIdOf(2));
    expect(a.transactionalIdOf(2)).not.toBe(a.transactionalIdOf(3));
    // A claim begins with the producer: only a claimed partition has one.
    expect(() => a.producerFor(0)).toThrow(/has not claimed partition 0/);
    const claimed = await a.claimPartition(0);
    stopWhenDone({ stop: () => claimed.disconnect() });
    expect(claimed.isIdempotent()).toBe(true);
  });

  test(
    "GIVEN member A claimed partition 0, wrote a withdrawal in an open transaction and went silent WHEN member B claims partition 0 THEN the claim aborts A's transaction: read_committed readers are no longer held back at it and never see the withdrawal, and A's commit fails with Fenced",
    proves("survives-crash", "transactional processor, an owner dead with its transaction open", "holds"),
    async ({ kafka, stopWhenDone, annotate }) => {
      const topics = await walletTopics(kafka);
      const groupId = kafka.groupId("processors");
      const a = member({ kafka, stopWhenDone }, topics, groupId, "a");
      const b = member({ kafka, stopWhenDone }, topics, groupId, "b");
      const aProducer = await a.claimPartition(0);
      stopWhenDone({ stop: () => aProducer.disconnect() });
      const open = await aProducer.transaction();
      const written = await appendEvents(open, topics.events, envelop([{ type: "MoneyWithdrawn", data: { accountId: "alice", amount: 80 } }], { accountId: "alice", causationId: "w-1", afterVersion: 2 }));
      // The last stable offset, where read_committed readers stop (the admin client reads read_committed).
      const stableEnd = async () => Number((await kafka.admin.fetchTopicOffsets(topics.events))[0]?.high);
      const heldAt = await stableEnd();
      expect(heldAt).toBe(written.offset);

      // B has not processed anything: the claim alone fences A and aborts its transaction.
      const bProducer = await b.claimPartition(0);
      stopWhenDone({ stop: () => bProducer.disconnect() });
      // The abort is a control marker after A's record: the stable end moves past both.
      const afterClaim = await stableEnd();
      expect(afterClaim).toBe(written.offset + 2);

      let refusal: unknown;
      try {
        await open.commit();
      } catch (error) {
        refusal = asFenced(error, a.transactionalIdOf(0));
      }
      expect(refusal).toBeInstanceOf(Fenced);
      const committed = causedBy(await readLog({ kafka, stopWhenDone }, topics.events), "alice", "w-1");
      const everything = causedBy(await readLog({ kafka, stopWhenDone }, topics.events, "read_uncommitted"), "alice", "w-1");
      await annotate(`A's withdrawal at offset ${written.offset}: read_committed readers held at ${heldAt}, at ${afterClaim} after B's claim · ${everything.length} record in the log, ${committed.length} visible to read_committed`);
      expect(committed).toHaveLength(0);
      expect(everything.map((event) => event.position)).toEqual([written]);
    },
  );
});
