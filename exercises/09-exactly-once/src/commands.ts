/**
 * Given: step 05's commands on the wire (its Task 4, done), plus an optional idempotency key.
 *
 *   { "commandId": "c-2", "type": "Deposit", "data": { "accountId": "alice", "amount": 50 },
 *     "metadata": { "correlationId": "c-2", "idempotencyKey": "pay-rent-2026-03" } }
 *
 * A command id names one request; an idempotency key names what the client *means*. A client
 * that timed out and sends again makes a new request (a new command id), but sends the same
 * key: that is how the processor knows the second request is the first one again (Task 5).
 */
import { z } from "zod";
import type { DomainRejection, WalletCommand } from "./domain.ts";
import type { EventEnvelope, Position } from "./envelope.ts";
import { idempotencyKeySchema, type IdempotencyRejection } from "./idempotency.ts";
import { accountIdSchema, amountSchema, firstReason, idSchema } from "./input.ts";

/** The header a caller sets to its command id, so that even a command whose JSON is unreadable gets its answer. */
export const COMMAND_ID_HEADER = "command-id";

export const walletCommandTypes = ["OpenAccount", "Deposit", "Withdraw"] as const satisfies ReadonlyArray<WalletCommand["type"]>;

/** A command as the processor handles it: the domain's command, who asked, in which conversation, and the client's key. */
export type ReceivedCommand = WalletCommand & { metadata: { commandId: string; correlationId: string; idempotencyKey?: string } };

/** Why a record on the commands topic is not a command the domain can even look at. */
export type InputRejection =
  | { code: "MALFORMED_COMMAND"; message: string }
  | { code: "UNKNOWN_COMMAND_TYPE"; type: string; message: string }
  | { code: "INVALID_COMMAND"; message: string };

export type Rejection = DomainRejection | InputRejection | IdempotencyRejection;

export type ParsedCommand = { ok: true; command: ReceivedCommand } | { ok: false; rejection: InputRejection };

/**
 * What the caller is told. Accepted: the events written and the position of the last one.
 * Rejected: why, and nothing was written.
 */
export type CommandResult =
  | { commandId: string; outcome: "accepted"; accountId: string; events: EventEnvelope[]; position: Position }
  | { commandId: string; outcome: "rejected"; rejection: Rejection };

const commandSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("OpenAccount"), data: z.object({ accountId: accountIdSchema }) }),
  z.object({ type: z.literal("Deposit"), data: z.object({ accountId: accountIdSchema, amount: amountSchema }) }),
  z.object({ type: z.literal("Withdraw"), data: z.object({ accountId: accountIdSchema, amount: amountSchema }) }),
]);

const envelopeOfCommandSchema = z.object({
  commandId: idSchema,
  metadata: z.object({ correlationId: idSchema.optional(), idempotencyKey: idempotencyKeySchema.optional() }).optional(),
});

/** Never throws: a processor that throws on a bad record stalls its partition. */
export function parseCommand(raw: string): ParsedCommand {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (error) {
    return refuse({ code: "MALFORMED_COMMAND", message: `the command is not JSON: ${(error as Error).message}` });
  }
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    return refuse({ code: "MALFORMED_COMMAND", message: `the command must be a JSON object, got ${Array.isArray(json) ? "an array" : json === null ? "null" : typeof json}` });
  }
  const type = (json as { type?: unknown }).type;
  if (!walletCommandTypes.some((known) => known === type)) {
    const shown = typeof type === "string" ? type : String(JSON.stringify(type));
    return refuse({ code: "UNKNOWN_COMMAND_TYPE", type: shown, message: `unknown command type ${JSON.stringify(shown)}: expected one of ${walletCommandTypes.join(", ")}` });
  }
  const ids = envelopeOfCommandSchema.safeParse(json);
  if (!ids.success) return refuse({ code: "INVALID_COMMAND", message: firstReason(ids.error) });
  const command = commandSchema.safeParse(json);
  if (!command.success) return refuse({ code: "INVALID_COMMAND", message: firstReason(command.error) });
  const { commandId, metadata } = ids.data;
  const idempotencyKey = metadata?.idempotencyKey;
  return {
    ok: true,
    command: { ...command.data, metadata: { commandId, correlationId: metadata?.correlationId ?? commandId, ...(idempotencyKey === undefined ? {} : { idempotencyKey }) } },
  };
}

function refuse(rejection: InputRejection): ParsedCommand {
  return { ok: false, rejection };
}

/** The JSON text of a command, as a caller sends it. */
export function commandToJson(command: WalletCommand, { commandId, correlationId = commandId, idempotencyKey }: { commandId: string; correlationId?: string; idempotencyKey?: string }): string {
  return JSON.stringify({ commandId, type: command.type, data: command.data, metadata: { correlationId, ...(idempotencyKey === undefined ? {} : { idempotencyKey }) } });
}

// Results are parsed at the edge too. Events inside are checked loosely: the events topic,
// not the results topic, is the record of what happened.
const positionSchema = z.object({ partition: z.number().int().nonnegative(), offset: z.number().int().nonnegative() });
const resultSchema = z.discriminatedUnion("outcome", [
  z.object({
    commandId: z.string(),
    outcome: z.literal("accepted"),
    accountId: z.string(),
    events: z.array(z.custom<EventEnvelope>((value) => typeof value === "object" && value !== null && "metadata" in value)),
    position: positionSchema,
  }),
  z.object({
    commandId: z.string(),
    outcome: z.literal("rejected"),
    rejection: z.custom<Rejection>((value) => typeof value === "object" && value !== null && typeof (value as { code?: unknown }).code === "string"),
  }),
]);

/** A record of the results topic that is not a result. */
export class MalformedResult extends Error {
  override readonly name = "MalformedResult";
}

/** A result from its JSON text, checked. */
export function parseResult(raw: string): CommandResult {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (error) {
    throw new MalformedResult(`a result that is not JSON: ${(error as Error).message}`);
  }
  const result = resultSchema.safeParse(json);
  if (!result.success) throw new MalformedResult(`not a command result: ${firstReason(result.error)}`);
  return result.data;
}
