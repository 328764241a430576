/**
 * The contract between the wallet and its readers: what an event looks like on the wire,
 * and the typed errors a reader gets for anything else. Pure functions: no services.
 */
import { decodeEvent, deposited, encodeEvent, MalformedEvent, signedAmount, UnknownEventVersion, withdrawn } from "../src/events.ts";
import { describe, expect, test } from "#kit/testing";

const eventId = "6f1c1a52-3c1e-4a43-9a8e-2f0e8f6b1a01";

function decodingFails<E extends Error>(payload: string | null, expected: new (...args: never[]) => E): E {
  try {
    decodeEvent(payload);
  } catch (error) {
    expect(error).toBeInstanceOf(expected);
    return error as E;
  }
  return expect.unreachable(`decodeEvent accepted ${payload}`);
}

describe("wallet events on the wire", () => {
  test("GIVEN a Deposited and a Withdrawn event WHEN encoded and decoded THEN they come back equal", () => {
    for (const event of [
      deposited(eventId, { accountId: "alice", amount: 100, balanceAfter: 300 }),
      withdrawn(eventId, { accountId: "alice", amount: 50, balanceAfter: 250 }),
    ]) {
      expect(decodeEvent(encodeEvent(event))).toEqual(event);
    }
  });

  test("GIVEN a deposit and a withdrawal WHEN their signed amounts are taken THEN + for one, − for the other", () => {
    expect(signedAmount(deposited(eventId, { accountId: "alice", amount: 100, balanceAfter: 100 }))).toBe(100);
    expect(signedAmount(withdrawn(eventId, { accountId: "alice", amount: 40, balanceAfter: 60 }))).toBe(-40);
  });

  test.for<[label: string, payload: string | null, reason: RegExp]>([
    ["no payload at all", null, /empty/],
    ["text that is not JSON", "{ not json", /not JSON/],
    ["JSON without metadata", JSON.stringify({ type: "Deposited" }), /metadata\.version/],
    ["an amount that is a string", JSON.stringify({ type: "Deposited", data: { accountId: "alice", amount: "100", balanceAfter: 100 }, metadata: { eventId, version: 1 } }), /data\.amount/],
    ["an event id that is not a UUID", JSON.stringify({ type: "Deposited", data: { accountId: "alice", amount: 100, balanceAfter: 100 }, metadata: { eventId: "42", version: 1 } }), /metadata\.eventId/],
    ["an unknown type", JSON.stringify({ type: "Gifted", data: { accountId: "alice", amount: 100, balanceAfter: 100 }, metadata: { eventId, version: 1 } }), /type/],
  ])("GIVEN %s WHEN decoded THEN MalformedEvent says what is wrong and keeps the payload", ([, payload, reason]) => {
    const error = decodingFails(payload, MalformedEvent);

    expect(error.reason).toMatch(reason);
    expect(error.payload).toBe(payload);
  });

  test("GIVEN an event of version 2 WHEN decoded by this version-1 reader THEN UnknownEventVersion names the version", () => {
    const payload = JSON.stringify({ type: "Deposited", data: { accountId: "alice", amountCents: 100 }, metadata: { eventId, version: 2 } });

    const error = decodingFails(payload, UnknownEventVersion);

    expect(error.version).toBe(2);
    expect(error.reason).toMatch(/version 2/);
    expect(error.payload).toBe(payload);
  });
});
