/**
 * Nothing in a README or a deck may promise a step that is not there. Two ways a text makes
 * such a promise: a vague phrase ("a later step", "the next step") that names no step, and a
 * step named or linked that has no folder. kit/tests/promises.test.ts runs these checks over
 * the documents; the functions here only read text, so the test can feed them anything.
 */
import path from "node:path";

export interface PromiseProblem {
  file: string;
  line: number;
  message: string;
}

/**
 * "a later step", "the next step", "a future step", "an upcoming step", "later steps": each
 * promises something without saying what. Name the step, or word the text without a promise.
 */
const vaguePromise = /\b(?:(?:a|an|the)\s+(?:later|next|future|upcoming|coming)\s+steps?|later\s+steps?)\b/gi;

export function vaguePromises(file: string, text: string): PromiseProblem[] {
  // Matched on the whole text, not line by line: a hard-wrapped "a later\nstep" is the same promise.
  return [...text.matchAll(vaguePromise)].map((match) => ({
    file,
    line: lineAt(text, match.index),
    message: `"${match[0].replace(/\s+/g, " ")}" promises a step without naming it: name the step (NN-name), or drop the promise`,
  }));
}

/** "step 12", "steps 09 and 12", "steps 09–12": every two-digit number named after "step". */
const bareStepNumbers = /\bsteps?\s+(\d\d(?:\s*(?:[–—-]|,|\band\b|\bor\b|\bto\b)\s*\d\d)*)\b/gi;

/**
 * Steps named by number alone ("step 12 shows it") whose number is not in `numbers` (the
 * steps', and those landing): a promise as empty as "a later step", with a number on it.
 */
export function bareNamesOfMissingSteps(file: string, text: string, numbers: ReadonlySet<string>): PromiseProblem[] {
  return [...text.matchAll(bareStepNumbers)].flatMap((match) =>
    [...match[1]!.matchAll(/\d\d/g)]
      .filter((number) => !numbers.has(number[0]))
      .map((number) => ({ file, line: lineAt(text, match.index), message: `names step ${number[0]}, which does not exist` })),
  );
}

/** The 1-based line of the character at `index`. */
function lineAt(text: string, index: number): number {
  return text.slice(0, index).split("\n").length;
}

/** A step's folder: `exercises/NN-name` or `solutions/NN-name`, and the hub's `/steps/NN-name`. */
const stepInPath = /^(?:exercises|solutions)\/(\d\d-[a-z0-9-]+)(?:\/|$)/;
const hubStep = /^\/steps\/(\d\d-[a-z0-9-]+)\/?$/;
const markdownLink = /\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g;

/**
 * Links to a step's folder (relative to `file`, or the hub's /steps/…) whose step is not in
 * `steps`. `file` is relative to the project's root.
 */
export function linksToMissingSteps(file: string, text: string, steps: ReadonlySet<string>): PromiseProblem[] {
  return linesOf(text).flatMap(({ line, content }) =>
    [...content.matchAll(markdownLink)].flatMap((match) => {
      const step = linkedStep(file, match[1]!);
      return step === undefined || steps.has(step) ? [] : [{ file, line, message: `links to step ${step}, which does not exist` }];
    }),
  );
}

function linkedStep(file: string, href: string): string | undefined {
  const hub = hubStep.exec(href);
  if (hub) return hub[1];
  if (/^[a-z][a-z0-9+.-]*:/i.test(href) || href.startsWith("#") || href.startsWith("/")) return undefined;
  const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), href.split("#")[0]!));
  return stepInPath.exec(target)?.[1];
}

/**
 * Step ids written out in the text ("see 10-transfers") whose number is a step's number but
 * which name no step in `known` (the steps, and the decks, which are numbered the same way).
 */
export function namesOfMissingSteps(file: string, text: string, known: ReadonlySet<string>, stepNumbers: ReadonlySet<string>): PromiseProblem[] {
  return linesOf(text).flatMap(({ line, content }) =>
    [...content.matchAll(/(?<![\w/.-])(\d\d)-[a-z][a-z0-9]*(?:-[a-z][a-z0-9]*)*\b/g)]
      .filter((match) => stepNumbers.has(match[1]!) && !known.has(match[0]))
      .map((match) => ({ file, line, message: `names ${match[0]}, which is neither a step nor a deck` })),
  );
}

function linesOf(text: string): Array<{ line: number; content: string }> {
  return text.split("\n").map((content, index) => ({ line: index + 1, content }));
}
