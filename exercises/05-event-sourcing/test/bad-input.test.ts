/**
 * Anything may land on the commands topic. A record the processor cannot use gets a typed
 * rejection, recorded on the results topic for whoever sent it, and the partition moves on.
 */
import { describe, expect, task } from "#kit/testing";
import { givenWallet, readLog, test } from "./helpers.ts";
import { deposit, open } from "./story.ts";

describe(task(5, "one writer per account"), () => {
  test("GIVEN bad records among good commands on one partition WHEN the processor reads them THEN each bad one gets its typed rejection, the good ones are applied, and nothing stalls", async ({ kafka, stopWhenDone }) => {
    const wallet = await givenWallet({ kafka, stopWhenDone });
    const processor = await wallet.startProcessor();
    await wallet.send(open("alice"));

    const answers = await Promise.all([
      wallet.sendRaw("alice", '{"commandId":"broken","type":"Dep', "broken"),
      wallet.sendRaw("alice", JSON.stringify({ commandId: "transfer", type: "Transfer", data: { accountId: "alice", amount: 5 } }), "transfer"),
      wallet.sendRaw("alice", JSON.stringify({ commandId: "string-amount", type: "Deposit", data: { accountId: "alice", amount: "100" } }), "string-amount"),
      wallet.sendRaw("alice", JSON.stringify({ commandId: "negative", type: "Deposit", data: { accountId: "alice", amount: -100 } }), "negative"),
      wallet.sendRaw("alice", JSON.stringify({ type: "Deposit", data: { accountId: "alice", amount: 100 } }), "no-id-in-body"),
    ]);
    const good = await wallet.send(deposit("alice", 100));

    expect(answers.map((answer) => [answer.commandId, answer.outcome === "rejected" ? answer.rejection.code : answer.outcome])).toEqual([
      ["broken", "MALFORMED_COMMAND"],
      ["transfer", "UNKNOWN_COMMAND_TYPE"],
      ["string-amount", "INVALID_COMMAND"],
      ["negative", "INVALID_COMMAND"],
      ["no-id-in-body", "INVALID_COMMAND"],
    ]);
    // The processor is alive, the partition moved on, and only the good commands left events.
    expect(good).toMatchObject({ outcome: "accepted", events: [{ type: "MoneyDeposited", data: { amount: 100 } }] });
    expect(processor.handledCount).toBe(7);
    const log = await readLog({ kafka, stopWhenDone }, wallet.topics.events);
    expect(log.allEvents().map((event) => event.type)).toEqual(["AccountOpened", "MoneyDeposited"]);
  });
});
