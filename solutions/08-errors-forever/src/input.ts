// Copy of exercises/05-event-sourcing/src/input.ts: keep the two equal (the kit checks it).
/**
 * Given: the checks every value from outside gets, the same rules as step 01 (money in
 * integer cents, ids that are short and printable), as zod schemas the command parser
 * (commands.ts) and the event parser (envelope.ts) build on.
 */
import { z } from "zod";

/**
 * The most one command may move: 100,000,000 cents, i.e. 1,000,000.00. Balances stay far
 * below 2^53, where JavaScript numbers stop counting cents exactly.
 */
export const MAX_AMOUNT_CENTS = 100_000_000;

/** Long enough for a UUID or an e-mail address, short enough to fit in a log line. */
export const MAX_ACCOUNT_ID_LENGTH = 64;

/** Command and event ids: a UUID fits many times over. */
export const MAX_ID_LENGTH = 128;

export const accountIdSchema = z
  .string({ error: (issue) => `the account id must be a string, got ${describeType(issue.input)}` })
  .min(1, { error: "the account id must not be empty" })
  .max(MAX_ACCOUNT_ID_LENGTH, { error: `the account id must be at most ${MAX_ACCOUNT_ID_LENGTH} characters long` })
  .refine((id) => id.trim().length > 0, { error: "the account id must not be only spaces" })
  .refine((id) => !/\p{Cc}/u.test(id), { error: "the account id must not contain control characters (new lines, tabs, NUL…)" });

// The checks run in this order and the first failure is reported, so a huge amount is
// called too large rather than "not a whole number".
export const amountSchema = z
  .number({
    error: (issue) =>
      typeof issue.input === "number"
        ? `the amount must be a finite number of cents, got ${issue.input}`
        : `the amount must be a number of cents, got ${describeType(issue.input)}`,
  })
  .positive({ error: "the amount must be more than zero" })
  .max(MAX_AMOUNT_CENTS, { error: `the amount must be at most ${MAX_AMOUNT_CENTS} cents (1,000,000.00) in one command` })
  .int({ error: "the amount must be a whole number of cents" });

export const idSchema = z
  .string({ error: (issue) => `an id must be a string, got ${describeType(issue.input)}` })
  .min(1, { error: "an id must not be empty" })
  .max(MAX_ID_LENGTH, { error: `an id must be at most ${MAX_ID_LENGTH} characters long` });

/** Callers see one reason at a time, with where it was found: the first thing to fix. */
export function firstReason(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return "is not valid";
  const where = issue.path.length > 0 ? ` (at ${issue.path.join(".")})` : "";
  return `${issue.message}${where}`;
}

function describeType(value: unknown): string {
  return value === null ? "null" : Array.isArray(value) ? "an array" : typeof value;
}
