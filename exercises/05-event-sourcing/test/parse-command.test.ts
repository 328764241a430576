import { parseCommand, type ParsedCommand } from "../src/commands.ts";
import { MAX_AMOUNT_CENTS } from "../src/input.ts";
import { describe, expect, task, test } from "#kit/testing";

const json = (value: unknown) => JSON.stringify(value);

function rejection(parsed: ParsedCommand) {
  expect(parsed.ok, `expected a rejection, got ${JSON.stringify(parsed)}`).toBe(false);
  return parsed.ok ? expect.unreachable() : parsed.rejection;
}

describe(task(4, "parse commands at the edge"), () => {
  test("GIVEN a well-formed withdrawal WHEN parsed THEN it is a Withdraw with its ids", () => {
    const parsed = parseCommand(json({ commandId: "c-1", type: "Withdraw", data: { accountId: "alice", amount: 80 }, metadata: { correlationId: "order-7" } }));

    expect(parsed).toEqual({
      ok: true,
      command: { type: "Withdraw", data: { accountId: "alice", amount: 80 }, metadata: { commandId: "c-1", correlationId: "order-7" } },
    });
  });

  test("GIVEN a command without a correlation id WHEN parsed THEN the command id is its correlation id", () => {
    const parsed = parseCommand(json({ commandId: "c-2", type: "OpenAccount", data: { accountId: "bob" } }));

    expect(parsed).toEqual({ ok: true, command: { type: "OpenAccount", data: { accountId: "bob" }, metadata: { commandId: "c-2", correlationId: "c-2" } } });
  });

  test("GIVEN fields the command does not know WHEN parsed THEN they are dropped, not passed to the domain", () => {
    const parsed = parseCommand(json({ commandId: "c-3", type: "Deposit", data: { accountId: "bob", amount: 5, note: "hi" }, admin: true }));

    expect(parsed).toEqual({ ok: true, command: { type: "Deposit", data: { accountId: "bob", amount: 5 }, metadata: { commandId: "c-3", correlationId: "c-3" } } });
  });

  test.for<[label: string, raw: string]>([
    ["half a JSON document", '{"commandId":"c-4","type":"Dep'],
    ["an empty record", ""],
    ["plain text", "withdraw 80 from alice"],
    ["a JSON array", json([{ type: "Deposit" }])],
    ["a JSON string", json("Deposit")],
    ["JSON null", "null"],
  ])("GIVEN %s WHEN parsed THEN MALFORMED_COMMAND, with a reason", ([, raw]) => {
    const refused = rejection(parseCommand(raw));

    expect(refused.code).toBe("MALFORMED_COMMAND");
    expect(refused.message.trim()).not.toBe("");
  });

  test.for<[label: string, type: unknown, shown: string]>([
    ["a type no one handles", "Transfer", "Transfer"],
    ["a type in the wrong case", "deposit", "deposit"],
    ["a number as the type", 7, "7"],
    ["no type at all", undefined, "undefined"],
  ])("GIVEN %s WHEN parsed THEN UNKNOWN_COMMAND_TYPE, naming what was sent", ([, type, shown]) => {
    const refused = rejection(parseCommand(json({ commandId: "c-5", type, data: { accountId: "alice", amount: 1 } })));

    expect(refused).toMatchObject({ code: "UNKNOWN_COMMAND_TYPE", type: shown });
    expect(refused.message).toContain("Deposit");
  });

  test.for<[label: string, command: unknown, reason: RegExp]>([
    ["an amount as a string", { commandId: "c", type: "Deposit", data: { accountId: "alice", amount: "100" } }, /amount/],
    ["a zero amount", { commandId: "c", type: "Deposit", data: { accountId: "alice", amount: 0 } }, /more than zero/],
    ["a negative amount", { commandId: "c", type: "Withdraw", data: { accountId: "alice", amount: -5 } }, /more than zero/],
    ["half a cent", { commandId: "c", type: "Withdraw", data: { accountId: "alice", amount: 0.5 } }, /whole number/],
    ["an amount over the maximum", { commandId: "c", type: "Deposit", data: { accountId: "alice", amount: MAX_AMOUNT_CENTS + 1 } }, /at most/],
    ["no amount", { commandId: "c", type: "Deposit", data: { accountId: "alice" } }, /amount/],
    ["an empty account id", { commandId: "c", type: "OpenAccount", data: { accountId: "" } }, /account id/],
    ["no data", { commandId: "c", type: "OpenAccount" }, /data/],
    ["no command id", { type: "OpenAccount", data: { accountId: "alice" } }, /id/],
  ])("GIVEN %s WHEN parsed THEN INVALID_COMMAND, saying what is wrong", ([, command, reason]) => {
    const refused = rejection(parseCommand(json(command)));

    expect(refused.code).toBe("INVALID_COMMAND");
    expect(refused.message).toMatch(reason);
  });
});
