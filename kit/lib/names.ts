/**
 * Names for the resources a test creates: unique per test, and prefixed per attendee,
 * so test files run in parallel, runs repeat without cleanup, and many attendees can
 * share one instructor-run cluster without seeing each other's data.
 */
import { randomBytes } from "node:crypto";
import { userInfo } from "node:os";

/** `KIT_ATTENDEE` if set (an instructor hands one out per person), else the OS user name. */
export function attendeePrefix(): string {
  const raw = process.env.KIT_ATTENDEE || safeUserName() || "attendee";
  const cleaned = raw.toLowerCase().replace(/[^a-z0-9]+/g, "_").replace(/^_+|_+$/g, "").slice(0, 20);
  return cleaned || "attendee";
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

/** A Postgres schema name: lower case, at most 63 characters. */
export function schemaName(label = "t"): string {
  return `es_${attendeePrefix()}_${label.replace(/[^a-z0-9]+/gi, "_").toLowerCase().slice(0, 16)}_${uniqueId()}`;
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
