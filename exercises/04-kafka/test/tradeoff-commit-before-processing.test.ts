/**
 * The other order: commit the bookmark first, then process. A consumer that dies between
 * the two has told the group "done" about a record it never processed. The crash is forced
 * at the "after-commit" failpoint of the given commitThenProcess, so it happens every run.
 */
import { commitThenProcess } from "../src/consumer.ts";
import { describe, expect, proves, test, tradeoff, until } from "#kit/testing";
import { Inbox, committedOffsets, crashOf, deposits, dieAt, write } from "./helpers.ts";

describe(tradeoff("committing before processing loses the record in flight"), () => {
  test(
    "GIVEN a consumer that commits before processing and dies right after committing alice#4 WHEN a new consumer of the group takes over THEN alice#4 is never processed: 4 of 5 events",
    proves("survives-crash", "commit before processing (at-most-once)", "broken"),
    async ({ kafka, annotate }) => {
      const topic = await kafka.topic("accounts");
      const groupId = kafka.groupId("at-most-once");
      await write(kafka, topic, deposits("alice", "alice", "alice", "alice", "alice"));

      const doomed = kafka.consumer({ groupId });
      const crashed = crashOf(doomed);
      const beforeCrash = new Inbox();
      await commitThenProcess(doomed, { topic, ...beforeCrash }, dieAt("after-commit", 4));
      expect(await crashed).toEqual({ restart: false });
      // The bookmark says "read up to #4" (offset 4 is the next record, #5)…
      expect(await committedOffsets(kafka.admin, groupId, topic)).toEqual({ 0: "4" });

      const afterCrash = new Inbox();
      await commitThenProcess(kafka.consumer({ groupId }), { topic, ...afterCrash });
      await until(() => afterCrash.deliveries.length >= 1, { what: "the new consumer to process an event" });

      // …so the new consumer starts at #5, and #4, committed but never processed, is gone.
      const processed = [...beforeCrash.labels(), ...afterCrash.labels()];
      await annotate(`5 events, ${processed.length} processed (${processed.join(", ")}) — ${5 - processed.length} lost with the committed offset`);
      expect(beforeCrash.labels()).toEqual(["alice#1", "alice#2", "alice#3"]);
      expect(afterCrash.labels()).toEqual(["alice#5"]);
      expect([...beforeCrash.labels(), ...afterCrash.labels()]).not.toContain("alice#4");
    },
  );
});
