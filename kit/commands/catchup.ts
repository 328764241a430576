/** npm run catchup 01 — copy the solution of step 01 into your work, to move on (your work is backed up first). */
import { backUpWork, backupNote, copySolutionIntoWork } from "../harness/workspace.ts";
import { findStep } from "../harness/steps.ts";
import { main, parseArguments } from "./cli.ts";

await main(async () => {
  const step = findStep(parseArguments(process.argv.slice(2), []).positional[0]);
  const backup = backUpWork(step);
  copySolutionIntoWork(step);
  console.log(`exercises/${step.id}/src now holds the solution.\n${backupNote(step, backup)} (npm run reset ${step.number} starts the step over).\nCheck it: npm run step ${step.number}`);
  return 0;
});
