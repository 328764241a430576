/**
 * Task 5: the same feature as Task 4 — freezing an account — added to the event-sourced
 * wallet: two commands, two events that will be on the log for ever, the state, decide,
 * evolve, and the projection that shows it.
 */
import { historyOf, readAccount } from "../src/read-model.ts";
import { describe, expect, task } from "#kit/testing";
import { givenHandler, givenTopics, startProjection, test } from "./helpers.ts";
import { deposit, deposited, freeze, frozen, given, open, opened, unfreeze, unfrozen, withdraw, withdrawn } from "./story.ts";

const REASON = "suspected fraud: card reported stolen";

describe(task(5, "freeze an account in the event-sourced wallet"), () => {
  test("GIVEN alice's open account WHEN it is frozen THEN AccountFrozen, with the reason", () => {
    given(opened("alice"), deposited("alice", 100)).when(freeze("alice", REASON)).then(frozen("alice", REASON));
  });

  test("GIVEN alice's account is frozen WHEN she deposits or withdraws THEN rejected: ACCOUNT_FROZEN, even for more than she holds", () => {
    const history = [opened("alice"), deposited("alice", 100), frozen("alice", REASON)];
    given(...history).thenStateIncludes({ status: "open", balance: 100, frozen: true });
    given(...history).when(deposit("alice", 50)).thenRejects({ code: "ACCOUNT_FROZEN", accountId: "alice" });
    given(...history).when(withdraw("alice", 30)).thenRejects({ code: "ACCOUNT_FROZEN", accountId: "alice" });
    given(...history).when(withdraw("alice", 1_000)).thenRejects({ code: "ACCOUNT_FROZEN" });
  });

  test("GIVEN alice's account was frozen, then unfrozen WHEN she deposits and withdraws THEN money moves again", () => {
    const history = [opened("alice"), deposited("alice", 100), frozen("alice", REASON), unfrozen("alice")];
    given(...history).thenStateIncludes({ balance: 100, frozen: false });
    given(...history).when(deposit("alice", 50)).then(deposited("alice", 50));
    given(...history).when(withdraw("alice", 30)).then(withdrawn("alice", 30));
  });

  test("GIVEN a frozen account WHEN frozen again THEN ACCOUNT_ALREADY_FROZEN; GIVEN an unfrozen one WHEN unfrozen THEN ACCOUNT_NOT_FROZEN; GIVEN none THEN ACCOUNT_NOT_FOUND", () => {
    given(opened("alice"), frozen("alice", REASON)).when(freeze("alice", "again")).thenRejects({ code: "ACCOUNT_ALREADY_FROZEN", accountId: "alice" });
    given(opened("alice")).when(unfreeze("alice")).thenRejects({ code: "ACCOUNT_NOT_FROZEN", accountId: "alice" });
    given().when(freeze("carol", REASON)).thenRejects({ code: "ACCOUNT_NOT_FOUND", accountId: "carol" });
    given().when(unfreeze("carol")).thenRejects({ code: "ACCOUNT_NOT_FOUND", accountId: "carol" });
  });

  test("GIVEN alice's account through the write side and the projection WHEN it is frozen, a deposit is tried, and it is unfrozen THEN the deposit is refused, the read model shows her frozen and then not, and the history says why", async ({ kafka, db, stopWhenDone }) => {
    const { topic, deadLetterTopic } = await givenTopics(kafka);
    const handler = await givenHandler({ kafka, stopWhenDone }, topic);
    const { caughtUp } = await startProjection({ kafka, stopWhenDone }, db.pool, { topic, deadLetterTopic });
    await handler.handle(open("alice"));
    await handler.handle(deposit("alice", 100));

    expect(await handler.handle(freeze("alice", REASON))).toMatchObject({ outcome: "accepted", events: [{ type: "AccountFrozen", data: { reason: REASON } }] });
    expect(await handler.handle(deposit("alice", 50))).toMatchObject({ outcome: "rejected", rejection: { code: "ACCOUNT_FROZEN" } });
    await caughtUp();
    expect(await readAccount(db.pool, "alice")).toEqual({ balance: 100, frozen: true });

    expect(await handler.handle(unfreeze("alice"))).toMatchObject({ outcome: "accepted", events: [{ type: "AccountUnfrozen" }] });
    expect(await handler.handle(deposit("alice", 50))).toMatchObject({ outcome: "accepted" });
    await caughtUp();

    expect(await readAccount(db.pool, "alice")).toEqual({ balance: 150, frozen: false });
    expect((await historyOf(db.pool, "alice")).map(({ type, change, detail }) => [type, change, detail])).toEqual([
      ["AccountOpened", 0, "opened"],
      ["MoneyDeposited", 100, "deposit of 100 cents"],
      ["AccountFrozen", 0, `frozen: ${REASON}`],
      ["AccountUnfrozen", 0, "unfrozen"],
      ["MoneyDeposited", 50, "deposit of 50 cents"],
    ]);
  });
});
