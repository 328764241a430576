/**
 * What an HTTP handler of the wallet does with a command — without the HTTP: it sends the
 * command, and answers with what the caller may show.
 *
 *   200  the command was accepted and the read model shows it: here is the balance
 *   202  the command was accepted, but the read model has not caught up with it yet:
 *        here is its position, ask again (the write is safe in the log, not lost)
 *   422  the command was refused: here is why, and nothing was written
 *
 * This is where eventual consistency reaches the API's client: a 202 is not a failure, and a
 * client that shows the balance from before its own deposit without saying so is wrong.
 */
import { todo } from "#kit/todo";
import type { CommandResult, Rejection } from "./commands.ts";
import type { WalletCommand } from "./domain.ts";
import type { Position } from "./envelope.ts";
import { balanceOf, NotVisibleYet, waitForPosition } from "./queries.ts";
import type { Database } from "./read-models.ts";

/** Whatever sends a command and resolves with its result: the CommandClient, or a test's wallet. */
export interface CommandSender {
  send(command: WalletCommand): Promise<CommandResult>;
}

export type ApiAnswer =
  | { status: 200; body: { accountId: string; balance: number | null; position: Position } }
  | { status: 202; body: { accountId: string; position: Position; reached: Position | null; message: string } }
  | { status: 422; body: { rejection: Rejection } };

export interface AnswerOptions {
  /** How long the handler waits for the read model before it answers 202. */
  timeoutMs?: number;
}

/**
 * Task 3 — answer accepted but not visible yet.
 * Send the command. Rejected → 422 with the rejection (nothing to wait for). Accepted → wait
 * for its position (Task 2) for at most `timeoutMs`; then answer 200 with the balance the
 * read model shows; if the wait gives up (NotVisibleYet), 202 with the position waited for,
 * the position reached and a message saying the change is accepted but not visible yet. Any
 * other error is not the caller's business: let it through.
 */
export async function answerCommand(wallet: CommandSender, db: Database, command: WalletCommand, { timeoutMs = 1_000 }: AnswerOptions = {}): Promise<ApiAnswer> {
  return todo("Task 3 — answer accepted but not visible yet: a rejected command is 422; an accepted one is 200 with the balance once the read model shows it, or 202 with its position and the position the read model reached (NotVisibleYet) when it does not in time");
}
