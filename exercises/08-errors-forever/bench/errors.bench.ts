/**
 * What living with an immutable log costs at run time:
 * - the projection's throughput on a clean log, and on one where one record in ten is
 *   poison and goes to the dead-letter topic (a send with acks=all each);
 * - reading events: version 2 as it is, version 1 upcast on the way in.
 * The projection is in its group before the clock starts; the events are then sent in
 * batches of 500, so what is measured is the projection catching up with them.
 */
import { benchSize, measure, perSecond, report } from "#kit/bench";
import { expect } from "#kit/testing";
import type { Message, Producer } from "#kit/kafka";
import { appliedCount } from "../src/read-model.ts";
import { envelop, parseEvent, toRecord, type EventEnvelope } from "../src/envelope.ts";
import { fixedStamp, givenTopics, startProjection, test, type KafkaContext } from "../test/helpers.ts";
import { unreadableRecords } from "../test/poison-records.ts";
import type pg from "pg";

const ACCOUNTS = 100;

/** Opens the accounts, then `deposits` deposits of 1 spread over them; every `poisonEvery`-th deposit is replaced by a bad record. */
function workload(deposits: number, poisonEvery: number): { messages: Message[]; poison: number } {
  const stamp = fixedStamp();
  const ids = Array.from({ length: ACCOUNTS }, (_, i) => `account-${i}`);
  const opened = ids.flatMap((accountId) => envelop([{ type: "AccountOpened", data: { accountId } }], { accountId, causationId: `open-${accountId}`, stamp }));
  let poison = 0;
  const money = Array.from({ length: deposits }, (_, i): Message => {
    const accountId = ids[i % ACCOUNTS]!;
    if (poisonEvery > 0 && i % poisonEvery === poisonEvery - 1) {
      const bad = unreadableRecords[poison++ % unreadableRecords.length]!;
      return { key: accountId, value: bad.value };
    }
    const [event] = envelop([{ type: "MoneyDeposited", data: { accountId, amount: 1, currency: "EUR" } }], { accountId, causationId: `deposit-${i}`, stamp });
    return toRecord(event!);
  });
  return { messages: [...opened.map(toRecord), ...money], poison };
}

async function enqueue(producer: Producer, topic: string, messages: Message[]): Promise<void> {
  for (let start = 0; start < messages.length; start += 500) {
    await producer.send({ topic, acks: -1, messages: messages.slice(start, start + 500) });
  }
}

async function drain(context: KafkaContext, pool: pg.Pool, name: string, deposits: number, poisonEvery: number) {
  const { kafka } = context;
  const { topic, deadLetterTopic } = await givenTopics(kafka, name);
  const { messages, poison } = workload(deposits, poisonEvery);
  const { projection, caughtUp } = await startProjection(context, pool, { topic, deadLetterTopic, groupId: kafka.groupId(`${name}.projection`) });
  const producer = await kafka.producer();
  const { ms } = await measure(async () => {
    await enqueue(producer, topic, messages);
    await caughtUp(600_000);
  });
  await projection.stop();
  expect(projection.deadLettered).toBe(poison);
  expect(projection.applied + projection.deadLettered).toBe(messages.length);
  return { ms, records: messages.length, poison };
}

test("the projection with and without poison records; reading version 1 and version 2 events", async ({ kafka, db, stopWhenDone }) => {
  const deposits = benchSize(10_000);
  const rows = [];

  const clean = await drain({ kafka, stopWhenDone }, db.pool, "clean", deposits, 0);
  rows.push({ label: "projection, clean log", value: perSecond(clean.records, clean.ms), unit: "records/s" });
  // The same accounts again, from an empty read model.
  await db.pool.query("DROP TABLE account_balances, account_history, projection_positions");

  const poisoned = await drain({ kafka, stopWhenDone }, db.pool, "poisoned", deposits, 10);
  rows.push({ label: "projection, 1 record in 10 dead-lettered", value: perSecond(poisoned.records, poisoned.ms), unit: "records/s" });
  expect(await appliedCount(db.pool)).toBe(poisoned.records - poisoned.poison);

  const reads = benchSize(200_000);
  const [v2] = envelop([{ type: "MoneyDeposited", data: { accountId: "alice", amount: 100, currency: "EUR" } }], { accountId: "alice", causationId: "c-1", stamp: fixedStamp() });
  const v1 = { ...v2!, data: { accountId: "alice", amount: 100 }, metadata: { ...v2!.metadata, schemaVersion: 1 } };
  const parseAll = (raw: string) => {
    let last: EventEnvelope | undefined;
    for (let i = 0; i < reads; i++) last = parseEvent(raw);
    return last;
  };
  const asIs = await measure(() => parseAll(JSON.stringify(v2)));
  const upcast = await measure(() => parseAll(JSON.stringify(v1)));
  expect(upcast.result).toEqual(asIs.result);
  rows.push({ label: "parse a version 2 event", value: perSecond(reads, asIs.ms), unit: "events/s" });
  rows.push({ label: "parse a version 1 event and upcast it", value: perSecond(reads, upcast.ms), unit: "events/s" });

  report({
    step: "08-errors-forever",
    title: "dead letters and upcasting",
    rows,
    notes: [
      `${clean.records} records (${ACCOUNTS} accounts opened, ${deposits} deposits) on one partition, one projection: a Postgres transaction per event`,
      `with poison: ${poisoned.poison} of the deposits replaced by bad records, each sent to the dead-letter topic (acks=all) before the projection moves on`,
      `parsing: ${reads} times the same record, zod checks included`,
    ],
  });
});
