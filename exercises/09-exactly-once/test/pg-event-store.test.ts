/**
 * Task 2: the same stale append, side by side. Two writers both loaded alice at version 2
 * (opened, 100 deposited) and both decided a withdrawal of 80 as her version 3. Kafka takes
 * both appends; a Postgres table with UNIQUE (account_id, version) refuses the second.
 */
import { foldEvents } from "../src/domain.ts";
import { envelop, type EventEnvelope } from "../src/envelope.ts";
import { appendEvents } from "../src/event-log.ts";
import { appendToStream, createEventsTable, InvalidAppend, loadStream, StreamVersionConflict } from "../src/pg-event-store.ts";
import { describe, expect, failureOf, proves, provesAll, task } from "#kit/testing";
import { readLog, test } from "./helpers.ts";

const history = (): EventEnvelope[] => [
  ...envelop([{ type: "AccountOpened", data: { accountId: "alice" } }], { accountId: "alice", causationId: "open", afterVersion: 0 }),
  ...envelop([{ type: "MoneyDeposited", data: { accountId: "alice", amount: 100 } }], { accountId: "alice", causationId: "deposit", afterVersion: 1 }),
];

/** A withdrawal of 80 decided on alice at version 2: what each of the two writers appends. */
const withdrawalDecidedOnVersion2 = (commandId: string) => envelop([{ type: "MoneyWithdrawn", data: { accountId: "alice", amount: 80 } }], { accountId: "alice", causationId: commandId, afterVersion: 2 });

describe(task(2, "refuse a stale append"), () => {
  test(
    "GIVEN alice at version 2 with 100, in Kafka and in Postgres WHEN the new owner and then the zombie each append a withdrawal of 80 as version 3 THEN Kafka keeps both (-60), Postgres refuses the zombie's with StreamVersionConflict (20)",
    provesAll(
      proves("invariants-under-concurrency", "Postgres events table, UNIQUE (account_id, version)", "holds"),
      proves("invariants-under-concurrency", "Kafka events topic, versions not checked on append", "broken"),
    ),
    async ({ kafka, db, stopWhenDone, annotate }) => {
      await createEventsTable(db.pool);
      const topic = await kafka.topic("events");
      const producer = await kafka.producer();
      await appendToStream(db.pool, history());
      await appendEvents(producer, topic, history());

      const fromNewOwner = withdrawalDecidedOnVersion2("w-1");
      const fromZombie = withdrawalDecidedOnVersion2("w-1");
      await appendEvents(producer, topic, fromNewOwner);
      await appendEvents(producer, topic, fromZombie);
      await appendToStream(db.pool, fromNewOwner);
      const refusal = await failureOf(() => appendToStream(db.pool, fromZombie), StreamVersionConflict);

      const inKafka = (await readLog({ kafka, stopWhenDone }, topic)).eventsOf("alice");
      const inPostgres = await loadStream(db.pool, "alice");
      const balance = (events: EventEnvelope[]) => {
        const state = foldEvents(events);
        return state.status === "open" ? state.balance : Number.NaN;
      };
      await annotate(`Kafka: ${inKafka.length} events, alice at ${balance(inKafka)} · Postgres: ${inPostgres.length} events, alice at ${balance(inPostgres)}, the zombie's append refused (${refusal.name})`);
      expect(refusal).toMatchObject({ accountId: "alice", version: 3 });
      expect(refusal.message).toContain("alice");
      expect(inKafka.map((event) => event.metadata.version)).toEqual([1, 2, 3, 3]);
      expect(balance(inKafka)).toBe(-60);
      expect(inPostgres.map((event) => event.metadata.version)).toEqual([1, 2, 3]);
      expect(balance(inPostgres)).toBe(20);
    },
  );

  test("GIVEN an append whose second event is refused THEN none of it is written: all or nothing", async ({ db }) => {
    await createEventsTable(db.pool);
    await appendToStream(db.pool, history().slice(0, 1));
    // Someone else's version 3 is already there.
    await appendToStream(db.pool, envelop([{ type: "MoneyDeposited", data: { accountId: "alice", amount: 9 } }], { accountId: "alice", causationId: "d-9", afterVersion: 2 }));
    const both = envelop(
      [
        { type: "MoneyDeposited", data: { accountId: "alice", amount: 5 } },
        { type: "MoneyDeposited", data: { accountId: "alice", amount: 7 } },
      ],
      { accountId: "alice", causationId: "d-5-and-7", afterVersion: 1 },
    );

    // Versions 2 and 3: 3 is taken, so neither lands.
    expect(await failureOf(() => appendToStream(db.pool, both), StreamVersionConflict)).toMatchObject({ accountId: "alice", version: 3 });
    expect((await loadStream(db.pool, "alice")).map((event) => event.metadata.version)).toEqual([1, 3]);
  });

  test("GIVEN appends that cannot be one append (none, two accounts, versions that skip) THEN InvalidAppend says why, and nothing is written", async ({ db }) => {
    await createEventsTable(db.pool);
    const bobs = envelop([{ type: "AccountOpened", data: { accountId: "bob" } }], { accountId: "bob", causationId: "open-bob", afterVersion: 1 });
    const skipping = [history()[0]!, { ...history()[1]!, metadata: { ...history()[1]!.metadata, version: 3 } }];

    expect((await failureOf(() => appendToStream(db.pool, []), InvalidAppend)).message).toContain("at least one event");
    expect((await failureOf(() => appendToStream(db.pool, [history()[0]!, ...bobs]), InvalidAppend)).message).toContain("one account");
    expect((await failureOf(() => appendToStream(db.pool, skipping), InvalidAppend)).message).toContain("consecutive");
    expect((await db.pool.query("SELECT count(*)::int AS n FROM events")).rows[0]).toEqual({ n: 0 });
  });
});
