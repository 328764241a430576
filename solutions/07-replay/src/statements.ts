/**
 * The new read model: a monthly statement per account — for each month with activity, the
 * opening balance, the deposits, the withdrawals, the closing balance and how many movements.
 *
 * It is the kind of model that cannot start from today: March's opening balance is the sum
 * of everything that happened to the account before March. Adding it to a running system
 * means reading the whole history — the replay this step measures.
 *
 *   nextStatement(latest, event)   what one event does to the account's latest statement (Task 1)
 *   foldStatements(events)         every statement of a history, folded in memory (given)
 *   statementsModel                the same fold, written to Postgres in batches (given)
 */
import { unreachable } from "./domain.ts";
import type { EventEnvelope } from "./envelope.ts";
import type { Queryable, ReadModel } from "./replay.ts";

/** Amounts in integer cents, as everywhere in the wallet. */
export interface Statement {
  accountId: string;
  /** "2026-03": the calendar month, in UTC. */
  month: string;
  opening: number;
  deposits: number;
  withdrawals: number;
  closing: number;
  /** How many deposits and withdrawals the month had. */
  count: number;
}

/** "2026-03" for any time in March 2026, UTC. */
export function monthOf(occurredAt: string): string {
  return occurredAt.slice(0, 7);
}

/**
 * Task 1 — fold events into monthly statements.
 * The account's latest statement once `event` is applied, given its latest statement
 * before it (undefined if the account has none yet). An event of a later month starts a
 * new statement that opens at the previous one's closing balance; AccountOpened starts one
 * with nothing in it. The log's order is the account's order: an event stamped earlier than
 * the month of the latest statement (a late clock) counts in the latest statement, never
 * reopens a closed month.
 */
export function nextStatement(latest: Statement | undefined, event: EventEnvelope): Statement {
  const { accountId } = event.data;
  const stamped = monthOf(event.metadata.occurredAt);
  const current: Statement =
    latest && latest.month >= stamped
      ? latest
      : { accountId, month: stamped, opening: latest?.closing ?? 0, deposits: 0, withdrawals: 0, closing: latest?.closing ?? 0, count: 0 };
  switch (event.type) {
    case "AccountOpened":
      return current;
    case "MoneyDeposited":
      return { ...current, deposits: current.deposits + event.data.amount, closing: current.closing + event.data.amount, count: current.count + 1 };
    case "MoneyWithdrawn":
      return { ...current, withdrawals: current.withdrawals + event.data.amount, closing: current.closing - event.data.amount, count: current.count + 1 };
    default:
      return unreachable(event);
  }
}

/** Given: every statement of a history, by account then month — what a full rebuild must produce. */
export function foldStatements(events: Iterable<EventEnvelope>): Statement[] {
  const latest = new Map<string, Statement>();
  const all = new Map<string, Statement>();
  for (const event of events) {
    const statement = nextStatement(latest.get(event.data.accountId), event);
    latest.set(statement.accountId, statement);
    all.set(keyOf(statement), statement);
  }
  return [...all.values()].sort(byAccountThenMonth);
}

/**
 * Given: the statements as a table, written in batches. For each chunk of events, the latest
 * statement of each account in it is read in one query, the events are folded in memory
 * with nextStatement, and the statements that changed are written in one statement.
 */
export const statementsModel: ReadModel = {
  name: "statements",

  async createTable(db, table) {
    await db.query(`CREATE TABLE IF NOT EXISTS "${table}" (
      account_id text NOT NULL, month text NOT NULL, opening bigint NOT NULL, deposits bigint NOT NULL,
      withdrawals bigint NOT NULL, closing bigint NOT NULL, count int NOT NULL, PRIMARY KEY (account_id, month))`);
  },

  async apply(db, table, events) {
    if (events.length === 0) return;
    const accounts = [...new Set(events.map((event) => event.data.accountId))];
    const { rows } = await db.query<StatementRow>(
      `SELECT DISTINCT ON (account_id) ${columns} FROM "${table}" WHERE account_id = ANY($1) ORDER BY account_id, month DESC`,
      [accounts],
    );
    const latest = new Map(rows.map((row) => [row.account_id, fromRow(row)]));
    const changed = new Map<string, Statement>();
    for (const event of events) {
      const statement = nextStatement(latest.get(event.data.accountId), event);
      latest.set(statement.accountId, statement);
      changed.set(keyOf(statement), statement);
    }
    const written = [...changed.values()];
    await db.query(
      `INSERT INTO "${table}" (${columns})
       SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::bigint[], $5::bigint[], $6::bigint[], $7::int[])
       ON CONFLICT (account_id, month) DO UPDATE SET opening = excluded.opening, deposits = excluded.deposits,
         withdrawals = excluded.withdrawals, closing = excluded.closing, count = excluded.count`,
      [
        written.map((s) => s.accountId),
        written.map((s) => s.month),
        written.map((s) => s.opening),
        written.map((s) => s.deposits),
        written.map((s) => s.withdrawals),
        written.map((s) => s.closing),
        written.map((s) => s.count),
      ],
    );
  },
};

/** The statements in a table or view, by account then month. */
export async function readStatements(db: Queryable, relation: string): Promise<Statement[]> {
  const { rows } = await db.query<StatementRow>(`SELECT ${columns} FROM "${relation}" ORDER BY account_id, month`);
  return rows.map(fromRow).sort(byAccountThenMonth);
}

const columns = "account_id, month, opening, deposits, withdrawals, closing, count";

/** Postgres returns bigint as text: JavaScript numbers hold cents exactly far beyond any balance here. */
interface StatementRow {
  account_id: string;
  month: string;
  opening: string;
  deposits: string;
  withdrawals: string;
  closing: string;
  count: number;
}

function fromRow(row: StatementRow): Statement {
  return {
    accountId: row.account_id,
    month: row.month,
    opening: Number(row.opening),
    deposits: Number(row.deposits),
    withdrawals: Number(row.withdrawals),
    closing: Number(row.closing),
    count: row.count,
  };
}

function keyOf(statement: Statement): string {
  return `${statement.accountId}\u0000${statement.month}`;
}

/** Plain code-point order, the same as the sort of `ORDER BY … COLLATE "C"`; readStatements sorts again so locales never matter. */
function byAccountThenMonth(a: Statement, b: Statement): number {
  return a.accountId < b.accountId ? -1 : a.accountId > b.accountId ? 1 : a.month < b.month ? -1 : a.month > b.month ? 1 : 0;
}
