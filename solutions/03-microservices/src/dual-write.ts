/**
 * Given, and wrong on purpose: the two ways to tell Kafka about a change that most code
 * starts with. Each writes to two systems — Postgres and Kafka — that share no transaction,
 * so a crash between the two writes keeps one and loses the other:
 *
 * - commit, then publish: a crash after the commit loses the event. The money moved; no
 *   other service will ever hear of it.
 * - publish, then commit: a crash (or any failure) before the commit rolls the change back,
 *   but Kafka already has the event. Every other service believes in a deposit that never
 *   happened.
 *
 * The trade-off tests inject the crash at "after-commit" and "after-publish". Compare with
 * the outbox (outbox.ts + relay.ts), where there is only one write: the transaction.
 */
import { randomUUID } from "node:crypto";
import type pg from "pg";
import { noFailpoints, type FailpointHook } from "#kit/failpoints";
import { deposited, type WalletEvent } from "./events.ts";
import type { EventPublisher } from "./publisher.ts";
import { inTransaction } from "./transactions.ts";
import { deposit } from "./wallet.ts";

/** Given: deposit (committed at once), then publish the Deposited event. */
export async function depositThenPublish(
  pool: pg.Pool,
  publisher: EventPublisher,
  accountId: string,
  amount: number,
  points: FailpointHook = noFailpoints,
): Promise<WalletEvent> {
  const balanceAfter = await deposit(pool, accountId, amount);
  // The deposit is committed. If the process dies here, the event is never sent.
  await points.reach("after-commit");
  const event = deposited(randomUUID(), { accountId, amount, balanceAfter });
  await publisher.publish([event]);
  return event;
}

/** Given: deposit inside a transaction, publish the event, then commit. */
export async function publishThenDeposit(
  pool: pg.Pool,
  publisher: EventPublisher,
  accountId: string,
  amount: number,
  points: FailpointHook = noFailpoints,
): Promise<WalletEvent> {
  return inTransaction(pool, async (tx) => {
    const balanceAfter = await deposit(tx, accountId, amount);
    const event = deposited(randomUUID(), { accountId, amount, balanceAfter });
    await publisher.publish([event]);
    // Kafka has the event. If the process dies here, the transaction rolls back: no deposit.
    await points.reach("after-publish");
    return event;
  });
}
