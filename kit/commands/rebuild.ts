/**
 * npm run rebuild                      replay your seeded topic into monthly statements, with your step 07 code
 * npm run rebuild -- --solution        … with the solution's
 * npm run rebuild -- --parallel        one worker per partition (Task 3)
 * npm run rebuild -- --from-snapshot   start from the latest snapshot, replay only the tail (Task 2)
 * npm run rebuild -- --snapshot        take a snapshot of the result when done
 *
 * Every rebuild is a blue/green deploy (Task 4): a new table statements_v<n> is built beside
 * the live one in your schema es_<attendee>_replay, the view `statements` moves to it once it
 * has caught up with the topic, and the old table is dropped. Seed the topic first:
 * npm run seed -- 1000000.
 *
 * The rebuild runs the attendee's code: before replaying anything it asks the tasks every
 * rebuild needs (1: the fold, 4: the switch) whether they are still open, and says so at
 * once rather than after minutes of replay. A version that was not switched to is dropped.
 */
import path from "node:path";
import { pathToFileURL } from "node:url";
import pg from "pg";
import { createKafka } from "../lib/kafka.ts";
import { extrapolate, ProgressBar } from "../lib/progress-bar.ts";
import { rebuildFunctionNames, rebuildModuleFiles, rebuildStep, type RebuildModules } from "../lib/rebuild-contract.ts";
import { storyEvents } from "../lib/replay-story.ts";
import { attendeePrefix, replaySchema, replayTopic } from "../lib/names.ts";
import { isTodoError } from "../lib/todo.ts";
import { rootDir } from "../harness/paths.ts";
import { ensureServices } from "../services/index.ts";
import { bold, main, parseArguments, UsageError } from "./cli.ts";
import { isTopicGoneError, replacedMessage, wasReplaced, type PartitionEnd } from "./replay-topic.ts";

/** The step's read model, which the command only passes back to the step's own functions. */
type Model = { readonly name: string };

/** The step's typed refusals: their message says what is wrong, no stack trace needed. */
const refusals: Record<string, string> = {
  NotCaughtUp: "The topic grew during the rebuild (a seed ran at the same time?): npm run rebuild again reads the rest.",
  BeyondTheLog: "The topic was seeded again since it was built: npm run seed -- <N> --fresh drops the old tables and snapshots too.",
  TableNotEmpty: "A snapshot is restored only into a new, empty version.",
};

