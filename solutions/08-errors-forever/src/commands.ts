/**
 * Given: commands checked at the edge, before the domain sees them.
 *
 * A command that gets past this point becomes an event, and an event is for ever: an amount
 * of -100 or "100" accepted here would be a poison record on the log that every consumer
 * meets for the rest of its life. So every field is checked here, and bad input is an
 * InvalidCommand that says which field was wrong and how. (Step 05 parsed commands off a
 * topic; here a caller hands them over in process. The rules are the same.)
 */
import { z } from "zod";
import type { WalletCommand } from "./domain.ts";
import { accountIdSchema, amountSchema, firstReason, idSchema, MAX_AMOUNT_CENTS } from "./input.ts";

/** A command the wallet cannot even look at: which field was wrong, and how. */
export class InvalidCommand extends Error {
  override readonly name = "InvalidCommand";

  constructor(
    /** What the caller sent, as it was. */
    readonly input: unknown,
    readonly reason: string,
  ) {
    super(`invalid command: ${reason}`);
  }
}

const reasonSchema = z
  .string({ error: "the reason must be a string" })
  .trim()
  .min(1, { error: "the reason must not be empty: a correction or a freeze says why, for whoever reads the history" })
  .max(500, { error: "the reason must be at most 500 characters long" });

const commandSchema = z.discriminatedUnion(
  "type",
  [
    z.object({ type: z.literal("OpenAccount"), data: z.object({ accountId: accountIdSchema }) }),
    z.object({ type: z.literal("Deposit"), data: z.object({ accountId: accountIdSchema, amount: amountSchema }) }),
    z.object({ type: z.literal("Withdraw"), data: z.object({ accountId: accountIdSchema, amount: amountSchema }) }),
    z.object({
      type: z.literal("CorrectDeposit"),
      data: z.object({
        accountId: accountIdSchema,
        depositId: idSchema,
        // 0 is allowed: the deposit should never have been recorded (it was recorded twice, say).
        correctAmount: z
          .number({ error: "the correct amount must be a number of cents" })
          .int({ error: "the correct amount must be a whole number of cents" })
          .nonnegative({ error: "the correct amount must not be negative" })
          .max(MAX_AMOUNT_CENTS, { error: `the correct amount must be at most ${MAX_AMOUNT_CENTS} cents` }),
        reason: reasonSchema,
      }),
    }),
    z.object({ type: z.literal("FreezeAccount"), data: z.object({ accountId: accountIdSchema, reason: reasonSchema }) }),
    z.object({ type: z.literal("UnfreezeAccount"), data: z.object({ accountId: accountIdSchema }) }),
  ],
  { error: (issue) => `unknown command type ${JSON.stringify((issue.input as { type?: unknown } | undefined)?.type)}` },
);

/** A command, checked; an InvalidCommand saying what was wrong otherwise. */
export function parseCommand(input: unknown): WalletCommand {
  const result = commandSchema.safeParse(input);
  if (!result.success) throw new InvalidCommand(input, firstReason(result.error));
  return result.data;
}
