/**
 * Given: the read model that is already live — each account's balance, as step 06's
 * projection keeps it — written by the same replay machinery. The trade-off tests use it:
 * they show what a replay costs whatever the model, and need none of your tasks.
 */
import type { EventEnvelope } from "./envelope.ts";
import type { Queryable, ReadModel } from "./replay.ts";

export const balancesModel: ReadModel = {
  name: "balances",

  async createTable(db, table) {
    await db.query(`CREATE TABLE IF NOT EXISTS "${table}" (account_id text PRIMARY KEY, balance bigint NOT NULL, events int NOT NULL)`);
  },

  async apply(db, table, events) {
    if (events.length === 0) return;
    const changes = balanceChanges(events);
    const accounts = [...changes.keys()];
    await db.query(
      `INSERT INTO "${table}" (account_id, balance, events)
       SELECT * FROM unnest($1::text[], $2::bigint[], $3::int[])
       ON CONFLICT (account_id) DO UPDATE SET balance = "${table}".balance + excluded.balance, events = "${table}".events + excluded.events`,
      [accounts, accounts.map((id) => changes.get(id)!.balance), accounts.map((id) => changes.get(id)!.events)],
    );
  },
};

/** account → its balance, folded in memory: what a complete balances model holds. */
export function foldBalances(events: Iterable<EventEnvelope>): Record<string, number> {
  return Object.fromEntries([...balanceChanges(events)].map(([id, change]) => [id, change.balance]).sort(([a], [b]) => (a! < b! ? -1 : 1)));
}

/** account → its balance, as the table holds it. */
export async function readBalances(db: Queryable, table: string): Promise<Record<string, number>> {
  const { rows } = await db.query<{ account_id: string; balance: string }>(`SELECT account_id, balance FROM "${table}"`);
  return Object.fromEntries(rows.map((row) => [row.account_id, Number(row.balance)]).sort(([a], [b]) => (a! < b! ? -1 : 1)));
}

function balanceChanges(events: Iterable<EventEnvelope>): Map<string, { balance: number; events: number }> {
  const changes = new Map<string, { balance: number; events: number }>();
  for (const event of events) {
    const change = changes.get(event.data.accountId) ?? { balance: 0, events: 0 };
    change.events += 1;
    if (event.type === "MoneyDeposited") change.balance += event.data.amount;
    if (event.type === "MoneyWithdrawn") change.balance -= event.data.amount;
    changes.set(event.data.accountId, change);
  }
  return changes;
}
