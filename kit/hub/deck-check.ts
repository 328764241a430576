/**
 * The decks' promise, checked by `npm test` (kit/tests/slides.test.ts): every link to the
 * project names a file that exists, every proof link names a test that exists in that file,
 * and every slide that states a trade-off links its proof — or marks it as pending with
 * `<!-- proof: 05-event-sourcing — what -->` until that step lands. Any other slide, apart from
 * title and section slides, links a proof too or says why it has none: `<!-- no test: why -->`.
 * So a claim cannot slip onto a slide unmarked: its author had to decide.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { renderDeck, type Deck } from "./deck.ts";
import { rootDir, slidesDir } from "../harness/paths.ts";

export interface DeckProblem {
  deck: string;
  slide: number;
  message: string;
}

export interface PendingProofEntry {
  deck: string;
  slide: number;
  step: string;
  what: string;
  /** The step has landed: the marker can become a real link now. */
  stepExists: boolean;
}

export interface ProjectFiles {
  exists(target: string): boolean;
  isFile(target: string): boolean;
  read(target: string): string;
}

export const projectFiles: ProjectFiles = {
  exists: (target) => existsSync(path.join(rootDir, target)),
  isFile: (target) => existsSync(path.join(rootDir, target)) && statSync(path.join(rootDir, target)).isFile(),
  read: (target) => readFileSync(path.join(rootDir, target), "utf8"),
};

/** The decks in slides/, in the order of their file names. */
export function listDeckNames(dir = slidesDir): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => name.endsWith(".md") && name !== "README.md")
    .map((name) => name.slice(0, -3))
    .sort();
}

export function loadAllDecks(dir = slidesDir): Deck[] {
  return listDeckNames(dir).map((name) => renderDeck(readFileSync(path.join(dir, `${name}.md`), "utf8"), name));
}

export function checkDeck(deck: Deck, files: ProjectFiles = projectFiles): DeckProblem[] {
  const problems: DeckProblem[] = [];
  for (const slide of deck.slides) {
    const say = (message: string) => problems.push({ deck: deck.name, slide: slide.number, message });
    for (const link of slide.links) {
      if (link.target === undefined) {
        const hubPage = /^\/(ledger|scoreboard|doctor|decks\/|steps\/)/.test(link.href);
        if (!/^[a-z][a-z0-9+.-]*:/i.test(link.href) && !link.href.startsWith("#") && !hubPage) say(`the link "${link.href}" leaves the project`);
        continue;
      }
      if (!files.exists(link.target)) {
        say(`links to ${link.target}, which does not exist`);
        continue;
      }
      if (link.test === undefined) continue;
      if (!files.isFile(link.target)) say(`the proof "${link.test}" links to the folder ${link.target}: link the test file`);
      else if (!files.read(link.target).includes(link.test)) say(`${link.target} has no test named "${link.test}"`);
    }
    const proven = slide.links.some((link) => link.test !== undefined) || slide.pending.length > 0;
    if (slide.tradeoff && !proven) {
      say(`"${slide.title}" states a trade-off but links no proof: link the test ([…](../exercises/NN-step/test/file.test.ts "test: its name")) or mark it <!-- proof: NN-step — what -->`);
    } else if (!proven && slide.noTest.length === 0 && !isDivider(slide)) {
      say(`"${slide.title}" links no proof and does not say why: link the test that proves what it states, or mark it <!-- no test: why -->`);
    }
  }
  return problems;
}

/** A title or section slide only names what follows: it states nothing to prove. */
function isDivider(slide: Deck["slides"][number]): boolean {
  return slide.classes.includes("title") || slide.classes.includes("section");
}

/** Every slide that says it has no test, and why: the list `npm test` prints. */
export function unprovenSlides(decks: Deck[]): { deck: string; slide: number; title: string; why: string }[] {
  return decks.flatMap((deck) => deck.slides.flatMap((slide) => slide.noTest.map((why) => ({ deck: deck.name, slide: slide.number, title: slide.title, why }))));
}

export function pendingProofs(decks: Deck[], files: ProjectFiles = projectFiles): PendingProofEntry[] {
  return decks.flatMap((deck) =>
    deck.slides.flatMap((slide) => slide.pending.map((pending) => ({ deck: deck.name, slide: slide.number, ...pending, stepExists: files.exists(`exercises/${pending.step}`) }))),
  );
}
