/**
 * npm run hint 01               the next hint of step 01 (one more each time)
 * npm run hint 01 -- --again    the hints seen so far, again
 * npm run hint 01 -- --reset    start the hints of step 01 over
 * npm run hint                  the next hint of the current step (the first not solved yet)
 */
import { hintsSeen, readHints, recordHintsSeen } from "../harness/hints.ts";
import { findStep } from "../harness/steps.ts";
import { currentStep } from "../harness/current-step.ts";
import { bold, dim, main, parseArguments } from "./cli.ts";

await main(async () => {
  const { positional, flags } = parseArguments(process.argv.slice(2), ["again", "reset"]);
  const current = positional[0] === undefined ? currentStep() : undefined;
  if (positional[0] === undefined && !current) {
    console.log("Every step is solved: no hint needed. npm run hint 05 shows a step's hints anyway.");
    return 0;
  }
  const step = current ?? findStep(positional[0]);
  if (current) console.log(dim(`The current step (the first not solved yet): ${current.id}`));
  const hints = readHints(step);
  if (hints.length === 0) {
    console.log(`Step ${step.id} has no hints. Its README: exercises/${step.id}/README.md`);
    return 0;
  }
  if (flags.has("reset")) {
    recordHintsSeen(step.id, 0);
    console.log(`The hints of step ${step.id} start over: npm run hint ${step.number}`);
    return 0;
  }
  const seen = hintsSeen()[step.id] ?? 0;
  const show = flags.has("again") ? hints.slice(0, Math.max(seen, 1)) : [hints[Math.min(seen, hints.length - 1)]!];
  for (const hint of show) {
    console.log(`\n${bold(`Hint ${hint.number} of ${hints.length} — ${hint.title}`)}\n\n${hint.body}\n`);
  }
  const nowSeen = Math.max(seen, Math.min(seen + (flags.has("again") ? 0 : 1), hints.length));
  recordHintsSeen(step.id, nowSeen);
  console.log(
    dim(
      nowSeen < hints.length
        ? `Another: npm run hint ${step.number}   ·   all so far: npm run hint ${step.number} -- --again`
        : `That was the last hint. Still stuck? Compare with solutions/${step.id}/src, or move on with npm run catchup ${step.number}.`,
    ),
  );
  return 0;
});
