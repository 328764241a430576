/**
 * Given, and wrong on purpose: the writer everyone writes first. Each service instance
 * loads the account's events, checks, and appends — load, decide, append, with nothing
 * between the load and the append to stop another writer from doing the same.
 *
 * With a database, the append would say "only if the account is still at version N" and a
 * unique constraint would refuse the second writer. Kafka has no such append: both land.
 * The trade-off tests hold two of these writers at "after-load" until both have loaded.
 *
 * The balance check is written out here (not with your evolve and decide) so that the
 * trade-off tests run before Tasks 1 and 2 are done; the logic is the same.
 */
import type { Producer } from "#kit/kafka";
import { noFailpoints, type FailpointHook } from "#kit/failpoints";
import { rejections, type DomainRejection, type WalletEvent } from "./domain.ts";
import { envelop, systemStamp, type EventEnvelope, type Position, type Stamp } from "./envelope.ts";
import { appendEvents, type EventLogReader } from "./event-log.ts";

/** One instance of a service that writes events itself: its own reader of the log, its own producer. */
export interface NaiveWriter {
  reader: EventLogReader;
  producer: Producer;
  topic: string;
  stamp?: Stamp;
  points?: FailpointHook;
}

export type NaiveOutcome = { outcome: "appended"; position: Position } | { outcome: "rejected"; rejection: DomainRejection };

/** Given: a deposit as load, append. */
export async function naiveDeposit(writer: NaiveWriter, accountId: string, amount: number, commandId: string): Promise<NaiveOutcome> {
  const history = await load(writer, accountId);
  if (!isOpen(history)) return { outcome: "rejected", rejection: rejections.accountNotFound(accountId) };
  return append(writer, { type: "MoneyDeposited", data: { accountId, amount } }, commandId);
}

/** Given: a withdrawal as load, check, append. Two of them at once can both pass the check. */
export async function naiveWithdraw(writer: NaiveWriter, accountId: string, amount: number, commandId: string): Promise<NaiveOutcome> {
  const history = await load(writer, accountId);
  if (!isOpen(history)) return { outcome: "rejected", rejection: rejections.accountNotFound(accountId) };
  const balance = balanceOf(history);
  if (balance < amount) return { outcome: "rejected", rejection: rejections.insufficientFunds(accountId, balance, amount) };
  return append(writer, { type: "MoneyWithdrawn", data: { accountId, amount } }, commandId);
}

async function load({ reader, points = noFailpoints }: NaiveWriter, accountId: string): Promise<EventEnvelope[]> {
  await reader.catchUp();
  const history = reader.eventsOf(accountId);
  // The gap: what was loaded is already the past, and nothing will check it again.
  await points.reach("after-load");
  return history;
}

async function append({ producer, topic, stamp = systemStamp }: NaiveWriter, event: WalletEvent, commandId: string): Promise<NaiveOutcome> {
  const position = await appendEvents(producer, topic, envelop([event], { accountId: event.data.accountId, causationId: commandId, stamp }));
  return { outcome: "appended", position };
}

function isOpen(history: readonly WalletEvent[]): boolean {
  return history.some((event) => event.type === "AccountOpened");
}

/** The balance the events add up to: deposits in, withdrawals out. */
export function balanceOf(history: readonly WalletEvent[]): number {
  let balance = 0;
  for (const event of history) {
    if (event.type === "MoneyDeposited") balance += event.data.amount;
    if (event.type === "MoneyWithdrawn") balance -= event.data.amount;
  }
  return balance;
}
