/**
 * The trap in kafkajs: a producer with a transactional id asks the broker for the id's epoch
 * (InitProducerId) only when its first transaction begins — not in connect(). Fencing happens
 * at that request. So a new owner that has connected its producer but not yet begun a
 * transaction has fenced nobody, and the old owner's open transaction still commits.
 */
import { defaultProducerConfig, type Producer } from "#kit/kafka";
import { envelop } from "../src/envelope.ts";
import { appendEvents } from "../src/event-log.ts";
import { asFenced, Fenced } from "../src/processor.ts";
import { describe, expect, proves, tradeoff } from "#kit/testing";
import { causedBy, readLog, test, type KafkaContext } from "./helpers.ts";

async function transactionalProducer({ kafka, stopWhenDone }: KafkaContext, transactionalId: string): Promise<Producer> {
  const producer = kafka.kafka.producer({ ...defaultProducerConfig, transactionalId, maxInFlightRequests: 1, idempotent: true });
  stopWhenDone({ stop: () => producer.disconnect() });
  await producer.connect();
  return producer;
}

const withdrawal = (commandId: string) => envelop([{ type: "MoneyWithdrawn", data: { accountId: "alice", amount: 80 } }], { accountId: "alice", causationId: commandId, afterVersion: 2 });

describe(tradeoff("a new owner that has not begun a transaction has fenced nobody"), () => {
  test(
    "GIVEN the old owner has an open transaction with a withdrawal WHEN the new owner connects a producer with the same transactional id but begins no transaction THEN the old owner still commits, and only the new owner's first transaction fences it",
    proves("exactly-once-effect", "transactional id not initialised on assignment (kafkajs initialises lazily)", "broken"),
    async ({ kafka, stopWhenDone, annotate }) => {
      const topic = await kafka.topic("events");
      const transactionalId = kafka.groupId("processors.tx.0");
      const oldOwner = await transactionalProducer({ kafka, stopWhenDone }, transactionalId);
      const stale = await oldOwner.transaction();
      await appendEvents(stale, topic, withdrawal("w-old"));

      const newOwner = await transactionalProducer({ kafka, stopWhenDone }, transactionalId);
      // Connected, same id — and nothing has happened on the broker yet.
      await stale.commit();
      const afterConnect = causedBy(await readLog({ kafka, stopWhenDone }, topic), "alice", "w-old").length;
      expect(afterConnect).toBe(1);

      // The new owner's first transaction: InitProducerId, a new epoch. Now the old owner is fenced.
      const claim = await newOwner.transaction();
      await claim.abort();
      const next = await oldOwner.transaction();
      let refusal: unknown;
      try {
        await appendEvents(next, topic, withdrawal("w-old-2"));
        await next.commit();
      } catch (error) {
        refusal = asFenced(error, transactionalId);
      }
      expect(refusal).toBeInstanceOf(Fenced);
      expect((refusal as Fenced).kafkaError).toMatchObject({ type: "INVALID_PRODUCER_EPOCH" });
      const log = await readLog({ kafka, stopWhenDone }, topic);
      await annotate(`new owner connected, no transaction: old owner's commit went through (${afterConnect} visible) · after the new owner's first transaction: old owner refused (${(refusal as Fenced).name}), ${causedBy(log, "alice", "w-old-2").length} visible`);
      expect(causedBy(log, "alice", "w-old-2")).toHaveLength(0);
    },
  );
});
