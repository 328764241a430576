/**
 * npm run doctor — checks this machine for the workshop and prints the fix for each problem.
 * It starts nothing: it tells you what `npm run services` would find and what it would need.
 * The checks themselves (services/checkup.ts) also feed the hub's doctor page.
 */
import { checkMachine, type CheckLevel } from "../services/checkup.ts";
import { bold, green, main, parseArguments, red } from "./cli.ts";

const marks: Record<CheckLevel, string> = { ok: green("✓"), warn: "!", fail: red("✗") };

await main(async () => {
  parseArguments(process.argv.slice(2), []);
  console.log(bold("Checking this machine for the workshop…\n"));
  const checks = await checkMachine();
  for (const check of checks) console.log(`${marks[check.level]} ${check.what}${check.fix ? `\n    → ${check.fix}` : ""}`);
  const failures = checks.filter((check) => check.level === "fail").length;
  console.log(failures === 0 ? green("\nAll set. Next: npm test, or npm run step 00") : red(`\n${failures} problem${failures === 1 ? "" : "s"} to fix (→ above).`));
  return failures === 0 ? 0 : 1;
});
