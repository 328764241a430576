/**
 * Upcasting lets new code read old events. It cannot let old code read new ones: a reader
 * that meets a version it has never heard of can only refuse it. So the readers of a topic
 * must be deployed before any writer starts writing the new version — the services are not
 * as independent as "each owns its schema" suggests.
 */
import { envelop, MalformedEvent, parseEvent } from "../src/envelope.ts";
import { describe, expect, failureOf, proves, test, tradeoff } from "#kit/testing";
import { fixedStamp } from "./helpers.ts";

describe(tradeoff("a reader cannot upcast a version newer than itself"), () => {
  test(
    "GIVEN a newer service writes version 3 of a deposit WHEN this version 2 reader parses it THEN MalformedEvent: unsupported schema version 3 — readers must be upgraded before writers",
    proves("independent-schema-evolution", "a reader older than the writer", "broken"),
    async ({ annotate }) => {
      const [deposit] = envelop([{ type: "MoneyDeposited", data: { accountId: "alice", amount: 100, currency: "EUR" } }], { accountId: "alice", causationId: "c-1", stamp: fixedStamp() });
      // Version 3 might, say, split the amount into units and a scale: this reader cannot know.
      const fromTheFuture = JSON.stringify({ ...deposit, data: { accountId: "alice", money: { units: 100, scale: 2, currency: "EUR" } }, metadata: { ...deposit!.metadata, schemaVersion: 3 } });

      const refused = await failureOf(() => parseEvent(fromTheFuture), MalformedEvent);

      await annotate(`a version 2 reader given version 3: ${refused.name}, "${refused.reason}"`);
      expect(refused.reason).toBe("unsupported schema version 3: this code reads versions 1 and 2");
      expect(refused.raw).toBe(fromTheFuture);
      // The same deposit in version 2 reads fine: it is the version, not the content, that stops it.
      expect(parseEvent(JSON.stringify(deposit))).toEqual(deposit);
    },
  );
});
