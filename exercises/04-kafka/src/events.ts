/**
 * What the log carries in this step: the events of wallet accounts, and the balances
 * they lead to. The log itself does not care what a record says; the tests need a
 * per-account sequence number to see whether order held.
 *
 * Records are checked when they are read (zod), because anything can be written to a
 * topic: another service, an older version of this one, a person with a CLI.
 */
import { z } from "zod";

export type AccountEvent =
  | { type: "deposited"; accountId: string; sequence: number; amount: number }
  | { type: "withdrawn"; accountId: string; sequence: number; amount: number };

/** The latest balance of an account: what the compacted topic of Task 4 keeps. */
export interface BalanceRecord {
  accountId: string;
  balance: number;
}

const cents = z.number().int().positive();
const eventSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("deposited"), accountId: z.string().min(1), sequence: z.number().int().positive(), amount: cents }),
  z.object({ type: z.literal("withdrawn"), accountId: z.string().min(1), sequence: z.number().int().positive(), amount: cents }),
]);
const balanceSchema = z.object({ accountId: z.string().min(1), balance: z.number().int() });

/** By how much the event changes the account's balance, in cents. */
export function signedAmount(event: AccountEvent): number {
  switch (event.type) {
    case "deposited":
      return event.amount;
    case "withdrawn":
      return -event.amount;
    default:
      return unreachable(event);
  }
}

/** "alice#2": an event as the tests compare them, by account and place in its account's history. */
export function label(event: Pick<AccountEvent, "accountId" | "sequence">): string {
  return `${event.accountId}#${event.sequence}`;
}

export function encodeEvent(event: AccountEvent): string {
  return JSON.stringify(event);
}

export function encodeBalance(record: BalanceRecord): string {
  return JSON.stringify(record);
}

/** The event a record's value holds, or a reason why it holds none. */
export function decodeEvent(value: Buffer | null): { ok: true; event: AccountEvent } | { ok: false; reason: string } {
  const parsed = parseJson(value);
  if (!parsed.ok) return parsed;
  const result = eventSchema.safeParse(parsed.json);
  return result.success ? { ok: true, event: result.data } : { ok: false, reason: describeIssue(result.error) };
}

export function decodeBalance(value: Buffer | null): { ok: true; record: BalanceRecord } | { ok: false; reason: string } {
  const parsed = parseJson(value);
  if (!parsed.ok) return parsed;
  const result = balanceSchema.safeParse(parsed.json);
  return result.success ? { ok: true, record: result.data } : { ok: false, reason: describeIssue(result.error) };
}

function parseJson(value: Buffer | null): { ok: true; json: unknown } | { ok: false; reason: string } {
  if (value === null) return { ok: false, reason: "value is empty (a tombstone?)" };
  try {
    return { ok: true, json: JSON.parse(value.toString("utf8")) };
  } catch {
    return { ok: false, reason: "value is not JSON" };
  }
}

function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  return issue ? `${issue.path.join(".") || "value"}: ${issue.message}` : "is not valid";
}

function unreachable(value: never): never {
  throw new TypeError(`unexpected event ${JSON.stringify(value)}`);
}
