/**
 * Code highlighted when the page is built (highlight.js's core and the few languages the kit
 * shows), cut into one span per line so a slide can bring some lines into focus.
 */
import hljs from "highlight.js/lib/core";
import bash from "highlight.js/lib/languages/bash";
import javascript from "highlight.js/lib/languages/javascript";
import json from "highlight.js/lib/languages/json";
import properties from "highlight.js/lib/languages/properties";
import sql from "highlight.js/lib/languages/sql";
import typescript from "highlight.js/lib/languages/typescript";
import xml from "highlight.js/lib/languages/xml";
import yaml from "highlight.js/lib/languages/yaml";
import { escapeXml } from "./diagram.ts";

hljs.registerLanguage("typescript", typescript);
hljs.registerLanguage("javascript", javascript);
hljs.registerLanguage("sql", sql);
hljs.registerLanguage("bash", bash);
hljs.registerLanguage("json", json);
hljs.registerLanguage("yaml", yaml);
hljs.registerLanguage("properties", properties);
hljs.registerLanguage("xml", xml);
const aliases: Record<string, string> = { ts: "typescript", js: "javascript", sh: "bash", shell: "bash", console: "bash", yml: "yaml", html: "xml" };

/** A fence's info string: "ts {2,4-6|8}" → the language, then the focus steps (one per `|`). */
export interface CodeInfo {
  lang: string;
  /** Each step's focused lines (1-based); the first step shows at once, each next one is a fragment. */
  focusSteps: number[][];
}

export class CodeInfoError extends Error {
  override readonly name = "CodeInfoError";
}

export function parseCodeInfo(info: string | undefined): CodeInfo {
  const text = (info ?? "").trim();
  const match = /^([^\s{]*)\s*(?:\{([^}]*)\})?\s*$/.exec(text);
  if (!match) throw new CodeInfoError(`cannot read the code fence "${text}": write \`\`\`ts {2-4|6}`);
  const lang = (match[1] ?? "").toLowerCase();
  const focusSteps = match[2] === undefined ? [] : match[2].split("|").map((step) => parseLineSet(step, text));
  return { lang: aliases[lang] ?? lang, focusSteps };
}

function parseLineSet(text: string, info: string): number[] {
  const lines = new Set<number>();
  for (const part of text.split(",").map((piece) => piece.trim()).filter(Boolean)) {
    const range = /^(\d+)(?:-(\d+))?$/.exec(part);
    if (!range) throw new CodeInfoError(`"${part}" in \`\`\`${info} is not a line or a range like 4-6`);
    const first = Number(range[1]);
    const last = Number(range[2] ?? range[1]);
    if (last < first) throw new CodeInfoError(`the range ${part} in \`\`\`${info} runs backwards`);
    for (let line = first; line <= last; line += 1) lines.add(line);
  }
  return [...lines].sort((a, b) => a - b);
}

export function isKnownLanguage(lang: string): boolean {
  return Boolean(hljs.getLanguage(aliases[lang] ?? lang));
}

/** Highlighted HTML, or escaped plain text for a language the kit does not load. */
export function highlight(code: string, lang: string): string {
  const language = aliases[lang] ?? lang;
  return language && hljs.getLanguage(language) ? hljs.highlight(code, { language, ignoreIllegals: true }).value : escapeXml(code);
}

/**
 * Highlighted HTML cut into lines. A span that crosses a line end (a block comment, a
 * template string) is closed at the end of the line and opened again on the next, so each
 * line is well-formed on its own.
 */
export function splitHighlightedLines(html: string): string[] {
  const lines: string[] = [];
  const open: string[] = [];
  let current = "";
  for (const piece of html.split(/(<span[^>]*>|<\/span>|\n)/)) {
    if (piece === "\n") {
      lines.push(current + "</span>".repeat(open.length));
      current = open.join("");
    } else if (piece.startsWith("<span")) {
      open.push(piece);
      current += piece;
    } else if (piece === "</span>") {
      open.pop();
      current += piece;
    } else {
      current += piece;
    }
  }
  lines.push(current + "</span>".repeat(open.length));
  return lines;
}

/**
 * One `<pre>` whose lines are spans numbered from 1. `focusStepNumbers[i]` is the slide step
 * at which focus step i appears (0: at once): the page dims every other line from then on.
 */
export function renderCodeBlock(code: string, info: CodeInfo, focusStepNumbers: number[] = []): string {
  const text = code.replace(/\n$/, "");
  const lines = splitHighlightedLines(highlight(text, info.lang));
  for (const step of info.focusSteps) {
    const beyond = step.find((line) => line > lines.length);
    if (beyond) throw new CodeInfoError(`line ${beyond} is in focus but the code has ${lines.length} lines`);
  }
  const focus = info.focusSteps.map((step, index) => ({ step: focusStepNumbers[index] ?? index, lines: step }));
  const initial = new Set(focus.find((entry) => entry.step === 0)?.lines ?? []);
  const body = lines
    .map((line, index) => `<span class="line${initial.has(index + 1) ? " focus" : ""}" data-line="${index + 1}">${line || " "}</span>`)
    // Block spans, no newline between them: a newline would render as an extra empty line.
    .join("");
  const focusAttribute = focus.length > 0 ? ` data-focus='${JSON.stringify(focus)}'` : "";
  const hasFocus = initial.size > 0 ? " has-focus" : "";
  return `<pre class="code${hasFocus}"${focusAttribute}><code class="hljs language-${escapeXml(info.lang || "text")}">${body}</code></pre>`;
}
