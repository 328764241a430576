/**
 * package.json's `engines.node` must be true: every Node version it admits must be one that every
 * package admits too. vite needs ^20.19.0 || >=22.12.0, vitest refuses Node 23, rolldown's
 * WebAssembly fallback (installed on platforms without a native binding) needs ^22.13.0, and
 * undici, which testcontainers brings, needs >=20.18.1. The doctor reads the same range
 * (kit/services/node-version.ts).
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { rootDir } from "../harness/paths.ts";
import { nodeCheck, requiredNodeRange, satisfies } from "../services/node-version.ts";

/** Every installed package's engines.node, nested node_modules included. */
function installedEngines(dir = path.join(rootDir, "node_modules")): Array<{ name: string; range: string }> {
  const found: Array<{ name: string; range: string }> = [];
  for (const entry of readdirSync(dir)) {
    if (entry.startsWith(".")) continue;
    const folder = path.join(dir, entry);
    if (entry.startsWith("@")) {
      found.push(...installedEngines(folder));
      continue;
    }
    const manifest = path.join(folder, "package.json");
    if (!existsSync(manifest)) continue;
    const { name, engines } = JSON.parse(readFileSync(manifest, "utf8")) as { name: string; engines?: { node?: unknown } };
    if (typeof engines?.node === "string") found.push({ name, range: engines.node });
    if (existsSync(path.join(folder, "node_modules"))) found.push(...installedEngines(path.join(folder, "node_modules")));
  }
  return found;
}

/**
 * The lockfile's packages too: it also lists the optional packages installed only on other
 * platforms (a Windows or macOS laptop's native bindings, the WebAssembly fallbacks).
 */
function lockedEngines(): Array<{ name: string; range: string }> {
  const lock = JSON.parse(readFileSync(path.join(rootDir, "package-lock.json"), "utf8")) as { packages: Record<string, { engines?: { node?: unknown } }> };
  return Object.entries(lock.packages)
    .filter(([name, entry]) => name !== "" && typeof entry.engines?.node === "string")
    .map(([name, entry]) => ({ name: name.replace(/^.*node_modules\//, ""), range: entry.engines!.node as string }));
}

/** Versions around every bound any range names, and each major's first and a late release. */
function sampleVersions(ranges: string[]): string[] {
  const versions = new Set<string>();
  for (let major = 16; major <= 26; major += 1) for (const minor of [0, 1, 11, 12, 17, 18, 19, 20, 40]) for (const patch of [0, 1, 9]) versions.add(`${major}.${minor}.${patch}`);
  for (const range of ranges) {
    for (const [, major = "0", minor = "0", patch = "0"] of range.matchAll(/(\d+)(?:\.(\d+))?(?:\.(\d+))?/g)) {
      const [a, b, c] = [Number(major), Number(minor), Number(patch)];
      for (const version of [[a, b, c], [a, b, c + 1], [a, b, Math.max(0, c - 1)], [a, b + 1, 0], [a, Math.max(0, b - 1), 99]]) versions.add(version.join("."));
    }
  }
  return [...versions];
}

describe("engines.node", () => {
  const range = requiredNodeRange();
  const engines = [...installedEngines(), ...lockedEngines()];

  test("is the range the dependencies allow together", () => {
    expect(range).toBe("^20.19.0 || ^22.13.0 || >=24.0.0");
    expect(engines.map((engine) => engine.name)).toEqual(expect.arrayContaining(["undici", "vite", "vitest"]));
  });

  test("admits no Node version that an installed package refuses", () => {
    const refused = sampleVersions([range, ...engines.map((engine) => engine.range)]).flatMap((version) =>
      satisfies(version, range) ? engines.filter((engine) => !satisfies(version, engine.range)).map((engine) => `${engine.name} (${engine.range}) refuses ${version}`) : [],
    );
    expect(refused).toEqual([]);
  });

  test("admits the versions CI runs (20, 22 and 24) and this one", () => {
    for (const version of ["20.19.0", "22.13.0", "24.0.0", process.versions.node]) expect(satisfies(version, range), version).toBe(true);
    for (const version of ["20.18.1", "21.7.3", "22.12.0", "23.11.0", "18.20.4"]) expect(satisfies(version, range), version).toBe(false);
  });

  test("a prerelease or build suffix is judged as its release, not refused as no version", () => {
    expect(satisfies("24.0.0-nightly20250401abcdef", range)).toBe(true);
    expect(satisfies("v22.13.0-rc.1", range)).toBe(true);
    expect(satisfies("22.12.0+deb12u1", range)).toBe(false);
    expect(() => satisfies("nightly", range)).toThrow("not a version: nightly");
  });

  test("CI's further Node versions (.ci/run) are admitted, and the README's versions table names them", () => {
    const ci = readFileSync(path.join(rootDir, ".ci", "run"), "utf8");
    const versions = /^nodeVersions=\(([^)]*)\)$/m.exec(ci)?.[1]?.trim().split(/\s+/) ?? [];
    expect(versions.map((version) => version.split(".")[0])).toEqual(["22", "24"]);
    const readme = readFileSync(path.join(rootDir, "README.md"), "utf8");
    for (const version of versions) {
      expect(satisfies(version, range), version).toBe(true);
      expect(readme).toContain(version);
    }
  });

  test.each([
    ["14.17.0", ">=16 || 14 >=14.17", true],
    ["14.16.9", ">=16 || 14 >=14.17", false],
    ["8.1.0", "6.* || 8.* || >= 10.*", true],
    ["9.0.0", "6.* || 8.* || >= 10.*", false],
    ["13.6.0", "^10 || ^12 || ^13.7 || ^14 || >=15.0.1", false],
    ["13.7.0", "^10 || ^12 || ^13.7 || ^14 || >=15.0.1", true],
    ["18.19.0", ">= 18.19.0", true],
    ["0.10.5", ">=0.8.x", true],
  ])("reads npm's range syntax: %s in %s is %s", (version, npmRange, expected) => {
    expect(satisfies(version, npmRange)).toBe(expected);
  });

  test("the doctor fails an older Node with the fix, and passes a good one", () => {
    expect(nodeCheck("20.18.0", range)).toEqual({
      level: "fail",
      what: "Node.js 20.18.0: the kit's dependencies need ^20.19.0 || ^22.13.0 || >=24.0.0",
      fix: "install Node.js 22 or 24 LTS (https://nodejs.org, `nvm install 22`, `brew install node@22`, `winget install OpenJS.NodeJS.LTS`), or update Node 20 to 20.19 or newer",
    });
    expect(nodeCheck("24.3.0", range)).toEqual({ level: "ok", what: "Node.js 24.3.0" });
  });
});
