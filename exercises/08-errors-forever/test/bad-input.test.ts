/**
 * Checks of the given command parser (they pass from the start): what gets past it becomes
 * an event for ever, so a bad command is refused with an InvalidCommand that says which
 * field was wrong — and nothing is written.
 */
import { InvalidCommand, parseCommand } from "../src/commands.ts";
import { describe, expect, failureOf, test } from "#kit/testing";

const correction = (data: Record<string, unknown>) => ({ type: "CorrectDeposit", data: { accountId: "alice", depositId: "event-2", correctAmount: 10_000, reason: "recorded 100× too large", ...data } });

describe("checking commands at the edge", () => {
  test("GIVEN a correction to 0 WHEN parsed THEN accepted: a deposit recorded twice never happened", () => {
    expect(parseCommand(correction({ correctAmount: 0 }))).toEqual(correction({ correctAmount: 0 }));
  });

  test.for<[label: string, input: unknown, reason: RegExp]>([
    ["a correction with no reason", correction({ reason: "   " }), /the reason must not be empty.*\(at data\.reason\)/],
    ["a correction to a negative amount", correction({ correctAmount: -1 }), /must not be negative \(at data\.correctAmount\)/],
    ["a correction to a fraction of a cent", correction({ correctAmount: 99.5 }), /whole number of cents/],
    ["a correction that names no deposit", correction({ depositId: undefined }), /at data\.depositId/],
    ["a deposit of \"100\"", { type: "Deposit", data: { accountId: "alice", amount: "100" } }, /must be a number of cents, got string \(at data\.amount\)/],
    ["a command type nobody knows", { type: "DeleteEvent", data: { accountId: "alice" } }, /unknown command type "DeleteEvent"/],
    ["no command at all", null, /unknown command type undefined/],
  ])("GIVEN %s WHEN parsed THEN InvalidCommand says which field and why", async ([, input, reason]) => {
    const invalid = await failureOf(() => parseCommand(input), InvalidCommand);

    expect(invalid.reason).toMatch(reason);
    expect(invalid.input).toBe(input);
  });
});
