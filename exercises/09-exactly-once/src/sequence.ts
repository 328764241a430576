/**
 * Detect instead of prevent: every event carries its account's version (1, 2, 3, …). Kafka
 * accepts any append, so two writers that both decided on version 2 both write a version 3.
 * A reader that checks the numbers notices: it refuses to fold a stream with a repeated
 * number (two decisions taken on the same state) or a missing one (an event lost, or read
 * from the wrong place), instead of computing a balance from a history that cannot be right.
 */
import { todo } from "#kit/todo";
import type { EventEnvelope } from "./envelope.ts";

/** An account's events are not numbered 1, 2, 3, … in order: the stream cannot be trusted as it is. */
export class OutOfSequence extends Error {
  override readonly name = "OutOfSequence";

  constructor(
    readonly accountId: string,
    /** The version the next event should have had. */
    readonly expected: number,
    /** The version it had. */
    readonly found: number,
    /** "duplicate": a number seen already (found < expected); "gap": numbers are missing (found > expected). */
    readonly kind: "duplicate" | "gap",
  ) {
    super(
      kind === "duplicate"
        ? `account ${JSON.stringify(accountId)}: expected version ${expected}, found ${found} again — two events were decided on the same state`
        : `account ${JSON.stringify(accountId)}: expected version ${expected}, found ${found} — versions ${expected}…${found - 1} are missing`,
    );
  }
}

/**
 * Task 1 — refuse a gap or a duplicate.
 * `events` is one account's stream, oldest first. Its versions must be exactly 1, 2, 3, …:
 * at the first event whose version is not the next one, throw an OutOfSequence that names
 * the account, the version expected and the version found, and says whether it is a
 * "duplicate" (found below expected) or a "gap" (found above). Return the events when all
 * is well. An empty stream is well.
 */
export function checkSequence(accountId: string, events: readonly EventEnvelope[]): readonly EventEnvelope[] {
  return todo("Task 1 — refuse a gap or a duplicate: versions must run 1, 2, 3, …; at the first one that does not, throw OutOfSequence(accountId, expected, found, kind)");
}
