/**
 * What goes wrong when the application reads a balance, decides, and writes the result
 * back. The race is not left to luck: both calls are held at "after-read" until both have
 * read, so the bad interleaving happens on every run.
 */
import { naiveDeposit, naiveWithdraw } from "../src/wallet.ts";
import { Barrier, Failpoints, describe, expect, proves, test, tradeoff } from "#kit/testing";
import { givenWallet, storedBalances } from "./helpers.ts";

/** Failpoints that hold every caller at "after-read" until `parties` callers have read. */
function bothReadBeforeEitherWrites(parties = 2): Failpoints {
  const barrier = new Barrier(parties);
  return new Failpoints().on("after-read", () => barrier.arrive());
}

describe(tradeoff("naive read-modify-write loses updates and overdraws"), () => {
  test("GIVEN alice holds 100 WHEN two naive deposits of 50 run one after the other THEN both count: 200", async ({ db, annotate }) => {
    await givenWallet(db.pool, { alice: 100 });

    await naiveDeposit(db.pool, "alice", 50);
    await naiveDeposit(db.pool, "alice", 50);

    // The code is right when alone: what breaks below is the interleaving, not the arithmetic.
    const alone = await storedBalances(db.pool);
    await annotate(`one after the other: 100 + 50 + 50 → ${alone.alice}`);
    expect(alone).toEqual({ alice: 200 });
  });

  test(
    "GIVEN alice holds 100 WHEN two naive deposits of 50 both read before either writes THEN the balance is 150: one deposit is lost",
    proves("no-lost-updates", "naive read-modify-write", "broken"),
    async ({ db, annotate }) => {
      await givenWallet(db.pool, { alice: 100 });
      const points = bothReadBeforeEitherWrites();

      const told = await Promise.all([
        naiveDeposit(db.pool, "alice", 50, points),
        naiveDeposit(db.newPool(), "alice", 50, points),
      ]);

      expect(points.timesReached("after-read")).toBe(2);
      // Both callers were told "done, 150": each computed 100 + 50 from the same read.
      const stored = await storedBalances(db.pool);
      await annotate(`both read before either wrote: 100 + 50 + 50 → ${stored.alice} (callers told ${told.join(" and ")}) — ${200 - (stored.alice ?? 0)} lost`);
      expect(told).toEqual([150, 150]);
      // 100 + 50 + 50 = 200 went in; the table says 150. The second write overwrote the first.
      expect(stored).toEqual({ alice: 150 });
    },
  );

  test(
    "GIVEN alice holds 100 WHEN two naive withdrawals of 80 both check before either writes THEN both are paid: 160 out of 100",
    proves("invariants-under-concurrency", "naive check-then-write", "broken"),
    async ({ db, annotate }) => {
      await givenWallet(db.pool, { alice: 100 });
      const points = bothReadBeforeEitherWrites();

      const told = await Promise.all([
        naiveWithdraw(db.pool, "alice", 80, points),
        naiveWithdraw(db.newPool(), "alice", 80, points),
      ]);

      // Each saw 100 ≥ 80, so each paid out 80 and wrote 20.
      expect(told).toEqual([20, 20]);
      const paidOut = 80 * told.length;
      await annotate(`two withdrawals of 80 from 100: ${told.length} paid, ${paidOut} out, balance ${(await storedBalances(db.pool)).alice} — ${paidOut - 100} overdrawn`);
      expect(paidOut).toBeGreaterThan(100);
      // And the table looks fine: 20 is not negative, so even CHECK (balance >= 0) let both
      // writes in. Each write was valid alone; the invariant broke between them.
      expect(await storedBalances(db.pool)).toEqual({ alice: 20 });
    },
  );
});
