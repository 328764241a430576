/**
 * Node 24 warns (TimeoutNegativeWarning) each time kafkajs schedules a check with a negative
 * delay. Every process that loads kafkajs through #kit/kafka drops that warning, and only that
 * one: checked in a fresh Node process, as an npm script's would be.
 */
import { spawnSync } from "node:child_process";
import { expect, test } from "vitest";
import { rootDir } from "../harness/paths.ts";

function warningsPrinted(loadKafkaModule: boolean): string {
  const script = `
${loadKafkaModule ? 'await import("./kit/lib/kafka.ts");' : ""}
setTimeout(() => {}, -1); // what kafkajs does: Node 24 warns, older Nodes do not
process.emitWarning("-1 is a negative number.", "TimeoutNegativeWarning"); // the same warning, on every Node
process.emitWarning(Object.assign(new Error("as an Error"), { name: "TimeoutNegativeWarning" }));
process.emitWarning("still shown", "SomeOtherWarning");
`;
  // Without the flag run-vitest.ts gives vitest's processes, which this child would inherit: it is
  // an npm script's process that is checked here.
  const nodeOptions = (process.env.NODE_OPTIONS ?? "").replace(/--disable-warning=\S+/g, "").trim();
  const env = { ...process.env, NODE_OPTIONS: nodeOptions };
  const result = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { cwd: rootDir, env, encoding: "utf8", timeout: 20_000 });
  expect(result.status).toBe(0);
  return result.stderr;
}

test("without #kit/kafka, Node prints the warning (the check below can fail)", () => {
  expect(warningsPrinted(false)).toContain("TimeoutNegativeWarning");
});

test("a process that loads #kit/kafka prints no TimeoutNegativeWarning, and still prints other warnings", () => {
  const stderr = warningsPrinted(true);
  expect(stderr).not.toContain("TimeoutNegativeWarning");
  expect(stderr).toContain("SomeOtherWarning: still shown");
});
