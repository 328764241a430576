/**
 * Task 5: a retry with the same idempotency key gets the first result, and nothing is applied
 * twice — also when the retry reaches a new owner of the account after a rebalance. The tests
 * run step 05's processor design: keys do not need transactions, so this task does not wait
 * for Tasks 3 and 4.
 */
import { NoResultInTime } from "../src/client.ts";
import type { CommandResult } from "../src/commands.ts";
import { foldEvents } from "../src/domain.ts";
import { answerRetry, checkIdempotencyKey, InvalidIdempotencyKey, MAX_IDEMPOTENCY_KEY_LENGTH, requestHash } from "../src/idempotency.ts";
import { Failpoints, describe, eventually, expect, failureOf, proves, task } from "#kit/testing";
import { givenWallet, Hold, readLog, test, type Wallet } from "./helpers.ts";
import { deposit, open } from "./specification.ts";

const first: CommandResult = { commandId: "try-1", outcome: "accepted", accountId: "alice", events: [], position: { partition: 0, offset: 2 } };
const hashOf50 = requestHash(deposit("alice", 50));

/** The deposits of 50 in alice's committed stream, by the command that caused them. */
async function depositsOf50(context: Parameters<typeof readLog>[0], wallet: Wallet) {
  const log = await readLog(context, wallet.topics.events);
  const causes = log.eventsOf("alice").filter((event) => event.type === "MoneyDeposited" && event.data.amount === 50).map((event) => event.metadata.causationId);
  return { causes, state: foldEvents(log.eventsOf("alice")) };
}

/** The first try is held in the processor until the client has given up on it. */
async function firstTryTimesOut(wallet: Wallet, points: Failpoints, stopWhenDone: (thing: { stop(): Promise<void> }) => void, idempotencyKey: string): Promise<Hold> {
  const hold = new Hold();
  stopWhenDone({ stop: async () => hold.release() });
  points.on("after-load", hold.action);
  await failureOf(() => wallet.send(deposit("alice", 50), { commandId: "try-1", idempotencyKey, timeoutMs: 300 }), NoResultInTime);
  await hold.reached.received();
  points.clear("after-load");
  return hold;
}

