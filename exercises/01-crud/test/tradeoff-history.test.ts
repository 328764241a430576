/**
 * What a current-state table cannot answer. It keeps one number per account; every write
 * replaces it. The tests search every column of every table in the step's schema for the
 * values a bank would be asked about, and find none.
 */
import type pg from "pg";
import { describe, expect, proves, test, tradeoff } from "#kit/testing";
import { givenWallet, storedBalances } from "./helpers.ts";

/** The statement Task 3 writes, run as plain SQL so this test passes before Task 3 is done. */
async function depositWithSql(db: pg.Pool, accountId: string, amount: number): Promise<void> {
  await db.query("UPDATE accounts SET balance = balance + $2 WHERE id = $1", [accountId, amount]);
}

/** Every value stored anywhere in `schema`, as text: all tables, all columns, all rows. */
async function everyStoredValue(db: pg.Pool, schema: string): Promise<Set<string>> {
  const { rows: columns } = await db.query<{ table_name: string; column_name: string }>(
    `SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = $1`,
    [schema],
  );
  const values = new Set<string>();
  for (const { table_name, column_name } of columns) {
    const { rows } = await db.query<{ value: string | null }>(
      `SELECT ${quoted(column_name)}::text AS value FROM ${quoted(schema)}.${quoted(table_name)}`,
    );
    for (const { value } of rows) if (value !== null) values.add(value);
  }
  return values;
}

function quoted(identifier: string): string {
  return `"${identifier.replaceAll('"', '""')}"`;
}

describe(tradeoff("a current-state table forgets how it got there"), () => {
  test(
    "GIVEN deposits of 100, 50 and 25 WHEN we ask what the balance was before the last one, and why it is 175 THEN nothing in the schema holds the answer",
    proves("full-history", "current-state table", "broken"),
    async ({ db, annotate }) => {
      await givenWallet(db.pool, { alice: 0 });
      for (const amount of [100, 50, 25]) await depositWithSql(db.pool, "alice", amount);

      expect(await storedBalances(db.pool)).toEqual({ alice: 175 });
      // The whole schema is one table of two columns…
      const { rows: columns } = await db.pool.query<{ column: string }>(
        `SELECT table_name || '.' || column_name AS column FROM information_schema.columns WHERE table_schema = $1 ORDER BY 1`,
        [db.schema],
      );
      expect(columns.map(({ column }) => column)).toEqual(["accounts.balance", "accounts.id"]);
      // …and all it stores is the id and the latest balance. The balance before the last
      // deposit (150) and the deposits that explain 175 (100, 50, 25) exist nowhere.
      const stored = await everyStoredValue(db.pool, db.schema);
      await annotate(`3 deposits made, ${stored.size} values stored (${[...stored].join(", ")}): 0 of 3 deposits can be read back`);
      expect(stored).toEqual(new Set(["alice", "175"]));
    },
  );

  test(
    "GIVEN a mistaken deposit of 10000 instead of 100 WHEN it is corrected with an UPDATE THEN the balance is right and nothing says a mistake ever happened",
    proves("mistakes-corrected-without-rewriting-history", "current-state table", "broken"),
    async ({ db, annotate }) => {
      await givenWallet(db.pool, { alice: 0 });
      await depositWithSql(db.pool, "alice", 10_000); // a clerk typed two zeros too many
      expect(await storedBalances(db.pool)).toEqual({ alice: 10_000 });

      // The correction: put the balance back to what it should be.
      await db.pool.query("UPDATE accounts SET balance = $2 WHERE id = $1", ["alice", 100]);

      expect(await storedBalances(db.pool)).toEqual({ alice: 100 });
      // The mistake, the correction and the 10000 alice saw on her screen for a while are
      // gone: an auditor asking "was this account ever wrong?" gets no answer from the data.
      const stored = await everyStoredValue(db.pool, db.schema);
      await annotate(`10000 deposited by mistake, corrected to 100: values stored ${[...stored].join(", ")} — ${stored.has("10000") ? 1 : 0} trace of the mistake`);
      expect(stored).toEqual(new Set(["alice", "100"]));
    },
  );
});
