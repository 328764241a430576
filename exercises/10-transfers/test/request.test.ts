/**
 * Task 4: the desk's checks — pure decisions first, then through the desk, where a refused
 * request writes nothing and moves nothing.
 */
import { initialState, type AccountState } from "../src/domain.ts";
import { decideRequest, parseTransferRequest } from "../src/transfer.ts";
import { describe, expect, task, test as pureTest } from "#kit/testing";
import { givenBank, test, typesOf } from "./helpers.ts";

const t1 = { transferId: "t-1", from: "alice", to: "bob", amount: 30 };
const open = (accountId: string): Extract<AccountState, { status: "open" }> => ({ status: "open", accountId, balance: 0, frozen: false, debited: {}, credited: {}, refunded: {} });
const both = { from: open("alice"), to: open("bob") };

describe("the request's shape (given: parseTransferRequest)", () => {
  pureTest("GIVEN amounts of 0, -30, 0.5 and '30' THEN each is an INVALID_TRANSFER saying what is wrong", () => {
    for (const [amount, reason] of [[0, /more than zero/], [-30, /more than zero/], [0.5, /whole number/], ["30", /must be a number/]] as const) {
      expect(parseTransferRequest({ ...t1, amount })).toMatchObject({ ok: false, rejection: { code: "INVALID_TRANSFER", message: expect.stringMatching(reason) } });
    }
  });

  pureTest("GIVEN a request without a transfer id THEN INVALID_TRANSFER", () => {
    expect(parseTransferRequest({ from: "alice", to: "bob", amount: 30 })).toMatchObject({ ok: false, rejection: { code: "INVALID_TRANSFER" } });
  });
});

describe(task(4, "check a transfer request"), () => {
  pureTest("GIVEN two open accounts and a new id THEN new", () => {
    expect(decideRequest(t1, { ...both, earlier: undefined })).toEqual({ outcome: "new" });
  });

  pureTest("GIVEN the same account on both sides THEN SAME_ACCOUNT — checked first, before anything is looked up", () => {
    expect(decideRequest({ ...t1, to: "alice" }, { from: open("alice"), to: open("alice"), earlier: { ...t1, to: "alice", amount: 5 } })).toMatchObject({
      outcome: "rejected",
      rejection: { code: "SAME_ACCOUNT", accountId: "alice" },
    });
  });

  pureTest("GIVEN the id was used for the same request THEN repeat; for a different one THEN TRANSFER_ID_REUSED carrying the earlier request", () => {
    expect(decideRequest(t1, { ...both, earlier: t1 })).toEqual({ outcome: "repeat" });
    expect(decideRequest({ ...t1, amount: 50 }, { ...both, earlier: t1 })).toMatchObject({ outcome: "rejected", rejection: { code: "TRANSFER_ID_REUSED", transferId: "t-1", earlier: t1 } });
    expect(decideRequest({ ...t1, to: "carol" }, { from: open("alice"), to: open("carol"), earlier: t1 })).toMatchObject({ rejection: { code: "TRANSFER_ID_REUSED" } });
  });

  pureTest("GIVEN an unknown source, or an unknown target THEN UNKNOWN_ACCOUNT naming the side — the source first", () => {
    expect(decideRequest(t1, { from: initialState, to: open("bob"), earlier: undefined })).toMatchObject({ rejection: { code: "UNKNOWN_ACCOUNT", accountId: "alice", side: "from" } });
    expect(decideRequest(t1, { from: open("alice"), to: initialState, earlier: undefined })).toMatchObject({ rejection: { code: "UNKNOWN_ACCOUNT", accountId: "bob", side: "to" } });
    expect(decideRequest(t1, { from: initialState, to: initialState, earlier: undefined })).toMatchObject({ rejection: { side: "from" } });
  });

  pureTest("GIVEN a frozen target or a source without the money THEN new: the accounts' writers decide that, when the legs run", () => {
    expect(decideRequest(t1, { from: open("alice"), to: { ...open("bob"), frozen: true }, earlier: undefined })).toEqual({ outcome: "new" });
  });

  test("GIVEN alice 100 and bob 0 WHEN the desk gets bad requests, then t-1, then t-1 again and t-1 with another amount THEN each bad one is refused with its code and writes nothing; t-1 is recorded once", async ({ kafka, stopWhenDone }) => {
    const bank = await givenBank({ kafka, stopWhenDone });
    await bank.open({ alice: 100, bob: 0 });

    const refusals = [];
    for (const bad of [{ ...t1, to: "alice" }, { ...t1, amount: 0 }, { ...t1, amount: -30 }, { ...t1, from: "mallory" }, { ...t1, to: "mallory" }]) {
      const answer = await bank.desk.request(bad);
      refusals.push(answer.outcome === "rejected" ? answer.rejection.code : answer.outcome);
    }
    expect(refusals).toEqual(["SAME_ACCOUNT", "INVALID_TRANSFER", "INVALID_TRANSFER", "UNKNOWN_ACCOUNT", "UNKNOWN_ACCOUNT"]);
    await bank.desk.outcomeOf("t-1"); // reads the transfers topic to its end
    expect(bank.desk.transferEvents()).toEqual([]);

    expect(await bank.desk.request(t1)).toMatchObject({ outcome: "requested", request: t1 });
    expect(await bank.desk.request(t1)).toEqual({ outcome: "already requested", request: t1 });
    expect(await bank.desk.request({ ...t1, amount: 50 })).toMatchObject({ outcome: "rejected", rejection: { code: "TRANSFER_ID_REUSED", earlier: t1 } });

    await bank.desk.outcomeOf("t-1");
    expect(typesOf(bank.desk.transferEvents())).toEqual(["TransferRequested"]);
    // No saga runs here: what the desk refused never reached an account.
    expect(typesOf([...(await bank.history("alice")), ...(await bank.history("bob"))])).toEqual(["AccountOpened", "MoneyDeposited", "AccountOpened"]);
    expect((await bank.totals()).balances).toEqual({ alice: 100, bob: 0 });
  });
});
