/**
 * The scoreboard's view of step 10 (kit/scoreboard/ loads this file by path): the accounts'
 * writers (one per partition of the accounts topic) take openings and deposits directly. The
 * step's accounts have no plain withdrawal — money leaves an account only by transfer — so the
 * workload's withdrawal is a transfer to the bank's cash account, through the saga: it is
 * acknowledged when the desk has recorded the request, and the balance shows it once the saga
 * has appended the debit. That is the saga's price, and what the staleness column shows here.
 */
import { randomUUID } from "node:crypto";
import { WriteRefused, type ScoreboardAdapter } from "#kit/scoreboard";
import { TransferDesk } from "../src/desk.ts";
import type { AccountCommand } from "../src/domain.ts";
import { TransferSaga } from "../src/saga.ts";
import { AccountWriter, Writers } from "../src/writer.ts";

const cashAccount = "bank-cash";
const partitions = 2;

const adapter: ScoreboardAdapter = {
  step: "10-transfers",
  architecture: "writers + saga transfers",
  path: "write: the account's writer appends (a withdrawal: a transfer to the cash account, acknowledged when requested) · read: the writer's state",
  crashDesign: "saga",
  async start({ kafka, stopWhenDone }) {
    const topics = { accounts: await kafka.topic("accounts", { numPartitions: partitions }), transfers: await kafka.topic("transfers") };
    const writerList = Array.from(
      { length: partitions },
      (_, partition) => new AccountWriter({ kafka: kafka.kafka, topic: topics.accounts, partitionCount: partitions, partitions: [partition], readerGroupId: kafka.groupId(`writer-${partition}`) }),
    );
    const writers = new Writers(writerList);
    const desk = new TransferDesk(kafka.kafka, topics, writers, kafka.groupId("desk"));
    const sagaErrors: unknown[] = [];
    const saga = new TransferSaga({ kafka: kafka.kafka, topics, writers, groupId: kafka.groupId("sagas"), readerGroupId: kafka.groupId("saga"), onError: (error) => sagaErrors.push(error) });
    for (const thing of [...writerList, desk, saga]) stopWhenDone(thing);
    await Promise.all([...writerList.map((writer) => writer.start()), desk.start(), saga.start()]);
    await saga.consume();
    const command = async (accountCommand: AccountCommand) => {
      if (sagaErrors.length > 0) throw sagaErrors[0];
      const answer = await writers.handle(accountCommand, { causationId: randomUUID() });
      if (answer.outcome === "rejected") throw new WriteRefused(adapter.step, accountCommand.type, answer.rejection);
    };
    await command({ type: "OpenAccount", data: { accountId: cashAccount } });
    return {
      open: (accountId) => command({ type: "OpenAccount", data: { accountId } }),
      deposit: (accountId, amount) => command({ type: "Deposit", data: { accountId, amount } }),
      withdraw: async (from, amount) => {
        if (sagaErrors.length > 0) throw sagaErrors[0];
        const answer = await desk.request({ transferId: randomUUID(), from, to: cashAccount, amount });
        if (answer.outcome !== "requested") throw new WriteRefused(adapter.step, "a withdrawal (a transfer to the cash account)", answer);
      },
      balance: async (accountId) => {
        if (sagaErrors.length > 0) throw sagaErrors[0];
        const state = await writers.stateOf(accountId);
        return state.status === "open" ? state.balance : undefined;
      },
    };
  },
};

export default adapter;
