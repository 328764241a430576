/** What every kit command shares: its arguments, and failing with a clear message instead of a stack trace. */
import { ServiceUnavailable } from "../services/errors.ts";
import { BadServiceUrl } from "../services/urls.ts";
import { UnknownStep } from "../harness/steps.ts";

export interface Arguments {
  positional: string[];
  flags: Set<string>;
}

/**
 * The command's arguments. `known` lists the flags the command reads ("watch"; "accounts=" for one
 * that takes a value): any other flag is refused with that list, since a typo silently ignored
 * (--solutoin) runs something other than what the attendee asked for.
 */
export function parseArguments(argv = process.argv.slice(2), known?: readonly string[]): Arguments {
  const flags = argv.filter((arg) => arg.startsWith("--")).map((arg) => arg.slice(2));
  if (known) {
    for (const flag of flags) {
      const [name = "", value] = flag.split(/=(.*)/s);
      const takesValue = known.includes(`${name}=`);
      if (takesValue && value === undefined) throw new UsageError(`--${name} needs a value, like --${name}=<value>.`);
      if (!takesValue && !known.includes(flag)) {
        const valid = known.map((option) => (option.endsWith("=") ? `--${option}<value>` : `--${option}`));
        throw new UsageError(`Unknown option --${flag}. ${valid.length > 0 ? `Valid options: ${valid.join(" ")}` : "This command takes no options."}`);
      }
    }
  }
  return { positional: argv.filter((arg) => !arg.startsWith("--")), flags: new Set(flags) };
}

/**
 * A count given on the command line: plain decimal digits (1000000, or 1_000_000 for the eye),
 * from 1 up to `max`. Not 1e12, not 0x10, not 12abc: Number() would take those as something else.
 */
export function parseCount(text: string | undefined, { what, max, over }: { what: string; max: number; over: string }): number {
  const digits = text?.trim().replaceAll("_", "");
  if (digits === undefined || !/^\d+$/.test(digits)) throw new UsageError(`${what} must be a whole number written in decimal digits, got ${JSON.stringify(text ?? "")}.`);
  const value = Number(digits);
  if (value < 1) throw new UsageError(`${what} must be at least 1, got ${text}.`);
  if (value > max) throw new UsageError(`${what} is at most ${max.toLocaleString("en-US")}, got ${value.toLocaleString("en-US")}: ${over}`);
  return value;
}

/** PORT for the hub: a decimal number 1–65535, nothing else (not "", which Number() reads as 0, nor 0x50, which it reads as 80). */
export function parsePort(text: string): number {
  const port = /^\d{1,5}$/.test(text.trim()) ? Number(text.trim()) : NaN;
  if (!(port >= 1 && port <= 65535)) throw new UsageError(`PORT=${JSON.stringify(text)} is not a port number: give one from 1 to 65535 in decimal (PORT=5000 npm start), or unset PORT for the default, 18080.`);
  return port;
}

/** Errors we expect (a missing service, an unknown step) print their message alone; anything else with its stack. */
export async function main(command: () => Promise<number | void>): Promise<void> {
  try {
    process.exitCode = (await command()) ?? 0;
  } catch (error) {
    if (error instanceof ServiceUnavailable || error instanceof UnknownStep || error instanceof UsageError || error instanceof BadServiceUrl) console.error(`\n${error.message}\n`);
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
