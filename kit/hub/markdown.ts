/**
 * Markdown to HTML for the hub: decks and step READMEs share one renderer, so code, diagrams
 * and links to the kit's own files look and behave the same everywhere.
 *
 * Links to files of the project become hub pages, so they work offline:
 *   exercises/01-crud/README.md (or the folder)  →  /steps/01-crud
 *   slides/02-log.md                             →  /decks/02-log
 *   any other file                               →  /source/<path>
 * A link titled "test: <test name>" is a proof: it opens the file at that test.
 */
import path from "node:path";
import { Marked, Renderer, type Tokens } from "marked";
import { escapeXml, renderDiagram } from "./diagram.ts";
import { CodeInfoError, parseCodeInfo, renderCodeBlock } from "./highlight.ts";
import { compactLedgerTable } from "./ledger-view.ts";
import { scoreboardSlide } from "./scoreboard-view.ts";
import { scoreboardToShow } from "../scoreboard/record.ts";

export interface RepoLink {
  /** As written in the Markdown. */
  href: string;
  /** The file or folder it names, from the project root with forward slashes; undefined for links outside the project. */
  target?: string;
  /** For a proof link: the test's name, from the link title "test: …". */
  test?: string;
  text: string;
}

/** Per document: where it lives (for relative links), and what rendering found in it. */
export interface RenderContext {
  /** The document's folder, from the project root ("slides", "exercises/01-crud"). */
  dir: string;
  /** A prefix that keeps ids (diagram markers) unique on a page. */
  idPrefix: string;
  links: RepoLink[];
  /** The slide's fragment counter: each fragment and each code focus step after the first takes the next number. */
  step: number;
  diagrams: number;
}

export function newContext(dir: string, idPrefix: string): RenderContext {
  return { dir, idPrefix, links: [], step: 0, diagrams: 0 };
}

const external = /^[a-z][a-z0-9+.-]*:/i;

/** Where a relative link in a document of `dir` points, from the project root; undefined when it leaves the project. */
export function resolveRepoPath(href: string, dir: string): { target?: string; anchor: string } {
  const [file = "", anchor = ""] = href.split("#", 2);
  if (external.test(href) || href.startsWith("/") || file === "") return { anchor };
  const joined = path.posix.normalize(path.posix.join(dir, decodeURI(file)));
  if (joined.startsWith("..")) return { anchor };
  return { target: joined.replace(/\/$/, ""), anchor };
}

/** The hub page for a file or folder of the project. */
export function hubUrl(target: string, anchor = ""): string {
  const hash = anchor ? `#${anchor}` : "";
  const step = /^exercises\/(\d\d-[a-z0-9-]+)(?:\/README\.md)?$/.exec(target);
  if (step) return `/steps/${step[1]}${hash}`;
  const deck = /^slides\/([\w-]+)\.md$/.exec(target);
  if (deck && deck[1] !== "README") return `/decks/${deck[1]}/${hash}`;
  return `/source/${target.split("/").map(encodeURIComponent).join("/")}${hash}`;
}

/**
 * `strict` (decks): a malformed code fence or diagram is an error the author must fix.
 * Otherwise (READMEs written for GitHub): a fence the hub cannot read shows as plain code.
 */