await main(async () => {
  const { flags } = parseArguments(process.argv.slice(2), ["solution", "parallel", "from-snapshot", "snapshot"]);
  const target = flags.has("solution") ? "solutions" : "exercises";
  const step = await loadRebuildModules(target);
  const { statementsModel, nextStatement } = step;
  const stillOpen = (errors: unknown[]) =>
    new UsageError(
      `${errors.map((error) => (error as Error).message).join("\n")}\n\nThe rebuild runs your code in exercises/07-replay/src, and ${errors.length === 1 ? "that task is" : "those tasks are"} still open.\n` +
        `Finish ${errors.length === 1 ? "it" : "them"} (npm run step 07 checks ${errors.length === 1 ? "it" : "them"}), or copy the solution in with npm run catchup 07, or run the solution's: npm run rebuild -- --solution`,
    );

  const topic = replayTopic();
  const schema = replaySchema();
  const { urls } = await ensureServices({ log: (line) => console.error(line) });
  const kafka = createKafka({ brokers: urls.kafkaBrokers, clientId: "es-workshop-rebuild" });
  const admin = kafka.admin();
  await admin.connect();
  if (!(await admin.listTopics()).includes(topic)) {
    await admin.disconnect();
    throw new UsageError(`There is nothing to rebuild yet: seed your topic first, for example npm run seed -- 1000000`);
  }
  const setup = new pg.Client({ connectionString: urls.databaseUrl });
  await setup.connect();
  await setup.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`).finally(() => setup.end());
  const pool = new pg.Pool({ connectionString: urls.databaseUrl, max: 8, options: `-c search_path="${schema}"` });
  const groupId = `es.${attendeePrefix()}.replay.rebuild-${Date.now()}`;
  const workers = flags.has("parallel") ? 4 : 1;
  let ends: PartitionEnd[] | undefined;
  // Ctrl-C skips every finally below: drop the half-built version here, so nothing is left behind but
  // the consumer groups, which Kafka keeps until their session ends (npm run services -- --clean then removes them).
  process.once("SIGINT", () => {
    console.error("\nInterrupted: dropping the version that was not switched to…");
    void step
      .dropRetiredTables(pool, statementsModel)
      .then((dropped: string[]) => console.error(dropped.length > 0 ? `Dropped ${dropped.join(", ")}.` : "No half-built version to drop."), () => console.error("Could not reach Postgres to drop it: the next rebuild drops it."))
      .finally(() => {
        console.error(`The rebuild's consumer groups (${groupId}…) stay until their session ends; npm run services -- --clean removes them after that.`);
        process.exit(130);
      });
  });
  try {
    ends = await admin.fetchTopicOffsets(topic);
    const records = ends.reduce((sum, partition) => sum + Number(partition.high) - Number(partition.low), 0);
    const snapshot = flags.has("from-snapshot") ? await step.latestSnapshot(pool, statementsModel) : undefined;
    if (flags.has("from-snapshot") && !snapshot) console.log("No snapshot yet (npm run rebuild -- --snapshot takes one): rebuilding from the start.");
    // Said before building anything (the switch would refuse it after the restore, with BeyondTheLog).
    const past = snapshot ? ends.filter((end) => Number(snapshot.positions[end.partition] ?? 0) > Number(end.high)) : [];
    if (past.length > 0) {
      throw new UsageError(
        `Snapshot ${snapshot!.id} stands beyond the end of the log (${past.map((end) => `partition ${end.partition} at ${snapshot!.positions[end.partition]}, the log ends at ${end.high}`).join(", ")}): it was taken of another log.\n${refusals.BeyondTheLog}`,
      );
    }
    const live = await step.liveTable(pool, statementsModel);
    const table = await step.nextVersionTable(pool, statementsModel);

    // Before replaying anything: are the tasks every rebuild needs still open? Task 1 is a pure
    // function; the switch (Task 4), asked for a table not built yet, refuses (NotCaughtUp) and
    // changes nothing once written. Tasks 2 and 3, when asked for, run before any replay anyway.
    const probes = await Promise.allSettled([
      (async () => nextStatement(undefined, storyEvents({ count: 1 }).next().value!))(),
      step.switchReads({ kafka, topic, pool, model: statementsModel, table }),
    ]);
    const open = probes.flatMap((probe) => (probe.status === "rejected" && isTodoError(probe.reason) ? [probe.reason] : []));
    if (open.length > 0) throw stillOpen(open);

    // A snapshot never covers more than the log holds once the schema goes with the topic (seed --fresh).
    const toRead = Math.max(0, records - (snapshot?.covers ?? 0));
    console.log(
      `${bold(`Rebuilding monthly statements from ${topic}`)} with ${target === "solutions" ? "the solution's" : "your"} code: ` +
        `${records.toLocaleString("en-US")} records${snapshot ? `, ${snapshot.covers.toLocaleString("en-US")} of them from snapshot ${snapshot.id}` : ""}, ` +
        `${workers === 1 ? "one worker" : `${workers} workers in parallel`}, into ${schema}.${table}${live ? ` beside ${live}, which serves reads until the switch` : ""}.`,
    );

    const bar = new ProgressBar("rebuild", toRead);
    let peakRss = process.memoryUsage().rss;
    const result = await step.deployBlueGreen({
      kafka,
      topic,
      pool,
      model: statementsModel,
      table,
      groupId,
      workers,
      fromSnapshot: flags.has("from-snapshot"),
      onProgress: (chunk) => {
        bar.advance(chunk.read);
        peakRss = Math.max(peakRss, process.memoryUsage().rss);
      },
    });
    const seconds = bar.finish();
    const rate = result.read / seconds;
    console.log(`Read ${result.read.toLocaleString("en-US")} records in ${seconds.toFixed(1)} s: ${bold(`${Math.round(rate).toLocaleString("en-US")} events/s`)}${result.skipped.length > 0 ? ` (${result.skipped.length} not events, set aside)` : ""}.`);
    console.log(bold(extrapolate(rate)));
    const { rows } = await pool.query<{ statements: number; accounts: number; size: string }>(
      `SELECT count(*)::int AS statements, count(DISTINCT account_id)::int AS accounts, pg_size_pretty(pg_total_relation_size($1)) AS size FROM "${table}"`,
      [table],
    );
    console.log(`Reads now go to ${table}: ${rows[0]!.statements.toLocaleString("en-US")} statements of ${rows[0]!.accounts.toLocaleString("en-US")} accounts, ${rows[0]!.size} on disk; this process peaked at ${Math.round(peakRss / 2 ** 20)} MB of memory.`);
    if (flags.has("snapshot")) {
      const taken = await step.takeSnapshot(pool, statementsModel, table);
      console.log(`Snapshot ${taken.id} taken: ${taken.covers.toLocaleString("en-US")} records (npm run rebuild -- --from-snapshot starts from it).`);
    }
    const retired = await step.dropRetiredTables(pool, statementsModel);
    if (retired.length > 0) console.log(`Dropped the retired ${retired.join(", ")}.`);
    return 0;
  } catch (error) {
    // A version that was not switched to serves no one: drop it, rather than leave it behind.
    const dropped = await step.dropRetiredTables(pool, statementsModel).catch(() => []);
    if (dropped.length > 0) console.log(`Dropped ${dropped.join(", ")}: not switched to.`);
    if (isTodoError(error)) throw stillOpen([error]);
    const refusal = error instanceof Error ? refusals[error.name] : undefined;
    if (refusal !== undefined) throw new UsageError(`${(error as Error).message}.\n${refusal}`);
    if (ends !== undefined && (isTopicGoneError(error) || wasReplaced(ends, await admin.fetchTopicOffsets(topic).catch(() => undefined)))) throw new UsageError(replacedMessage(topic));
    throw error;
  } finally {
    await pool.end();
    // The rebuild's consumer groups are its own, used once.
    await admin.deleteGroups([groupId, ...Array.from({ length: workers }, (_, i) => `${groupId}-${i}`)]).catch(() => {});
    await admin.disconnect();
  }
});

/**
 * The step's modules — the attendee's, or the solution's — loaded by path and used only
 * through the kit's own interface (#kit/rebuild-contract): the kit imports no step.
 */
async function loadRebuildModules(target: "exercises" | "solutions"): Promise<RebuildModules<Model>> {
  const modules = await Promise.all(rebuildModuleFiles.map(async (file) => (await import(pathToFileURL(path.join(rootDir, target, rebuildStep, "src", file)).href)) as Record<string, unknown>));
  const merged: Record<string, unknown> = Object.assign({}, ...modules);
  const missing = rebuildFunctionNames.filter((name) => typeof merged[name] !== "function");
  if (missing.length > 0 || typeof merged.statementsModel !== "object") {
    throw new UsageError(`${target}/${rebuildStep}/src does not export what npm run rebuild needs (${[...missing, ...(typeof merged.statementsModel === "object" ? [] : ["statementsModel"])].join(", ")}): was a function renamed? npm run reset 07 puts the step back.`);
  }
  return merged as unknown as RebuildModules<Model>;
}
