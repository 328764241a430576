/**
 * Given: what a report of the whole bank must do once transfers are sagas.
 *
 * Summing the balances is no longer "all the money": a transfer between its debit and its
 * credit has taken money out of one account and not yet put it into the other. A report that
 * must add up counts that money too — the debits with neither a credit nor a refund yet: the
 * money in flight. Balances + in flight is constant; balances alone are not.
 */
import { foldEvents, type AccountEvent } from "./domain.ts";

export interface BankTotals {
  /** Each open account's balance. */
  balances: Record<string, number>;
  /** The sum of the balances: what a naive report shows. */
  sumOfBalances: number;
  /** Debited by a transfer, and neither credited nor refunded yet. */
  inFlight: number;
  /** The transfers whose money is in flight. */
  transfersInFlight: string[];
}

/** The totals of a bank from its account events (all of them, from the start). */
export function bankTotals(events: readonly AccountEvent[]): BankTotals {
  const byAccount = new Map<string, AccountEvent[]>();
  const debits = new Map<string, number>();
  const settled = new Set<string>();
  for (const event of events) {
    byAccount.set(event.data.accountId, [...(byAccount.get(event.data.accountId) ?? []), event]);
    if (event.type === "TransferDebited") debits.set(event.data.transferId, event.data.amount);
    if (event.type === "TransferCredited" || event.type === "TransferRefunded") settled.add(event.data.transferId);
  }
  const balances: Record<string, number> = {};
  for (const [accountId, history] of byAccount) {
    const state = foldEvents(history);
    if (state.status === "open") balances[accountId] = state.balance;
  }
  const inFlightEntries = [...debits].filter(([transferId]) => !settled.has(transferId));
  return {
    balances,
    sumOfBalances: Object.values(balances).reduce((sum, balance) => sum + balance, 0),
    inFlight: inFlightEntries.reduce((sum, [, amount]) => sum + amount, 0),
    transfersInFlight: inFlightEntries.map(([transferId]) => transferId),
  };
}
