/**
 * The same transfers through both banks: how many a second, how long from the request to the
 * money's arrival, and — for the saga — how long the money spends in flight, between the debit
 * and the credit. The workload is fixed: N transfers of 1 cent among 20 accounts, each pair of
 * accounts different, every account rich enough that none is refused.
 *
 * Both banks get the requests as a burst (8 at a time for the CRUD bank, all at once for the
 * saga's desk), so each latency includes the time a transfer waited behind the others; then a
 * few more, one at a time, for the latency of a transfer that waits for nobody.
 */
import { performance } from "node:perf_hooks";
import { benchSize, measure, perSecond, report, summarize, summaryRows } from "#kit/bench";
import { waitForGroupJoin } from "#kit/kafka";
import { eventually, expect, Failpoints } from "#kit/testing";
import { totalBalance, transfer } from "../src/crud/bank.ts";
import { parseTransferEvent } from "../src/envelope.ts";
import type { TransferRequest } from "../src/transfer.ts";
import { givenBank, givenCrudBank, test } from "../test/helpers.ts";

const ACCOUNTS = Array.from({ length: 20 }, (_, i) => `account-${String(i).padStart(2, "0")}`);
const RICH = 1_000_000;

/** Transfer i: from account i mod 20 to the account 1 to 19 places further on — never itself. */
function workload(count: number): TransferRequest[] {
  return Array.from({ length: count }, (_, i) => ({
    transferId: `bench-${i}`,
    from: ACCOUNTS[i % ACCOUNTS.length]!,
    to: ACCOUNTS[(i + 1 + (i % (ACCOUNTS.length - 1))) % ACCOUNTS.length]!,
    amount: 1,
  }));
}

/** Runs `work` over `items`, at most `width` at a time. */
async function inParallel<T>(items: readonly T[], width: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}

test("transfers: one SQL transaction against a saga, the same workload", async ({ db, kafka, stopWhenDone }) => {
  const transfers = workload(benchSize(400));
  const allMoney = RICH * ACCOUNTS.length;

  // The CRUD bank: each transfer is one call, timed from the call to the commit.
  await givenCrudBank(db.pool, Object.fromEntries(ACCOUNTS.map((id) => [id, RICH])));
  const pool = db.newPool({ max: 8 });
  const crudLatency: number[] = [];
  const crud = await measure(() =>
    inParallel(transfers, 8, async (request) => {
      crudLatency.push((await measure(() => transfer(pool, request))).ms);
    }),
  );
  expect(crudLatency).toHaveLength(transfers.length);
  const alone = workload(transfers.length + benchSize(20)).slice(transfers.length);
  const crudAlone: number[] = [];
  for (const request of alone) crudAlone.push((await measure(() => transfer(pool, request))).ms);
  expect(await totalBalance(db.pool)).toBe(allMoney);

  // The saga: requests at the desk; the time each one's TransferCompleted reaches a reader of the
  // transfers topic; the time between each debit and its credit, seen from inside the saga (it
  // drives one transfer at a time, so "the transfer being driven" is never ambiguous).
  const bank = await givenBank({ kafka, stopWhenDone }, { partitions: 4 });
  await bank.open(Object.fromEntries(ACCOUNTS.map((id) => [id, RICH])));
  const inFlight: number[] = [];
  let debitedAt = 0;
  const points = new Failpoints()
    .on("after-debit", () => void (debitedAt = performance.now()))
    .on("after-credit", () => void inFlight.push(performance.now() - debitedAt));
  await bank.startSaga({ points });

  const requestedAt = new Map<string, number>();
  const completedAt = new Map<string, number>();
  const watcher = kafka.consumer({ groupId: kafka.groupId("bench-watcher") });
  await watcher.connect();
  await watcher.subscribe({ topic: bank.topics.transfers, fromBeginning: true });
  const joined = waitForGroupJoin(watcher);
  await watcher.run({
    eachMessage: async ({ message }) => {
      const event = parseTransferEvent(message.value?.toString("utf8") ?? "");
      if (event.type === "TransferCompleted") completedAt.set(event.data.transferId, performance.now());
    },
  });
  await joined;

  const saga = await measure(async () => {
    for (const request of transfers) {
      requestedAt.set(request.transferId, performance.now());
      expect(await bank.desk.request(request)).toMatchObject({ outcome: "requested" });
    }
    await eventually(() => expect(completedAt.size).toBe(transfers.length), { timeoutMs: 600_000, intervalMs: 10, what: "every transfer to complete" });
  });
  const sagaLatency = transfers.map((request) => completedAt.get(request.transferId)! - requestedAt.get(request.transferId)!);
  const sagaAlone: number[] = [];
  for (const request of alone) {
    const start = performance.now();
    await bank.desk.request(request);
    await eventually(() => expect(completedAt.has(request.transferId)).toBe(true), { timeoutMs: 60_000, intervalMs: 1, what: `${request.transferId} to complete` });
    sagaAlone.push(completedAt.get(request.transferId)! - start);
  }
  const totals = await bank.totals();
  expect(totals).toMatchObject({ sumOfBalances: allMoney, inFlight: 0 });
  expect(inFlight).toHaveLength(transfers.length + alone.length);

  report({
    step: "10-transfers",
    title: "transfers: one SQL transaction against a saga",
    rows: [
      { label: "CRUD, 8 clients: transfers/s", value: perSecond(transfers.length, crud.ms), unit: "transfers/s" },
      ...summaryRows("CRUD: request → committed, in the burst", summarize(crudLatency)),
      ...summaryRows("CRUD: request → committed, alone", summarize(crudAlone)),
      { label: "saga, one instance: transfers/s", value: perSecond(transfers.length, saga.ms), unit: "transfers/s" },
      ...summaryRows("saga: request → TransferCompleted seen, in the burst", summarize(sagaLatency)),
      ...summaryRows("saga: request → TransferCompleted seen, alone", summarize(sagaAlone)),
      ...summaryRows("saga: money in flight (debit → credit)", summarize(inFlight)),
    ],
    notes: [
      `${transfers.length} transfers of 1 cent among ${ACCOUNTS.length} accounts in a burst, then ${alone.length} one at a time; none refused; both banks end with the total they started with`,
      "CRUD: 8 connections, each transfer one transaction (record, lock both rows, debit, credit, commit); money in flight: never visible",
      "saga: accounts topic of 4 partitions, one writer each; one saga instance on a one-partition transfers topic drives one transfer at a time",
      "saga latency is from the desk's request to a reader seeing TransferCompleted, and includes the wait behind earlier requests",
    ],
  });
});
