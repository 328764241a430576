/**
 * What one database gives for free, and later steps will have to work for: once a write
 * has committed, every read after it, on any connection, sees it.
 */
import { getBalance } from "../src/wallet.ts";
import { describe, expect, proves, test, tradeoff } from "#kit/testing";
import { givenWallet } from "./helpers.ts";

describe(tradeoff("one database answers every read with the latest write"), () => {
  test(
    "GIVEN alice holds 100 WHEN a deposit of 50 commits THEN the writer's very next read sees 150",
    proves("read-your-writes", "single database", "holds"),
    async ({ db, annotate }) => {
      await givenWallet(db.pool, { alice: 100 });

      // The statement Task 3 writes, as plain SQL: it has committed when query() returns.
      await db.pool.query("UPDATE accounts SET balance = balance + 50 WHERE id = $1", ["alice"]);

      const read = await getBalance(db.pool, "alice");
      await annotate(`deposit of 50 on 100 committed, the next read says ${read}`);
      expect(read).toBe(150);
    },
  );

  test(
    "GIVEN ten readers already connected WHEN a deposit commits on another connection THEN every read that starts afterwards sees it: staleness is zero",
    proves("bounded-staleness", "single database", "holds"),
    async ({ db, annotate }) => {
      await givenWallet(db.pool, { alice: 100 });
      const readers = db.newPool({ max: 10 });
      // Open the ten connections before the write, so no reader gets a fresh one afterwards.
      const before = await Promise.all(Array.from({ length: 10 }, () => getBalance(readers, "alice")));
      expect(before).toEqual(Array(10).fill(100));
      expect(readers.totalCount).toBe(10);

      await db.pool.query("UPDATE accounts SET balance = balance + 50 WHERE id = $1", ["alice"]);

      const after = await Promise.all(Array.from({ length: 10 }, () => getBalance(readers, "alice")));
      await annotate(`${after.filter((balance) => balance === 150).length} of ${after.length} readers saw the new 150 on their first read after the commit`);
      expect(after).toEqual(Array(10).fill(150));
    },
  );
});
