/**
 * Two instances of a service that each write events themselves: load the account, decide,
 * append. The race is not left to luck: both are held at "after-load" until both have
 * loaded, so the bad interleaving happens on every run.
 */
import { envelop } from "../src/envelope.ts";
import { appendEvents, EventLogReader } from "../src/event-log.ts";
import { balanceOf, naiveDeposit, naiveWithdraw, type NaiveWriter } from "../src/naive-writer.ts";
import { Barrier, Failpoints, describe, expect, proves, tradeoff } from "#kit/testing";
import { readLog, test, type KafkaContext } from "./helpers.ts";

/** Failpoints that hold every writer at "after-load" until `parties` writers have loaded. */
function bothLoadBeforeEitherAppends(parties = 2): Failpoints {
  const barrier = new Barrier(parties);
  return new Failpoints().on("after-load", () => barrier.arrive());
}

/** An events topic in which alice's account is open and holds `balance`, written directly. */
async function givenAlice({ kafka }: KafkaContext, balance: number): Promise<string> {
  const topic = await kafka.topic("events");
  const producer = await kafka.producer();
  await appendEvents(producer, topic, envelop([{ type: "AccountOpened", data: { accountId: "alice" } }], { accountId: "alice", causationId: "setup-1" }));
  await appendEvents(producer, topic, envelop([{ type: "MoneyDeposited", data: { accountId: "alice", amount: balance } }], { accountId: "alice", causationId: "setup-2" }));
  return topic;
}

/** Two service instances, each with its own reader of the log and its own producer. */
async function twoWriters(context: KafkaContext, topic: string, points: Failpoints): Promise<[NaiveWriter, NaiveWriter]> {
  const { kafka, stopWhenDone } = context;
  const writer = async (name: string): Promise<NaiveWriter> => {
    // Each instance reads the whole log: a group of its own.
    const reader = new EventLogReader(kafka.kafka, topic, kafka.groupId(`${name}-reader`));
    stopWhenDone(reader);
    await reader.start();
    return { reader, producer: await kafka.producer(), topic, points };
  };
  return [await writer("first-writer"), await writer("second-writer")];
}

describe(tradeoff("Kafka has no conditional append: two writers overdraw"), () => {
  test("GIVEN alice holds 100 WHEN two naive withdrawals of 80 run one after the other THEN the second is refused", async ({ kafka, stopWhenDone, annotate }) => {
    const topic = await givenAlice({ kafka, stopWhenDone }, 100);
    const [first, second] = await twoWriters({ kafka, stopWhenDone }, topic, new Failpoints());

    const one = await naiveWithdraw(first, "alice", 80, "w-1");
    const two = await naiveWithdraw(second, "alice", 80, "w-2");
    const balance = balanceOf((await readLog({ kafka, stopWhenDone }, topic)).eventsOf("alice"));
    await annotate(`one after the other: first ${one.outcome}, second ${two.outcome}; the log folds to ${balance}`);
    expect(one).toMatchObject({ outcome: "appended" });
    expect(two).toMatchObject({ outcome: "rejected", rejection: { code: "INSUFFICIENT_FUNDS", balance: 20 } });

    // Alone, load-check-append is right: what breaks below is the interleaving.
    expect(balance).toBe(20);
  });

  test(
    "GIVEN alice holds 100 WHEN two naive withdrawals of 80 both load before either appends THEN both are appended and the log folds to -60",
    proves("invariants-under-concurrency", "naive writers (load, decide, append)", "broken"),
    async ({ kafka, stopWhenDone, annotate }) => {
      const topic = await givenAlice({ kafka, stopWhenDone }, 100);
      const points = bothLoadBeforeEitherAppends();
      const [first, second] = await twoWriters({ kafka, stopWhenDone }, topic, points);

      const outcomes = await Promise.all([naiveWithdraw(first, "alice", 80, "w-1"), naiveWithdraw(second, "alice", 80, "w-2")]);

      expect(points.timesReached("after-load")).toBe(2);
      // Each writer saw 100 ≥ 80 and appended. Kafka took both: an append cannot say
      // "only if alice is still at the version I loaded".
      expect(outcomes.map((outcome) => outcome.outcome)).toEqual(["appended", "appended"]);
      const history = (await readLog({ kafka, stopWhenDone }, topic)).eventsOf("alice");
      expect(history.filter((event) => event.type === "MoneyWithdrawn").map((event) => event.data.amount)).toEqual([80, 80]);
      // The log now says, for ever, that 160 left an account that held 100.
      await annotate(`both loaded 100 before either appended: ${outcomes.filter((outcome) => outcome.outcome === "appended").length} withdrawals of 80 appended, the log folds to ${balanceOf(history)}`);
      expect(balanceOf(history)).toBe(-60);
    },
  );

  test(
    "GIVEN alice holds 100 WHEN two naive deposits of 50 both load before either appends THEN both count: 200, an append never overwrites",
    proves("no-lost-updates", "naive writers (load, decide, append)", "holds"),
    async ({ kafka, stopWhenDone, annotate }) => {
      const topic = await givenAlice({ kafka, stopWhenDone }, 100);
      const points = bothLoadBeforeEitherAppends();
      const [first, second] = await twoWriters({ kafka, stopWhenDone }, topic, points);

      const outcomes = await Promise.all([naiveDeposit(first, "alice", 50, "d-1"), naiveDeposit(second, "alice", 50, "d-2")]);

      expect(points.timesReached("after-load")).toBe(2);
      expect(outcomes.map((outcome) => outcome.outcome)).toEqual(["appended", "appended"]);
      // The same interleaving lost a deposit in step 01's table. Here each writer appends a
      // fact instead of writing back a total, so both facts are kept and both count.
      const balance = balanceOf((await readLog({ kafka, stopWhenDone }, topic)).eventsOf("alice"));
      await annotate(`both loaded 100 before either appended: 2 deposits of 50, the log folds to ${balance} — 0 lost`);
      expect(balance).toBe(200);
    },
  );
});
