/**
 * Commands on the wire, and the results that answer them.
 *
 * A caller puts a command on the commands topic as JSON, keyed by account id:
 *
 *   { "commandId": "c-1", "type": "Withdraw", "data": { "accountId": "alice", "amount": 80 },
 *     "metadata": { "correlationId": "c-1" } }
 *
 * Anything may arrive there — a typo in the type, an amount of "80", a half-written JSON
 * document — so the processor parses each record (Task 4) before the domain sees it, and
 * answers bad input with a typed rejection instead of crashing or stalling the partition.
 */
import { z } from "zod";
import { todo } from "#kit/todo";
import type { DomainRejection, WalletCommand } from "./domain.ts";
import type { EventEnvelope, Position } from "./envelope.ts";
import { accountIdSchema, amountSchema, firstReason, idSchema } from "./input.ts";

/** The header a caller sets to its command id, so that even a command whose JSON is unreadable gets its answer. */
export const COMMAND_ID_HEADER = "command-id";

export const walletCommandTypes = ["OpenAccount", "Deposit", "Withdraw"] as const satisfies ReadonlyArray<WalletCommand["type"]>;

/** A command as the processor handles it: the domain's command, and who asked, in which conversation. */
export type ReceivedCommand = WalletCommand & { metadata: { commandId: string; correlationId: string } };

/** Why a record on the commands topic is not a command the domain can even look at. */
export type InputRejection =
  | { code: "MALFORMED_COMMAND"; message: string }
  | { code: "UNKNOWN_COMMAND_TYPE"; type: string; message: string }
  | { code: "INVALID_COMMAND"; message: string };

export type Rejection = DomainRejection | InputRejection;

export type ParsedCommand = { ok: true; command: ReceivedCommand } | { ok: false; rejection: InputRejection };

/**
 * What the caller is told. Accepted: the events written and the position of the last one
 * (a read model that has reached it shows the change: step 06). Rejected: why, and nothing
 * was written.
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
  metadata: z.object({ correlationId: idSchema.optional() }).optional(),
});

/**
 * Task 4 — parse commands at the edge.
 * Turns the text of a record on the commands topic into a ReceivedCommand, or says why it
 * cannot: MALFORMED_COMMAND when it is not a JSON object, UNKNOWN_COMMAND_TYPE when the
 * type is none of walletCommandTypes, INVALID_COMMAND (with the reason) when a field is
 * missing or wrong — a bad account id, an amount that is not a positive whole number of
 * cents, no commandId. The correlationId defaults to the commandId. Never throws.
 */
export function parseCommand(raw: string): ParsedCommand {
  return todo("Task 4 — parse commands at the edge: never throw; not a JSON object → MALFORMED_COMMAND; a type this wallet does not know → UNKNOWN_COMMAND_TYPE, with the type as text (no type at all is \"undefined\") and a message that names the known types; a bad field → INVALID_COMMAND with the reason; correlationId defaults to commandId");
}

function refuse(rejection: InputRejection): ParsedCommand {
  return { ok: false, rejection };
}

/** Given: the JSON text of a command, as a caller sends it. */
export function commandToJson(command: WalletCommand, { commandId, correlationId = commandId }: { commandId: string; correlationId?: string }): string {
  return JSON.stringify({ commandId, type: command.type, data: command.data, metadata: { correlationId } });
}

// Results are written by this step's own processor, but read by callers that may run other
// versions: parsed at the edge too. Events inside are checked loosely here; the events
// topic, not the results topic, is the record of what happened.
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

/** Given: a result from its JSON text, checked. */
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
