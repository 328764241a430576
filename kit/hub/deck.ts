/**
 * A deck is a Markdown file in slides/: front matter, then slides separated by `---` lines.
 *
 *   ---
 *   title: How a log helps
 *   minutes: 30
 *   ---
 *   <!-- class: title -->
 *   # How a log helps
 *
 *   ---
 *   ## Consumer groups
 *   + each item appears on its own key press (a "+" list)
 *   <!-- fragment -->
 *   This paragraph too.
 *
 *   ```ts {1|3-4}
 *   focus on line 1, then on lines 3-4
 *   ```
 *
 *   Note: what the presenter says; everything below "Note:" is the speaker's.
 *
 * Slides split on `---` where the Markdown lexer sees a thematic break at the top level, so a
 * `---` inside code, a list or the front matter never splits.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { parse as parseYaml } from "yaml";
import { Lexer, type Token, type TokensList } from "marked";
import { createMarked, newContext, pendingProof, type RenderContext, type RepoLink } from "./markdown.ts";

export interface DeckMeta {
  title?: string;
  /** The talk's length, for the presenter's timer. */
  minutes?: number;
}

export interface PendingProof {
  step: string;
  what: string;
}

export interface Slide {
  /** 1-based, as in the slide's URL. */
  number: number;
  title: string;
  classes: string[];
  html: string;
  notes: string;
  /** Fragments and code focus steps after the first: how many key presses the slide takes before the next. */
  steps: number;
  links: RepoLink[];
  pending: PendingProof[];
  /** `<!-- no test: why -->`: the slide says plainly that what it states has no test, and why. */
  noTest: string[];
  /** A slide whose heading starts with "Trade-off" states one: it must link its proof. */
  tradeoff: boolean;
}

export interface Deck {
  /** The file name without .md: "02-log", also its URL. */
  name: string;
  file: string;
  title: string;
  minutes?: number;
  slides: Slide[];
}

/** A deck that cannot be rendered: the file, the slide, and what is wrong. */
export class DeckError extends Error {
  override readonly name = "DeckError";
  constructor(
    readonly file: string,
    readonly slide: number,
    readonly reason: string,
  ) {
    super(`${file}, slide ${slide}: ${reason}`);
  }
}

const frontMatter = /^---\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/;

export function splitFrontMatter(markdown: string): { meta: DeckMeta; body: string } {
  const match = frontMatter.exec(markdown);
  if (!match) return { meta: {}, body: markdown };
  const data = (parseYaml(match[1] ?? "") ?? {}) as Record<string, unknown>;
  const meta: DeckMeta = {};
  if (typeof data.title === "string") meta.title = data.title;
  if (typeof data.minutes === "number") meta.minutes = data.minutes;
  // Keep the front matter's lines as blank lines, so line numbers in errors stay true.
  return { meta, body: "\n".repeat(match[0].split("\n").length - 1) + markdown.slice(match[0].length) };
}

/** The top-level tokens of each slide. A line of text right above `---` is a heading, not a break: say so. */
export function splitSlides(body: string, file = "deck"): Token[][] {
  const tokens = new Lexer({ gfm: true }).lex(body);
  const slides: Token[][] = [[]];
  for (const token of tokens) {
    if (token.type === "hr") {
      slides.push([]);
      continue;
    }
    if (token.type === "heading" && /\n\s*-{2,}\s*$/.test(token.raw)) {
      throw new DeckError(file, slides.length, `"${token.text}" sits right above a --- line, which makes it a heading instead of a slide break: leave an empty line before ---`);
    }
    slides[slides.length - 1]!.push(token);
  }
  const links = (tokens as TokensList).links ?? {};
  return slides
    .map((slide) => Object.assign(slide, { links }))
    .filter((slide) => slide.some((token) => token.type !== "space"));
}

