/**
 * The client that retries, without an idempotency key. The processor is held inside its
 * handler with the client's deposit until the client has given up waiting (NoResultInTime);
 * the client sends the deposit again — a new request, a new command id. Released, the
 * processor applies the first, then the second. Nothing is left to luck: the hold ends only
 * after the client's timeout has fired.
 */
import { NoResultInTime } from "../src/client.ts";
import { foldEvents } from "../src/domain.ts";
import { Failpoints, describe, expect, failureOf, proves, tradeoff } from "#kit/testing";
import { givenWallet, Hold, readLog, test } from "./helpers.ts";
import { deposit, open } from "./specification.ts";

describe(tradeoff("a client that retries after a timeout applies its deposit twice"), () => {
  test(
    "GIVEN alice holds 100 WHEN the client's deposit of 50 times out while the processor is held, and the client sends it again without an idempotency key THEN both are applied: 200",
    proves("exactly-once-effect", "client retry without an idempotency key", "broken"),
    async ({ kafka, stopWhenDone, annotate }) => {
      const wallet = await givenWallet({ kafka, stopWhenDone });
      const points = new Failpoints();
      await wallet.startProcessor({ transactions: "none", points });
      await wallet.send(open("alice"));
      await wallet.send(deposit("alice", 100));
      const hold = new Hold();
      stopWhenDone({ stop: async () => hold.release() });
      points.on("after-load", hold.action);

      const timedOut = await failureOf(() => wallet.send(deposit("alice", 50), { commandId: "try-1", timeoutMs: 300 }), NoResultInTime);
      await hold.reached.received();
      const retry = wallet.send(deposit("alice", 50), { commandId: "try-2" });
      points.clear("after-load");
      hold.release();
      const retried = await retry;

      const log = await readLog({ kafka, stopWhenDone }, wallet.topics.events);
      const deposits = log.eventsOf("alice").filter((event) => event.type === "MoneyDeposited" && event.data.amount === 50);
      const balance = foldEvents(log.eventsOf("alice"));
      await annotate(`1 deposit of 50 meant · 2 requests (the first timed out) · ${deposits.length} applied · alice at ${balance.status === "open" ? balance.balance : "?"}`);
      expect(timedOut.commandId).toBe("try-1");
      expect(retried).toMatchObject({ commandId: "try-2", outcome: "accepted" });
      expect(deposits.map((event) => event.metadata.causationId)).toEqual(["try-1", "try-2"]);
      expect(balance).toMatchObject({ balance: 200 });
    },
  );
});
