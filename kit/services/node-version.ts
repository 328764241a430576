/**
 * Which Node.js versions the kit runs on: package.json's `engines.node`, kept true to what the
 * dependencies require (vite ^20.19.0 || >=22.12.0, vitest no Node 23, undici >=20.18.1, and on
 * platforms without a native rolldown binding its WebAssembly fallback ^22.13.0;
 * kit/tests/engines.test.ts checks every installed package), and checked by the doctor.
 *
 * A small reader of npm's range syntax, enough for the ranges in node_modules: `||`, comparators
 * joined by spaces, ^ and ~, partial versions and x/* wildcards. No dependency for it: the kit
 * would otherwise lean on a package that only a dependency brings.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { rootDir } from "../harness/paths.ts";
import type { Check } from "./checkup.ts";

type Version = [number, number, number];

/** package.json's engines.node. */
export function requiredNodeRange(packageJson = path.join(rootDir, "package.json")): string {
  const range = (JSON.parse(readFileSync(packageJson, "utf8")) as { engines?: { node?: string } }).engines?.node;
  if (!range) throw new Error(`${packageJson}: engines.node is missing`);
  return range;
}

/** Whether `version` (e.g. "22.12.0") is in an npm range (e.g. "^20.19.0 || >=22.12.0"). */
export function satisfies(version: string, range: string): boolean {
  const target = fullVersion(version);
  return range.split("||").some((alternative) => {
    const comparators = alternative.trim().replace(/(>=|<=|>|<|=|\^|~)\s+/g, "$1").split(/\s+/).filter(Boolean);
    return comparators.every((comparator) => matches(target, comparator));
  });
}

/** The doctor's Node.js check. */
export function nodeCheck(version = process.versions.node, range = requiredNodeRange()): Check {
  if (satisfies(version, range)) return { level: "ok", what: `Node.js ${version}` };
  return {
    level: "fail",
    what: `Node.js ${version}: the kit's dependencies need ${range}`,
    fix: "install Node.js 22 or 24 LTS (https://nodejs.org, `nvm install 22`, `brew install node@22`, `winget install OpenJS.NodeJS.LTS`), or update Node 20 to 20.19 or newer",
  };
}

function matches(version: Version, comparator: string): boolean {
  const [, operator = "", text = ""] = /^(>=|<=|>|<|=|\^|~)?(.*)$/.exec(comparator) ?? [];
  const parts = partial(text);
  if (parts.length === 0) return true; // *, x, or nothing: any version
  const lower = pad(parts);
  const exact = parts.length === 3;
  switch (operator) {
    case ">=":
      return compare(version, lower) >= 0;
    case ">":
      return exact ? compare(version, lower) > 0 : compare(version, next(parts)) >= 0;
    case "<":
      return compare(version, lower) < 0;
    case "<=":
      return exact ? compare(version, lower) <= 0 : compare(version, next(parts)) < 0;
    case "^":
      return compare(version, lower) >= 0 && compare(version, caretLimit(lower, parts.length)) < 0;
    case "~":
      return compare(version, lower) >= 0 && compare(version, parts.length >= 2 ? [lower[0], lower[1] + 1, 0] : [lower[0] + 1, 0, 0]) < 0;
    default:
      return exact ? compare(version, lower) === 0 : compare(version, lower) >= 0 && compare(version, next(parts)) < 0;
  }
}

/** The numbers given before any wildcard: "14.x" is [14], "6.*" is [6], "1.2.3" is [1, 2, 3]. */
function partial(text: string): number[] {
  const numbers: number[] = [];
  for (const part of text.replace(/^v/, "").split(".").slice(0, 3)) {
    if (!/^\d+$/.test(part)) break;
    numbers.push(Number(part));
  }
  return numbers;
}

function fullVersion(version: string): Version {
  // A nightly, an rc or a distribution's build ("24.0.0-nightly20250401", "22.13.0+deb") is judged as
  // the release it leads to: the doctor must not crash on the Node it runs on.
  const parts = partial(version.replace(/^v/, "").split(/[-+]/)[0]!);
  if (parts.length !== 3) throw new Error(`not a version: ${version}`);
  return pad(parts);
}

function pad(parts: number[]): Version {
  return [parts[0] ?? 0, parts[1] ?? 0, parts[2] ?? 0];
}

/** The first version after a partial one: 14 → 15.0.0, 14.17 → 14.18.0. */
function next(parts: number[]): Version {
  const bumped = [...parts];
  bumped[bumped.length - 1]! += 1;
  return pad(bumped);
}

/** ^ allows changes that do not modify the left-most non-zero part given. */
function caretLimit([major, minor, patch]: Version, given: number): Version {
  if (major > 0 || given === 1) return [major + 1, 0, 0];
  if (minor > 0 || given === 2) return [0, minor + 1, 0];
  return [0, 0, patch + 1];
}

function compare(a: Version, b: Version): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}
