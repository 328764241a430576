import { startConsuming } from "../src/consumer.ts";
import { label } from "../src/events.ts";
import { replayHistory } from "../src/replay.ts";
import { historyTopicConfig } from "../src/topics.ts";
import { describe, eventually, expect, proves, task, test, until } from "#kit/testing";
import { Inbox, committedOffsets, deposits, lagOf, write } from "./helpers.ts";

describe(task(3, "replay the whole history with a new group"), () => {
  test(
    "GIVEN 12 events of three accounts and a live group that has read and committed them all WHEN a brand-new group replays THEN it reads all 12 from the beginning, each account in order, and the live group is untouched",
    proves("full-history", "topic kept for ever (retention.ms=-1)", "holds"),
    async ({ kafka }) => {
      const topic = await kafka.topic("history", { numPartitions: 3, configEntries: historyTopicConfig });
      const history = deposits(...Array.from({ length: 4 }, () => ["alice", "bob", "carol"]).flat());
      await write(kafka, topic, history);

      const liveGroup = kafka.groupId("live");
      const live = new Inbox();
      await startConsuming(kafka.consumer({ groupId: liveGroup }), { topic, ...live });
      await until(() => live.deliveries.length >= history.length, { what: "the live group to read the history" });
      await eventually(async () => expect(await lagOf(kafka.admin, liveGroup, topic)).toEqual({}), {
        what: "the live group to commit everything",
      });
      const liveBookmarks = await committedOffsets(kafka.admin, liveGroup, topic);

      const replayed = await replayHistory({ consumer: kafka.consumer({ groupId: kafka.groupId("replay") }), admin: kafka.admin, topic });

      expect(replayed.map(({ event }) => label(event)).sort()).toEqual(history.map(label).sort());
      for (const account of ["alice", "bob", "carol"]) {
        const ofAccount = replayed.filter(({ event }) => event.accountId === account).map(({ event }) => label(event));
        expect(ofAccount).toEqual([1, 2, 3, 4].map((n) => `${account}#${n}`));
      }
      // The live group's bookmarks did not move: each group keeps its own.
      expect(await committedOffsets(kafka.admin, liveGroup, topic)).toEqual(liveBookmarks);
    },
  );

  test(
    "GIVEN a live group reading a topic WHEN a new group replays the history alongside it THEN the live group goes on: the next event reaches it, once, without a restart",
    proves("new-read-model-without-downtime", "new consumer group", "holds"),
    async ({ kafka }) => {
      const topic = await kafka.topic("history", { numPartitions: 2, configEntries: historyTopicConfig });
      const [first, second, third, next] = deposits("alice", "bob", "alice", "alice");
      await write(kafka, topic, [first!, second!, third!]);
      const live = new Inbox();
      await startConsuming(kafka.consumer({ groupId: kafka.groupId("live") }), { topic, ...live });
      await until(() => live.deliveries.length >= 3, { what: "the live group to read the history" });

      const replayed = await replayHistory({ consumer: kafka.consumer({ groupId: kafka.groupId("new-model") }), admin: kafka.admin, topic });
      await write(kafka, topic, [next!]);
      await until(() => live.deliveries.length >= 4, { what: "the live group to read the next event" });

      expect(replayed.map(({ event }) => label(event)).sort()).toEqual(["alice#1", "alice#2", "bob#1"]);
      expect(live.labels().sort()).toEqual(["alice#1", "alice#2", "alice#3", "bob#1"]);
    },
  );

  test("GIVEN an empty topic WHEN a new group replays it THEN the replay ends at once with no events", async ({ kafka }) => {
    const topic = await kafka.topic("empty", { numPartitions: 2, configEntries: historyTopicConfig });

    const replayed = await replayHistory({ consumer: kafka.consumer({ groupId: kafka.groupId("replay") }), admin: kafka.admin, topic });

    expect(replayed).toEqual([]);
  });
});
