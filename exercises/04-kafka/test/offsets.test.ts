import { processThenCommit } from "../src/consumer.ts";
import { describe, eventually, expect, proves, task, test, until } from "#kit/testing";
import { Inbox, committedOffsets, crashOf, deposits, dieAt, write } from "./helpers.ts";

/** How many times each event was processed, across every consumer that processed any. */
function timesProcessed(...inboxes: Inbox[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const label of inboxes.flatMap((inbox) => inbox.labels())) counts[label] = (counts[label] ?? 0) + 1;
  return counts;
}

describe(task(2, "commit after processing"), () => {
  test("GIVEN a consumer that processed and committed alice#1..#3 WHEN it restarts and #4, #5 are written THEN it reads only #4 and #5: it resumes where it stopped", async ({ kafka }) => {
    const topic = await kafka.topic("accounts");
    const groupId = kafka.groupId("resumer");
    const history = deposits("alice", "alice", "alice", "alice", "alice");
    await write(kafka, topic, history.slice(0, 3));

    const before = new Inbox();
    const first = kafka.consumer({ groupId });
    await processThenCommit(first, { topic, ...before });
    await until(() => before.deliveries.length >= 3, { what: "the first three events to be processed" });
    await eventually(async () => expect(await committedOffsets(kafka.admin, groupId, topic)).toEqual({ 0: "3" }), {
      what: "offset 3 (the next record to read) to be committed",
    });
    await first.disconnect();

    await write(kafka, topic, history.slice(3));
    const after = new Inbox();
    await processThenCommit(kafka.consumer({ groupId }), { topic, ...after });
    await until(() => after.deliveries.length >= 2, { what: "the restarted consumer to process two events" });

    expect(before.labels()).toEqual(["alice#1", "alice#2", "alice#3"]);
    // It subscribed "from the beginning", yet started at #4: a group's committed offset wins.
    expect(after.labels()).toEqual(["alice#4", "alice#5"]);
    await eventually(async () => expect(await committedOffsets(kafka.admin, groupId, topic)).toEqual({ 0: "5" }), {
      what: "offset 5 to be committed",
    });
  });

  test(
    "GIVEN a consumer that dies after processing alice#4 but before committing it WHEN a new consumer of the group takes over THEN alice#4 is processed twice and nothing is lost: 6 times for 5 events",
    proves("survives-crash", "commit after processing (at-least-once)", "broken"),
    async ({ kafka }) => {
      const topic = await kafka.topic("accounts");
      const groupId = kafka.groupId("at-least-once");
      await write(kafka, topic, deposits("alice", "alice", "alice", "alice", "alice"));

      const doomed = kafka.consumer({ groupId });
      const crashed = crashOf(doomed);
      const beforeCrash = new Inbox();
      await processThenCommit(doomed, { topic, ...beforeCrash }, dieAt("before-commit", 4));
      expect(await crashed).toEqual({ restart: false });
      expect(await committedOffsets(kafka.admin, groupId, topic)).toEqual({ 0: "3" });

      const afterCrash = new Inbox();
      await processThenCommit(kafka.consumer({ groupId }), { topic, ...afterCrash });
      await until(() => afterCrash.deliveries.length >= 2, { what: "the new consumer to process two events" });

      expect(beforeCrash.labels()).toEqual(["alice#1", "alice#2", "alice#3", "alice#4"]);
      expect(afterCrash.labels()).toEqual(["alice#4", "alice#5"]);
      // Nothing lost — and alice#4 applied twice. A consumer that adds deposits to a balance
      // would now be 400 cents too rich, unless it recognises the redelivery (step 06).
      expect(timesProcessed(beforeCrash, afterCrash)).toEqual({ "alice#1": 1, "alice#2": 1, "alice#3": 1, "alice#4": 2, "alice#5": 1 });
    },
  );
});