export function createMarked(context: () => RenderContext, { strict = true }: { strict?: boolean } = {}): Marked {
  const base = new Renderer();
  const fragmentItems = new WeakMap<Tokens.ListItem, number>();
  return new Marked({
    gfm: true,
    renderer: {
      code({ text, lang }: Tokens.Code): string {
        const ctx = context();
        if ((lang ?? "").trim() === "diagram") {
          ctx.diagrams += 1;
          return `<figure class="diagram-figure">${renderDiagram(text, { id: `${ctx.idPrefix}-d${ctx.diagrams}` })}</figure>`;
        }
        // The ledger as the kit declares it now, so a slide never shows a stale copy.
        if ((lang ?? "").trim() === "ledger") return compactLedgerTable();
        // The attendee's latest scoreboard, or the kit's reference run marked as such.
        if ((lang ?? "").trim() === "scoreboard") return scoreboardSlide(scoreboardToShow());
        try {
          const info = parseCodeInfo(lang);
          // A focus that starts after a fragment appears with it, not at once.
          const steps = info.focusSteps.map((_lines, index) => (index === 0 ? 0 : ++ctx.step));
          return renderCodeBlock(text, info, steps);
        } catch (error) {
          if (strict || !(error instanceof CodeInfoError)) throw error;
          return renderCodeBlock(text, { lang: /^\S*/.exec(lang ?? "")![0], focusSteps: [] });
        }
      },
      link(token: Tokens.Link): string {
        const ctx = context();
        const inner = this.parser.parseInline(token.tokens);
        const { target, anchor } = resolveRepoPath(token.href, ctx.dir);
        const test = token.title?.startsWith("test:") ? token.title.slice(5).trim() : undefined;
        ctx.links.push({ href: token.href, text: token.text, ...(target !== undefined ? { target } : {}), ...(test ? { test } : {}) });
        if (target === undefined) {
          // A javascript: link would run script on click; the CSP refuses it too.
          if (/^\s*(javascript|vbscript|data):/i.test(token.href)) return `<a href="#">${inner}</a>`;
          const outside = external.test(token.href);
          return `<a href="${escapeXml(token.href)}"${token.title ? ` title="${escapeXml(token.title)}"` : ""}${outside ? ' rel="noopener" target="_blank"' : ""}>${inner}</a>`;
        }
        const href = test ? hubUrl(target, `test=${encodeURIComponent(test)}`) : hubUrl(target, anchor);
        return `<a href="${escapeXml(href)}"${test ? ` class="proof" title="${escapeXml(`proven by: ${test}`)}"` : token.title ? ` title="${escapeXml(token.title)}"` : ""}>${inner}</a>`;
      },
      list(token: Tokens.List): string {
        // "+" bullets: the items appear one at a time.
        if (token.raw.trimStart().startsWith("+")) for (const item of token.items) fragmentItems.set(item, ++context().step);
        return base.list.call(this, token);
      },
      listitem(item: Tokens.ListItem): string {
        const html = base.listitem.call(this, item);
        const step = fragmentItems.get(item);
        return step === undefined ? html : html.replace(/^<li>/, `<li class="fragment" data-step="${step}">`);
      },
      html({ text }: Tokens.HTML | Tokens.Tag): string {
        const proof = pendingProof.exec(text);
        if (proof) return `<span class="proof pending" title="the proof arrives with step ${escapeXml(proof[1]!)}">proof: ${escapeXml(proof[1]!)} — ${escapeXml(proof[2]!)} (step coming)</span>`;
        // Directives (class, fragment) are read from the tokens; they never reach the page.
        if (/^\s*<!--[\s\S]*-->\s*$/.test(text)) return "";
        return defuseHtml(text);
      },
    },
  });
}

/**
 * Raw HTML in a README or a deck stays (the hints are <details>), but it must not run script:
 * the hub's Content-Security-Policy already refuses inline script, and this takes out what
 * would try — script-like elements shown as text, event-handler attributes and javascript: URLs dropped.
 */
export function defuseHtml(html: string): string {
  return html
    .replace(/<(\/?)(script|iframe|frame|object|embed|base|meta|link|form|style|template)\b/gi, "&lt;$1$2")
    .replace(/\s+on[a-z]+\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)/gi, "")
    .replace(/\b(href|src|action|formaction|xlink:href)\s*=\s*(["']?)\s*(?:javascript|vbscript|data):[^"'\s>]*\2/gi, '$1="#"');
}

/** `<!-- proof: 02-cache — the invalidation race -->`: a trade-off whose proof lands with a later step. */
export const pendingProof = /<!--\s*proof:\s*(\d\d-[a-z0-9-]+)\s*[—–-]\s*(.+?)\s*-->/;

/** A whole Markdown document (a step's README, a source file's .md) as HTML. */
export function renderDocument(markdown: string, dir: string, idPrefix = "doc"): { html: string; links: RepoLink[] } {
  const ctx = newContext(dir, idPrefix);
  const html = createMarked(() => ctx, { strict: false }).parse(markdown, { async: false });
  return { html, links: ctx.links };
}
