// Copy of exercises/02-cache/src/input.ts: keep the two equal (the kit checks it).
/**
 * The edge of the wallet: everything a caller sends is checked here, before any SQL runs.
 *
 * TypeScript's types vanish at run time. An amount typed `number` may still arrive as
 * "100", 0.1 + 0.2 or NaN from a JSON body or a form, so each operation parses its input
 * with a schema and answers bad input with a typed error that says what was wrong.
 */
import { z } from "zod";
import { InvalidAccountId, InvalidAmount } from "./errors.ts";

/**
 * The most one command may move: 100,000,000 cents, i.e. 1,000,000.00. A few zeros typed
 * too many are refused rather than obeyed, and balances stay far below 2^53, where
 * JavaScript numbers stop counting cents exactly.
 */
export const MAX_AMOUNT_CENTS = 100_000_000;

/** Long enough for a UUID or an e-mail address, short enough to fit in a log line. */
export const MAX_ACCOUNT_ID_LENGTH = 64;

/**
 * Quotes, semicolons and dashes are allowed on purpose: the adapter sends ids to Postgres
 * as parameters, so an id is always data, never SQL. Control characters are not: Postgres
 * refuses NUL in text, and a new line in an id makes logs lie.
 */
const accountIdSchema = z
  .string({ error: (issue) => `must be a string, got ${typeof issue.input}` })
  .min(1, { error: "must not be empty" })
  .max(MAX_ACCOUNT_ID_LENGTH, { error: `must be at most ${MAX_ACCOUNT_ID_LENGTH} characters long` })
  .refine((id) => id.trim().length > 0, { error: "must not be only spaces" })
  .refine((id) => !/\p{Cc}/u.test(id), { error: "must not contain control characters (new lines, tabs, NUL…)" });

/** Given: an account id, checked, or InvalidAccountId saying what is wrong with it. */
export function parseAccountId(input: unknown): string {
  const result = accountIdSchema.safeParse(input);
  if (!result.success) throw new InvalidAccountId(input, firstReason(result.error));
  return result.data;
}

/**
 * Task 1 — validate amounts.
 * An amount, in cents, checked: a whole number, more than zero, at most MAX_AMOUNT_CENTS.
 * Anything else (a string, NaN, Infinity, 0.5, 0, -3, 10^12…) is refused with an
 * InvalidAmount whose reason says what was wrong.
 */
export function parseAmount(input: unknown): number {
  const result = amountSchema.safeParse(input);
  if (!result.success) throw new InvalidAmount(input, firstReason(result.error));
  return result.data;
}

// The checks run in this order and we report the first failure, so a huge amount is
// called too large rather than "not a whole number" (zod's int() also refuses unsafe integers).
const amountSchema = z
  .number({
    error: (issue) =>
      typeof issue.input === "number"
        ? `must be a finite number of cents, got ${issue.input}`
        : `must be a number of cents, got ${typeof issue.input}`,
  })
  .positive({ error: "must be more than zero" })
  .max(MAX_AMOUNT_CENTS, { error: `must be at most ${MAX_AMOUNT_CENTS} cents (1,000,000.00) in one command` })
  .int({ error: "must be a whole number of cents: money is counted in cents, never in fractions of one" });

/** Callers see one reason at a time: the first thing to fix. */
function firstReason(error: z.ZodError): string {
  return error.issues[0]?.message ?? "is not valid";
}
