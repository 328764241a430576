/**
 * npm run seed -- 1000000             append a million events of step 07's story to your replay topic
 * npm run seed -- 1000000 --fresh     delete the topic and the rebuilds' schema first, and start over
 * npm run seed -- --delete            delete the replay topic and the rebuilds' schema, to free the disk
 *
 * Options: --accounts=1000 (how many accounts share the events), --seed=7 (same seed, same events),
 * --large (more than 10,000,000 events in one go, up to 1,000,000,000: hours of writing and many GiB).
 *
 * The topic is yours: es.<attendee>.replay.events, 4 partitions, kept between runs (npm run
 * rebuild replays it). A second seed without --fresh appends N more events for new accounts
 * — their ids start with a<records already there>- — so the log only grows, every account's
 * story stays valid, and the same commands give the same topic.
 */
import pg from "pg";
import { createKafka, defaultProducerConfig, type Admin } from "../lib/kafka.ts";
import { DeadlineExceeded, eventually } from "../lib/eventually.ts";
import { replaySchema, replayTopic } from "../lib/names.ts";
import { ensureServices } from "../services/index.ts";
import { storyEvents, writeEvents } from "../lib/replay-story.ts";
import { ProgressBar } from "../lib/progress-bar.ts";
import { main, parseArguments, parseCount, UsageError } from "./cli.ts";

const PARTITIONS = 4;
/** A count past this is more likely a typo than a plan (ten million events take minutes and a few GiB); --large lifts it. */
const seedLimit = 10_000_000;
const largeSeedLimit = 1_000_000_000;

await main(async () => {
  const { positional, flags } = parseArguments(process.argv.slice(2), ["fresh", "delete", "large", "accounts=", "seed="]);
  const option = (name: string, fallback: number, max: number) => {
    const given = [...flags].find((flag) => flag.startsWith(`${name}=`))?.slice(name.length + 1);
    return given === undefined ? fallback : parseCount(given, { what: `--${name}`, max, over: "choose a smaller one." });
  };
  // Checked before any service is touched: a wrong count must not start anything.
  const count = flags.has("delete") ? 0 : positional[0] === undefined ? undefined : parseCount(positional[0], {
    what: "The number of events",
    max: flags.has("large") ? largeSeedLimit : seedLimit,
    over: flags.has("large") ? "seed in several runs (each appends)." : "add --large if you mean it (it takes long and needs many GiB of disk).",
  });
  if (count === undefined) throw new UsageError("How many events? For example: npm run seed -- 1000000   (--fresh to start over, --delete to remove the topic)");
  const accounts = option("accounts", 1_000, 10_000_000);
  const seed = option("seed", 7, 2 ** 31 - 1);
  const topic = replayTopic();
  const schema = replaySchema();
  const { urls } = await ensureServices({ log: (line) => console.error(line) });
  const kafka = createKafka({ brokers: urls.kafkaBrokers, clientId: "es-workshop-seed" });
  const admin = kafka.admin();
  await admin.connect();
  try {
    if (flags.has("delete")) {
      const hadTopic = (await admin.listTopics()).includes(topic);
      if (hadTopic) await admin.deleteTopics({ topics: [topic] });
      const hadSchema = await dropSchema(urls.databaseUrl, schema);
      const deleted = [...(hadTopic ? [`the topic ${topic}`] : []), ...(hadSchema ? [`the schema ${schema}`] : [])];
      console.log(deleted.length > 0 ? `Deleted ${deleted.join(" and ")}.` : `There was nothing to delete: no topic ${topic} and no schema ${schema}.`);
      return 0;
    }

    if (flags.has("fresh")) {
      if ((await admin.listTopics()).includes(topic)) {
        await admin.deleteTopics({ topics: [topic] });
        await eventually(async () => { if ((await admin.listTopics()).includes(topic)) throw new Error("still listed"); }, { timeoutMs: 30_000, what: `the topic ${topic} to be deleted` });
      }
      // The rebuilds' tables and snapshots were built from the old log: their positions say
      // nothing about the new one (a snapshot restored from them would lie past its end).
      await dropSchema(urls.databaseUrl, schema);
      console.log(`Deleted the topic ${topic} and the schema ${schema} (its statements and snapshots came from the old log).`);
    }
    const existing = await recordsIn(admin, topic);
    const generation = existing;
    console.log(
      existing === 0
        ? `Seeding ${topic} (${PARTITIONS} partitions): ${count.toLocaleString("en-US")} events, ${accounts.toLocaleString("en-US")} accounts, seed ${seed}.`
        : `Appending ${count.toLocaleString("en-US")} events for ${accounts.toLocaleString("en-US")} new accounts (a${generation}-…) to ${topic}, which holds ${existing.toLocaleString("en-US")} (--fresh starts over).`,
    );

    const producer = kafka.producer(defaultProducerConfig);
    await producer.connect();
    const bar = new ProgressBar("seed", count);
    try {
      let written = 0;
      await writeEvents(producer, topic, storyEvents({ count, accounts, seed, generation }), {
        batchSize: 10_000,
        onProgress: (total) => {
          bar.advance(total - written);
          written = total;
        },
      });
    } finally {
      await producer.disconnect();
    }
    const seconds = bar.finish();
    const total = await recordsIn(admin, topic);
    console.log(`Wrote ${count.toLocaleString("en-US")} events in ${seconds.toFixed(1)} s: ${Math.round(count / seconds).toLocaleString("en-US")} events/s. ${topic} now holds ${total.toLocaleString("en-US")}.`);
    console.log("Next: npm run rebuild   (replays them into monthly statements with your step 07 code; -- --solution for the solution's)");
    return 0;
  } finally {
    await admin.disconnect();
  }
});

/** The records in the topic (creating it, with its partitions ready, if it is not there yet). */
async function recordsIn(admin: Admin, topic: string): Promise<number> {
  const timeoutMs = 30_000;
  try {
    const offsets = await eventually(
      async () => {
        // Just after a deletion the broker may still refuse to create the topic again (createTopics
        // throws or returns false): try again until it is there with its partitions answering.
        if (!(await admin.listTopics()).includes(topic)) await admin.createTopics({ topics: [{ topic, numPartitions: PARTITIONS }], waitForLeaders: false });
        // A new topic's partitions may not answer at once (see the kafka fixture in #kit/testing).
        const offsets = await admin.fetchTopicOffsets(topic);
        if (offsets.length !== PARTITIONS) throw new Error(`it has ${offsets.length} partitions, not ${PARTITIONS}`);
        return offsets;
      },
      { timeoutMs, what: `the topic ${topic} to be there with its ${PARTITIONS} partitions` },
    );
    return offsets.reduce((sum, partition) => sum + Number(partition.high) - Number(partition.low), 0);
  } catch (error) {
    if (!(error instanceof DeadlineExceeded)) throw error;
    throw new UsageError(`${error.message}.\nIf it was created some other way (a producer's auto-creation gives it 1 partition), npm run seed -- <N> --fresh deletes it and starts over.`);
  }
}

/** Drops the rebuilds' schema: their tables, positions and snapshots. Says whether there was one. */
async function dropSchema(databaseUrl: string, schema: string): Promise<boolean> {
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const { rowCount } = await db.query("SELECT 1 FROM information_schema.schemata WHERE schema_name = $1", [schema]);
    await db.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    return (rowCount ?? 0) > 0;
  } finally {
    await db.end();
  }
}
