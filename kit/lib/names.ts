/**
 * Names for the resources a test creates: unique per test, and prefixed per attendee,
 * so test files run in parallel, runs repeat without cleanup, and many attendees can
 * share one instructor-run cluster without seeing each other's data.
 */
import { createHash, randomBytes } from "node:crypto";
import { userInfo } from "node:os";

/**
 * `KIT_ATTENDEE` if set (an instructor hands one out per person), else the OS user name, made safe
 * for topic, schema and key names: lower case a–z, 0–9 and _, at most 20 characters of it. Accents
 * are dropped rather than the letter (José → jose). A name that had to change gets a short hash of
 * the name as given, so two attendees on one cluster never share a prefix: "Zoë" and "zoe", two
 * names in another script, or two long names with the same first 20 characters stay apart.
 */
export function attendeePrefix(name = process.env.KIT_ATTENDEE || safeUserName() || "attendee"): string {
  const readable = name.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase();
  const cleaned = readable.replace(/[^a-z0-9]+/g, "_").replace(/^_+|_+$/g, "").slice(0, 20).replace(/_+$/, "");
  if (cleaned === name) return cleaned;
  const hash = createHash("sha256").update(name).digest("hex").slice(0, 6);
  return `${cleaned || "attendee"}_${hash}`;
}

/** The OS user name, or undefined where the OS has none to give (some containers). */
export function safeUserName(): string | undefined {
  try {
    return userInfo().username;
  } catch {
    return undefined;
  }
}

export function uniqueId(): string {
  return randomBytes(5).toString("hex");
}

/**
 * A Postgres schema name: lower case, at most 63 characters. A double underscore ends the
 * attendee's part (a prefix never holds two in a row), so `npm run services -- --clean` can tell
 * bob's schemas (es_bob__…) from bob_cd9fb1's (es_bob_cd9fb1__…).
 */
export function schemaName(label = "t"): string {
  return `${testSchemaPrefix()}${label.replace(/[^a-z0-9]+/gi, "_").toLowerCase().slice(0, 16)}_${uniqueId()}`;
}

/** What every test schema of this attendee starts with. */
export function testSchemaPrefix(prefix = attendeePrefix()): string {
  return `es_${prefix}__`;
}

export function topicPrefix(): string {
  return `es.${attendeePrefix()}.${uniqueId()}`;
}

export function redisPrefix(): string {
  return `es:${attendeePrefix()}:${uniqueId()}:`;
}

// Step 07's replay data: what `npm run seed` writes and `npm run rebuild` replays. One topic and
// one schema per attendee, kept between runs (unlike a test's, which go with the test).

export function replayTopic(): string {
  return `es.${attendeePrefix()}.replay.events`;
}

export function replaySchema(): string {
  return `es_${attendeePrefix()}_replay`;
}