/** Everything from the first paragraph that starts with "Note:" is the speaker's. */
export function splitNotes(tokens: Token[]): { content: Token[]; notes: string } {
  const at = tokens.findIndex((token) => token.type === "paragraph" && /^Notes?:/.test(token.raw));
  if (at < 0) return { content: tokens, notes: "" };
  const notes = tokens
    .slice(at)
    .map((token) => token.raw)
    .join("")
    .replace(/^Notes?:\s*/, "")
    .trim();
  return { content: tokens.slice(0, at), notes };
}

const classDirective = /^\s*<!--\s*class:\s*([\w\s-]+?)\s*-->\s*$/;
const fragmentDirective = /^\s*<!--\s*fragment\s*-->\s*$/;
/** A slide that states nothing a test could check, or something no test checks, says why. */
export const noTestMarker = /<!--\s*no test:\s*(.+?)\s*-->/;

export function renderSlide(tokens: Token[], number: number, deckName: string, dir = "slides"): Slide {
  const { content, notes } = splitNotes(tokens);
  const ctx: RenderContext = newContext(dir, `${deckName}-${number}`);
  const marked = createMarked(() => ctx);
  const links = (tokens as Partial<TokensList>).links ?? {};
  const classes: string[] = [];
  const pending: PendingProof[] = [];
  const noTest: string[] = [];
  const parts: string[] = [];
  let nextIsFragment = false;

  marked.walkTokens(content, (token) => {
    if (token.type !== "html") return;
    const proof = pendingProof.exec(token.raw);
    if (proof) pending.push({ step: proof[1]!, what: proof[2]! });
    const unproven = noTestMarker.exec(token.raw);
    if (unproven) noTest.push(unproven[1]!);
  });

  for (const token of content) {
    if (token.type === "html") {
      const cls = classDirective.exec(token.raw);
      if (cls) {
        classes.push(...cls[1]!.split(/\s+/));
        continue;
      }
      if (fragmentDirective.test(token.raw)) {
        nextIsFragment = true;
        continue;
      }
    }
    if (token.type === "space") {
      parts.push("");
      continue;
    }
    if (nextIsFragment) {
      const step = ++ctx.step;
      parts.push(`<div class="fragment" data-step="${step}">${marked.parser(Object.assign([token], { links }) as TokensList)}</div>`);
      nextIsFragment = false;
    } else {
      parts.push(marked.parser(Object.assign([token], { links }) as TokensList));
    }
  }
  const heading = content.find((token) => token.type === "heading");
  const title = heading?.type === "heading" ? plain(heading.text) : `Slide ${number}`;
  const notesHtml = notes ? createMarked(() => newContext(dir, `${deckName}-${number}-notes`)).parse(notes, { async: false }) : "";
  return {
    number,
    title,
    classes,
    html: parts.join("\n"),
    notes: notesHtml,
    steps: ctx.step,
    links: ctx.links,
    pending,
    noTest,
    tradeoff: /^trade-?off\b/i.test(title),
  };
}

function plain(text: string): string {
  return text.replace(/[`*_]/g, "").replace(/\[([^\]]*)\]\([^)]*\)/g, "$1").trim();
}

export function renderDeck(markdown: string, name: string, file = `slides/${name}.md`): Deck {
  const { meta, body } = splitFrontMatter(markdown);
  const slides = splitSlides(body, file).map((tokens, index) => {
    try {
      return renderSlide(tokens, index + 1, name, path.posix.dirname(file));
    } catch (error) {
      if (error instanceof DeckError) throw error;
      throw new DeckError(file, index + 1, error instanceof Error ? error.message : String(error));
    }
  });
  return { name, file, title: meta.title ?? slides[0]?.title ?? name, ...(meta.minutes !== undefined ? { minutes: meta.minutes } : {}), slides };
}

export function loadDeck(rootDir: string, name: string): Deck {
  const file = `slides/${name}.md`;
  return renderDeck(readFileSync(path.join(rootDir, file), "utf8"), name, file);
}
