/**
 * Task 3: what the API's client gets. 200 when the read model shows the command, 202 when
 * the command is accepted but not visible yet, 422 when it was refused.
 */
import { answerCommand } from "../src/api.ts";
import { applyOnce } from "../src/apply.ts";
import { balanceOf, waitForPosition } from "../src/queries.ts";
import { describe, expect, task } from "#kit/testing";
import { deposit, givenWallet, open, startProjection, test, withdraw } from "./helpers.ts";

describe(task(3, "answer accepted but not visible yet"), () => {
  test("GIVEN a running projection WHEN alice opens her account, deposits 100 and tries to withdraw 500 THEN 200 with 0, 200 with 100, and 422 INSUFFICIENT_FUNDS", async ({ db, kafka, stopWhenDone }) => {
    const wallet = await givenWallet({ db, kafka, stopWhenDone });
    const projection = await startProjection({ db, kafka, stopWhenDone }, { topic: wallet.topics.events, apply: applyOnce });
    const answer = (command: Parameters<typeof wallet.send>[0]) => projection.orFailure(answerCommand(wallet, db.pool, command, { timeoutMs: 10_000 }));

    expect(await answer(open("alice"))).toEqual({ status: 200, body: { accountId: "alice", balance: 0, position: { partition: 0, offset: 0 } } });
    expect(await answer(deposit("alice", 100))).toEqual({ status: 200, body: { accountId: "alice", balance: 100, position: { partition: 0, offset: 1 } } });
    expect(await answer(withdraw("alice", 500))).toMatchObject({ status: 422, body: { rejection: { code: "INSUFFICIENT_FUNDS", balance: 100, requested: 500 } } });
  });

  test("GIVEN the projection is held before applying WHEN alice deposits 50 through the API THEN 202 with the position and how far the read model is; after the release the position is reached and the balance is 150", async ({ db, kafka, stopWhenDone, hold }) => {
    const wallet = await givenWallet({ db, kafka, stopWhenDone });
    const projection = await startProjection({ db, kafka, stopWhenDone }, { topic: wallet.topics.events, apply: applyOnce, points: hold.points });
    for (const command of [open("alice"), deposit("alice", 100)]) {
      await wallet.send(command);
      await projection.orFailure(hold.held());
      hold.release();
    }
    await projection.until(async () => expect(await balanceOf(db.pool, "alice")).toBe(100), "alice's 100 to be visible");

    const answering = projection.orFailure(answerCommand(wallet, db.pool, deposit("alice", 50), { timeoutMs: 200 }));
    answering.catch(() => {}); // awaited below
    // The projection has the deposit in hand, and is held there (an open task fails at once instead).
    await projection.orFailure(Promise.race([hold.held(), answering]));
    const accepted = await answering;

    expect(accepted).toEqual({
      status: 202,
      body: { accountId: "alice", position: { partition: 0, offset: 2 }, reached: { partition: 0, offset: 1 }, message: expect.stringMatching(/^accepted, not visible yet: .*offset 2/) },
    });
    hold.releaseAll();
    // The client asks again with the position the 202 gave it.
    await projection.orFailure(waitForPosition(db.pool, { partition: 0, offset: 2 }, { timeoutMs: 10_000 }));
    expect(await balanceOf(db.pool, "alice")).toBe(150);
  });
});
