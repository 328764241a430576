/** npm run reset 01 — put step 01 back to its start (your work is backed up first). */
import { backUpWork, backupNote, restoreStartingPoint } from "../harness/workspace.ts";
import { recordHintsSeen } from "../harness/hints.ts";
import { findStep } from "../harness/steps.ts";
import { main, parseArguments } from "./cli.ts";

await main(async () => {
  const step = findStep(parseArguments(process.argv.slice(2), []).positional[0]);
  const backup = backUpWork(step);
  const ref = restoreStartingPoint(step);
  recordHintsSeen(step.id, 0);
  console.log(`exercises/${step.id}/src is back at its start (from ${ref}).\n${backupNote(step, backup)}\nNext: npm run step ${step.number}`);
  return 0;
});
