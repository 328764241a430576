/**
 * The given writer: commands and reads of an account's state take turns. A read that loaded an
 * account before a command's append must not put the older state back after it — the next
 * command would be decided on a state that misses an event (an account opened twice, or a
 * balance spent twice: an overdraft).
 */
import { partitionOf } from "#kit/kafka";
import { describe, expect, Failpoints, Latch, Signal } from "#kit/testing";
import { AccountWriter } from "../src/writer.ts";
import { givenBank, test, typesOf } from "./helpers.ts";

describe("the given writer: one operation at a time, reads included", () => {
  test("GIVEN a read of alice's state that has loaded it from the log but not kept it yet WHEN she is opened meanwhile THEN the read answers the state before, the command waits its turn, and a second opening is refused: one AccountOpened", async ({ kafka, stopWhenDone }) => {
    const bank = await givenBank({ kafka, stopWhenDone });
    const loaded = new Signal();
    const release = new Latch();
    const queued = new Signal();
    const points = new Failpoints()
      .on("state-loaded", async () => {
        if (loaded.sent) return;
        loaded.send();
        await release.wait();
      })
      .on("queued", () => queued.send());
    // A writer that has not loaded alice yet (the bank's own has not either): its first read goes to the log.
    const writer = new AccountWriter({ kafka: kafka.kafka, topic: bank.topics.accounts, partitionCount: 2, partitions: [partitionOf("alice", 2)], readerGroupId: kafka.groupId("fresh-writer-reader"), points });
    stopWhenDone(writer);
    await writer.start();

    const reading = writer.stateOf("alice");
    await loaded.received();
    const opening = writer.handle({ type: "OpenAccount", data: { accountId: "alice" } }, { causationId: "open-1" });
    // Let the read go once the opening has either finished (a writer whose reads skip the queue)
    // or been told to wait behind the read: either way, the interleaving is the one that matters.
    await Promise.race([opening.then(() => undefined), queued.received()]);
    release.open();

    expect(await reading).toEqual({ status: "not opened" });
    expect(await opening).toMatchObject({ outcome: "accepted" });
    expect(await writer.handle({ type: "OpenAccount", data: { accountId: "alice" } }, { causationId: "open-2" })).toMatchObject({
      outcome: "rejected",
      rejection: { code: "ACCOUNT_ALREADY_OPEN" },
    });
    expect(typesOf(await bank.history("alice"))).toEqual(["AccountOpened"]);
    expect([points.timesReached("queued"), points.timesReached("state-loaded")]).toEqual([1, 1]);
  });
});
