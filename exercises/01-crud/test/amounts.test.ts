import { InvalidAmount } from "../src/errors.ts";
import { MAX_AMOUNT_CENTS, parseAmount } from "../src/input.ts";
import { describe, expect, failureOf, task, test } from "#kit/testing";

describe(task(1, "validate amounts"), () => {
  test.for<[label: string, input: number]>([
    ["1 cent", 1],
    ["250 cents", 250],
    ["exactly MAX_AMOUNT_CENTS", MAX_AMOUNT_CENTS],
  ])("GIVEN %s WHEN parsed THEN it is accepted as is", ([, input]) => {
    expect(parseAmount(input)).toBe(input);
  });

  test.for<[label: string, input: unknown]>([
    ["zero", 0],
    ["minus zero", -0],
    ["a negative amount", -100],
    ["half a cent", 0.5],
    ["a float sum (0.1 + 0.2)", 0.1 + 0.2],
    ["NaN", Number.NaN],
    ["Infinity", Number.POSITIVE_INFINITY],
    ["minus Infinity", Number.NEGATIVE_INFINITY],
    ["one cent over MAX_AMOUNT_CENTS", MAX_AMOUNT_CENTS + 1],
    ["10^20 cents", 1e20],
    ["a numeric string", "100"],
    ["a word", "ten euros"],
    ["a bigint", 100n],
    ["null", null],
    ["undefined", undefined],
    ["an object", { cents: 100 }],
  ])("GIVEN %s WHEN parsed THEN it is refused with an InvalidAmount that keeps the input and gives a reason", async ([, input]) => {
    const invalid = await failureOf(() => parseAmount(input), InvalidAmount);

    expect(invalid.code).toBe("INVALID_AMOUNT");
    expect(invalid.input).toBe(input); // Object.is: NaN is NaN, -0 is -0, the object is the same object
    expect(invalid.reason.trim()).not.toBe("");
    expect(invalid.message).toContain(invalid.reason);
  });

  test("GIVEN four different mistakes WHEN parsed THEN each one gets its own reason", async () => {
    const mistakes = [0, 0.5, "100", MAX_AMOUNT_CENTS * 10];

    const reasons = await Promise.all(
      mistakes.map(async (input) => (await failureOf(() => parseAmount(input), InvalidAmount)).reason),
    );

    // "invalid amount" four times would be true and useless: the caller must learn what to fix.
    expect(new Set(reasons).size).toBe(mistakes.length);
  });
});
