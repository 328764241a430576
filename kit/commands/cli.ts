/** What every kit command shares: its arguments, and failing with a clear message instead of a stack trace. */
import { ServiceUnavailable } from "../services/errors.ts";
import { UnknownStep } from "../harness/steps.ts";

export interface Arguments {
  positional: string[];
  flags: Set<string>;
}

export function parseArguments(argv = process.argv.slice(2)): Arguments {
  return {
    positional: argv.filter((arg) => !arg.startsWith("--")),
    flags: new Set(argv.filter((arg) => arg.startsWith("--")).map((arg) => arg.slice(2))),
  };
}

/** Errors we expect (a missing service, an unknown step) print their message alone; anything else with its stack. */
export async function main(command: () => Promise<number | void>): Promise<void> {
  try {
    process.exitCode = (await command()) ?? 0;
  } catch (error) {
    if (error instanceof ServiceUnavailable || error instanceof UnknownStep || error instanceof UsageError) console.error(`\n${error.message}\n`);
    else console.error(error);
    process.exitCode = 1;
  }
}

export class UsageError extends Error {
  override readonly name = "UsageError";
}

export const bold = (text: string) => (process.stdout.isTTY ? `\x1b[1m${text}\x1b[22m` : text);
export const green = (text: string) => (process.stdout.isTTY ? `\x1b[32m${text}\x1b[39m` : text);
export const red = (text: string) => (process.stdout.isTTY ? `\x1b[31m${text}\x1b[39m` : text);
export const dim = (text: string) => (process.stdout.isTTY ? `\x1b[2m${text}\x1b[22m` : text);
