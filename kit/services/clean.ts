/**
 * What a run leaves behind when it is stopped halfway (Ctrl-C, a crash): the topics, consumer
 * groups, schemas and Redis keys that a test's fixtures would have removed. All of them carry the
 * attendee's prefix (kit/lib/names.ts), so they can be found and removed afterwards — by
 * `npm run services -- --clean`, and by `npm run step` itself when it is interrupted.
 *
 * The replay data of step 07 (the seeded topic and the rebuilds' schema) is kept: it took
 * minutes to write, and `npm run seed -- --delete` removes it on purpose.
 */
import pg from "pg";
import { createClient } from "redis";
import { createKafka } from "../lib/kafka.ts";
import { attendeePrefix, replaySchema, replayTopic, testSchemaPrefix } from "../lib/names.ts";
import type { ServiceUrls } from "./types.ts";

export interface Leftovers {
  topics: string[];
  groups: string[];
  schemas: string[];
  redisKeys: string[];
}

export const nothingLeft: Leftovers = { topics: [], groups: [], schemas: [], redisKeys: [] };

/** Every resource of the attendee's prefix, except the replay data. */
export async function findLeftovers(urls: ServiceUrls, prefix = attendeePrefix()): Promise<Leftovers> {
  const kafkaPrefix = `es.${prefix}.`;
  const keep = new Set([replayTopic()]);
  const admin = createKafka({ brokers: urls.kafkaBrokers, clientId: "es-workshop-clean" }).admin();
  await admin.connect();
  let topics: string[];
  let groups: string[];
  try {
    topics = (await admin.listTopics()).filter((topic) => topic.startsWith(kafkaPrefix) && !keep.has(topic));
    groups = (await admin.listGroups()).groups.map((group) => group.groupId).filter((id) => id.startsWith(kafkaPrefix));
  } finally {
    await admin.disconnect();
  }
  const db = new pg.Client({ connectionString: urls.databaseUrl });
  await db.connect();
  let schemas: string[];
  try {
    // LIKE would read the underscores as wildcards: compare the start of the name instead.
    const { rows } = await db.query<{ name: string }>("SELECT schema_name AS name FROM information_schema.schemata WHERE left(schema_name, length($1)) = $1 ORDER BY 1", [testSchemaPrefix(prefix)]);
    schemas = rows.map((row) => row.name).filter((name) => name !== replaySchema());
  } finally {
    await db.end();
  }
  const redis = createClient({ url: urls.redisUrl, socket: { reconnectStrategy: false } });
  redis.on("error", () => {});
  await redis.connect();
  const redisKeys: string[] = [];
  try {
    const pattern = `es:${prefix.replace(/[*?[\]\\]/g, "\\$&")}:*`;
    for await (const keys of redis.scanIterator({ MATCH: pattern, COUNT: 500 })) redisKeys.push(...keys);
  } finally {
    await redis.close();
  }
  return { topics: topics.sort(), groups: groups.sort(), schemas, redisKeys: redisKeys.sort() };
}

/** What is in `now` and was not in `before`: what one run created. */
export function newSince(before: Leftovers, now: Leftovers): Leftovers {
  const fresh = (key: keyof Leftovers) => now[key].filter((name) => !before[key].includes(name));
  return { topics: fresh("topics"), groups: fresh("groups"), schemas: fresh("schemas"), redisKeys: fresh("redisKeys") };
}

/** Removes them; a group still in use (a consumer of another run) is kept, and said so. */
export async function removeLeftovers(urls: ServiceUrls, leftovers: Leftovers): Promise<{ removed: Leftovers; kept: string[] }> {
  const kept: string[] = [];
  const removedGroups: string[] = [];
  const removedTopics: string[] = [];
  const admin = createKafka({ brokers: urls.kafkaBrokers, clientId: "es-workshop-clean" }).admin();
  await admin.connect();
  try {
    for (const group of leftovers.groups) {
      try {
        await admin.deleteGroups([group]);
        removedGroups.push(group);
      } catch {
        kept.push(`consumer group ${group} (it still has members: a run is using it, or one stopped less than a session timeout ago)`);
      }
    }
    // One at a time: a topic another run's cleanup removed meanwhile must not fail the rest.
    for (const topic of leftovers.topics) {
      try {
        await admin.deleteTopics({ topics: [topic] });
        removedTopics.push(topic);
      } catch (error) {
        if (!isUnknownTopic(error)) kept.push(`topic ${topic} (${error instanceof Error ? error.message : String(error)})`);
      }
    }
  } finally {
    await admin.disconnect();
  }
  if (leftovers.schemas.length > 0) {
    const db = new pg.Client({ connectionString: urls.databaseUrl });
    await db.connect();
    try {
      for (const schema of leftovers.schemas) await db.query(`DROP SCHEMA IF EXISTS "${schema.replaceAll('"', '""')}" CASCADE`);
    } finally {
      await db.end();
    }
  }
  if (leftovers.redisKeys.length > 0) {
    const redis = createClient({ url: urls.redisUrl, socket: { reconnectStrategy: false } });
    redis.on("error", () => {});
    await redis.connect();
    try {
      for (let index = 0; index < leftovers.redisKeys.length; index += 500) await redis.del(leftovers.redisKeys.slice(index, index + 500));
    } finally {
      await redis.close();
    }
  }
  return { removed: { ...leftovers, groups: removedGroups, topics: removedTopics }, kept };
}

/** kafkajs's answer for a topic that is not there (any more): nothing left to remove. */
function isUnknownTopic(error: unknown): boolean {
  const seen = new Set<unknown>();
  for (let cause: unknown = error; cause && !seen.has(cause); cause = (cause as { cause?: unknown }).cause) {
    seen.add(cause);
    const { type, message } = cause as { type?: string; message?: string };
    if (type === "UNKNOWN_TOPIC_OR_PARTITION" || /does not host this topic-partition|unknown topic/i.test(message ?? "")) return true;
    for (const inner of (cause as { errors?: unknown[] }).errors ?? []) if (isUnknownTopic(inner)) return true;
  }
  return false;
}

/** One line per kind: what was removed. */
export function describeRemoved(removed: Leftovers): string[] {
  const list = (names: string[]) => (names.length <= 5 ? names.join(", ") : `${names.slice(0, 5).join(", ")} and ${names.length - 5} more`);
  return [
    removed.topics.length > 0 ? `${removed.topics.length} topic(s): ${list(removed.topics)}` : "",
    removed.groups.length > 0 ? `${removed.groups.length} consumer group(s): ${list(removed.groups)}` : "",
    removed.schemas.length > 0 ? `${removed.schemas.length} schema(s): ${list(removed.schemas)}` : "",
    removed.redisKeys.length > 0 ? `${removed.redisKeys.length} Redis key(s) under es:${attendeePrefix()}:` : "",
  ].filter(Boolean);
}
