/**
 * The client that retries. A client waits for its result, gives up after a while
 * (NoResultInTime) and sends again. It cannot know whether the first request was lost or is
 * only slow: if it was slow, a retry without a key is a second deposit.
 *
 * With an idempotency key the client says "this is the same request as before". The processor
 * remembers, per account, which keys it has applied and what for (a digest of the command);
 * the events it writes carry the key and the digest, so a new owner of the account learns
 * them again from the log after a rebalance. A retry is answered with the first result, and
 * nothing is applied twice.
 */
import { createHash } from "node:crypto";
import { z } from "zod";
import type { WalletCommand } from "./domain.ts";
import type { CommandResult } from "./commands.ts";

/** Long enough for a UUID, an order number and a date; short enough to be a key. */
export const MAX_IDEMPOTENCY_KEY_LENGTH = 128;

export const idempotencyKeySchema = z
  .string({ error: "the idempotency key must be a string" })
  .min(1, { error: "the idempotency key must not be empty" })
  .max(MAX_IDEMPOTENCY_KEY_LENGTH, { error: `the idempotency key must be at most ${MAX_IDEMPOTENCY_KEY_LENGTH} characters long` })
  .refine((key) => key.trim().length > 0, { error: "the idempotency key must not be only spaces" })
  .refine((key) => !/\p{Cc}/u.test(key), { error: "the idempotency key must not contain control characters" });

/** A key the client may not send: refused before anything goes on the wire. */
export class InvalidIdempotencyKey extends Error {
  override readonly name = "InvalidIdempotencyKey";

  constructor(
    readonly key: unknown,
    readonly reason: string,
  ) {
    super(`invalid idempotency key: ${reason}`);
  }
}

/** Given: the client's check of its own key, with the same rules the processor applies. */
export function checkIdempotencyKey(key: unknown): string {
  const result = idempotencyKeySchema.safeParse(key);
  if (!result.success) throw new InvalidIdempotencyKey(key, result.error.issues[0]?.message ?? "is not valid");
  return result.data;
}

/** The rejection for a key already used for a different request. */
export type IdempotencyRejection = { code: "IDEMPOTENCY_KEY_REUSED"; idempotencyKey: string; firstCommandId: string; message: string };

/** Given: a digest of what a command asks for (its type and data), the same for the same request whatever its command id. */
export function requestHash(command: WalletCommand): string {
  const data = Object.fromEntries(Object.entries(command.data).sort(([a], [b]) => a.localeCompare(b)));
  return createHash("sha256").update(JSON.stringify({ type: command.type, data })).digest("hex");
}

/** What the processor remembers of a key it has applied: what it was for, and what it answered. */
export interface RememberedRequest {
  requestHash: string;
  result: CommandResult;
}

/** A command that came with a key, as answerRetry sees it. */
export interface KeyedRequest {
  commandId: string;
  idempotencyKey: string;
  requestHash: string;
}

/**
 * Task 5 — answer a retry with the first result.
 * `remembered` is what the processor knows of the request's key in this account, or
 * undefined if the key was never used there. Never used: return undefined (the command is
 * decided as usual). Used for the same request (same requestHash): return the first result,
 * addressed to this request's commandId so its client hears it, with everything else as it
 * was (same events, same position; nothing new is written). Used for a different request:
 * return a rejected result addressed to this request's commandId, with IDEMPOTENCY_KEY_REUSED
 * naming the key (also in its message) and the first command's id. A pure function: no
 * Kafka, no clock.
 */
export function answerRetry(remembered: RememberedRequest | undefined, request: KeyedRequest): CommandResult | undefined {
  if (remembered === undefined) return undefined;
  if (remembered.requestHash === request.requestHash) return { ...remembered.result, commandId: request.commandId };
  const { idempotencyKey } = request;
  const firstCommandId = remembered.result.commandId;
  return {
    commandId: request.commandId,
    outcome: "rejected",
    rejection: {
      code: "IDEMPOTENCY_KEY_REUSED",
      idempotencyKey,
      firstCommandId,
      message: `the idempotency key ${JSON.stringify(idempotencyKey)} was already used by command ${firstCommandId} for a different request: use a new key for a new request`,
    },
  };
}
