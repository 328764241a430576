/**
 * The wallet on the cluster: a processor decides deposits and withdrawals and appends one event
 * per command (acks -1, idempotent, on RF 3 and min ISR 2) while the events topic's leader is
 * killed under it. Its invariants hold: no balance below zero, one event per command, and the
 * balances the commands decide, in order.
 */
import { decide, WalletProcessor, type WalletCommand, type WalletEvent } from "../src/wallet.ts";
import { readValues } from "../src/numbered.ts";
import { clusterBrokerIds } from "#kit/cluster";
import { describe, eventually, expect, Failpoints, proves, tradeoff } from "#kit/testing";
import { clusterTimeoutMs, rolesOf, test, waitForFullIsr } from "./helpers.ts";


/** alice and bob, in turns: deposit 10, withdraw 15, deposit 10, withdraw 15, … — some withdrawals must be refused. */
function commands(count: number): WalletCommand[] {
  return Array.from({ length: count }, (_, i) => ({
    commandId: `c-${i}`,
    accountId: i % 2 === 0 ? "alice" : "bob",
    type: Math.floor(i / 2) % 2 === 0 ? "Deposit" : "Withdraw",
    amount: Math.floor(i / 2) % 2 === 0 ? 10 : 15,
  }));
}

/** What the events must be: the commands decided one after another, per account. */
function expectedEvents(sent: WalletCommand[]): WalletEvent[] {
  const balances = new Map<string, number>();
  return sent.map((command) => {
    const event = decide(command, balances.get(command.accountId) ?? 0);
    balances.set(command.accountId, event.balance);
    return event;
  });
}

describe(tradeoff("the wallet keeps its invariants while a broker dies"), () => {
  test(
    "GIVEN 120 deposits and withdrawals for alice and bob WHEN the events topic's leader is killed right after the 40th event is appended THEN there is exactly one event per command, no balance below zero, and the balances the commands decide",
    { ...proves("survives-crash", "the wallet's processor on three brokers (a broker killed)", "holds"), timeout: clusterTimeoutMs },
    async ({ cluster, annotate }) => {
      const durable = { replicationFactor: 3, configEntries: [{ name: "min.insync.replicas", value: "2" }] };
      const commandsTopic = await cluster.topic("commands", durable);
      const eventsTopic = await cluster.topic("events", durable);
      await waitForFullIsr(cluster, eventsTopic);
      const { leader } = await rolesOf(cluster, eventsTopic);
      const sent = commands(120);
      const producer = await cluster.producer();
      await producer.send({ topic: commandsTopic, acks: -1, messages: sent.map((command) => ({ key: command.accountId, value: JSON.stringify(command) })) });

      // Killed from inside the processor, between two appends: nothing of its own is in flight.
      let appended = 0;
      const points = new Failpoints().on("after-append", async () => {
        if (++appended === 40) await cluster.control.kill(leader);
      });
      // Few client-level retries: a send that meets the dead leader fails fast, the command is
      // delivered again, and the processor's retry asks who leads now.
      const processor = new WalletProcessor({ kafka: cluster.kafkaOn(clusterBrokerIds, { retries: 2, requestTimeout: 10_000 }), commandsTopic, eventsTopic, groupId: cluster.groupId("wallet"), points });
      try {
        await processor.start();
        await eventually(async () => expect((await cluster.admin.fetchTopicOffsets(eventsTopic))[0]?.high).toBe("120"), { timeoutMs: 90_000, intervalMs: 250, what: "an event for each of the 120 commands" });
      } finally {
        await processor.stop();
      }
      const events = (await readValues(cluster.kafka, eventsTopic, cluster.groupId("reader"))).map((value) => JSON.parse(value) as WalletEvent);

      const refused = events.filter((event) => event.type === "WithdrawalRefused").length;
      await annotate(`leader ${leader} of the events killed after 40 appends · ${events.length} events for ${sent.length} commands · ${new Set(events.map((event) => event.commandId)).size} distinct · ${refused} withdrawals refused · lowest balance ${Math.min(...events.map((event) => event.balance))} · ${processor.redelivered} commands delivered again and recognised`);
      expect(appended).toBe(120);
      expect(events).toEqual(expectedEvents(sent));
      expect(Math.min(...events.map((event) => event.balance))).toBeGreaterThanOrEqual(0);
      expect(refused).toBe(expectedEvents(sent).filter((event) => event.type === "WithdrawalRefused").length);
    },
  );
});