describe(task(5, "answer a retry with the first result"), () => {
  test("GIVEN a key never used THEN there is nothing to answer: the command is decided as usual", () => {
    expect(answerRetry(undefined, { commandId: "try-1", idempotencyKey: "rent-march", requestHash: hashOf50 })).toBeUndefined();
  });

  test("GIVEN a key used for the same deposit THEN the retry gets the first result, addressed to the retry", () => {
    expect(answerRetry({ requestHash: hashOf50, result: first }, { commandId: "try-2", idempotencyKey: "rent-march", requestHash: hashOf50 })).toEqual({ ...first, commandId: "try-2" });
  });

  test("GIVEN a key used for a deposit of 50 WHEN it comes back with a deposit of 70 THEN IDEMPOTENCY_KEY_REUSED, naming the key and the first command", () => {
    const answer = answerRetry({ requestHash: hashOf50, result: first }, { commandId: "try-2", idempotencyKey: "rent-march", requestHash: requestHash(deposit("alice", 70)) });
    expect(answer).toMatchObject({ commandId: "try-2", outcome: "rejected", rejection: { code: "IDEMPOTENCY_KEY_REUSED", idempotencyKey: "rent-march", firstCommandId: "try-1" } });
    if (answer?.outcome === "rejected") expect(answer.rejection.message).toContain("rent-march");
  });

  test(
    "GIVEN alice holds 100 WHEN the client's deposit of 50 times out while the processor is held, and the client sends it again with the same idempotency key THEN the retry gets the first result and 50 is applied once: 150",
    proves("exactly-once-effect", "client retry with an idempotency key", "holds"),
    async ({ kafka, stopWhenDone, annotate }) => {
      const wallet = await givenWallet({ kafka, stopWhenDone });
      const points = new Failpoints();
      await wallet.startProcessor({ transactions: "none", points });
      await wallet.send(open("alice"));
      await wallet.send(deposit("alice", 100));

      const hold = await firstTryTimesOut(wallet, points, stopWhenDone, "rent-march");
      const retry = wallet.send(deposit("alice", 50), { commandId: "try-2", idempotencyKey: "rent-march" });
      hold.release();
      const retried = await retry;

      const { causes, state } = await depositsOf50({ kafka, stopWhenDone }, wallet);
      await annotate(`2 requests with one key · ${causes.length} applied · alice at ${state.status === "open" ? state.balance : "?"}`);
      expect(retried).toMatchObject({ commandId: "try-2", outcome: "accepted", events: [{ metadata: { causationId: "try-1", idempotencyKey: "rent-march" } }] });
      expect(causes).toEqual(["try-1"]);
      expect(state).toMatchObject({ balance: 150 });
    },
  );

  test(
    "GIVEN the first try was applied by processor A after the client gave up WHEN A leaves, B takes the partition, and the client retries with the same key THEN B finds the key in the log and answers with the first result: applied once",
    proves("exactly-once-effect", "client retry with an idempotency key", "holds"),
    async ({ kafka, stopWhenDone }) => {
      const wallet = await givenWallet({ kafka, stopWhenDone });
      const points = new Failpoints();
      const a = await wallet.startProcessor({ transactions: "none", points });
      await wallet.send(open("alice"));
      await wallet.send(deposit("alice", 100));
      const hold = await firstTryTimesOut(wallet, points, stopWhenDone, "rent-march");
      hold.release();
      await eventually(() => expect(wallet.client.resultsFor("try-1")).toHaveLength(1), { what: "A to apply and answer the first try" });
      await a.stop();
      const b = await wallet.startProcessor({ transactions: "none" });
      expect(b.assignedPartitions).toEqual([0]);

      const retried = await wallet.send(deposit("alice", 50), { commandId: "try-2", idempotencyKey: "rent-march" });
      const reused = await wallet.send(deposit("alice", 70), { commandId: "try-3", idempotencyKey: "rent-march" });

      expect(retried).toMatchObject({ commandId: "try-2", outcome: "accepted", events: [{ metadata: { causationId: "try-1" } }] });
      expect(reused).toMatchObject({ commandId: "try-3", outcome: "rejected", rejection: { code: "IDEMPOTENCY_KEY_REUSED", firstCommandId: "try-1" } });
      const { causes, state } = await depositsOf50({ kafka, stopWhenDone }, wallet);
      expect(causes).toEqual(["try-1"]);
      expect(state).toMatchObject({ balance: 150 });
    },
  );
});

describe("idempotency keys the client refuses to send", () => {
  test("GIVEN an empty key, a key of spaces, or one longer than the limit THEN InvalidIdempotencyKey says why, and a good key passes", async () => {
    expect((await failureOf(() => checkIdempotencyKey(""), InvalidIdempotencyKey)).reason).toContain("must not be empty");
    expect((await failureOf(() => checkIdempotencyKey("   "), InvalidIdempotencyKey)).reason).toContain("only spaces");
    expect((await failureOf(() => checkIdempotencyKey("k".repeat(MAX_IDEMPOTENCY_KEY_LENGTH + 1)), InvalidIdempotencyKey)).reason).toContain(`at most ${MAX_IDEMPOTENCY_KEY_LENGTH}`);
    expect((await failureOf(() => checkIdempotencyKey(42), InvalidIdempotencyKey)).reason).toContain("must be a string");
    expect(checkIdempotencyKey("rent-march")).toBe("rent-march");
  });

  test("GIVEN a client WHEN it is asked to send a deposit with an empty key THEN it refuses before sending: nothing reaches the commands topic", async ({ kafka, stopWhenDone }) => {
    const wallet = await givenWallet({ kafka, stopWhenDone });
    await failureOf(() => wallet.client.send(deposit("alice", 50), { idempotencyKey: "" }), InvalidIdempotencyKey);
    await failureOf(() => wallet.client.send(deposit("alice", 50), { idempotencyKey: "x".repeat(200) }), InvalidIdempotencyKey);
    expect((await kafka.admin.fetchTopicOffsets(wallet.topics.commands))[0]?.high).toBe("0");
  });
});
