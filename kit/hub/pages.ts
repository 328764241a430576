import path from "node:path";
/** The hub's pages as HTML strings: one layout, and a function per page. Everything they load is served by the hub. */
import type { Deck, Slide } from "./deck.ts";
import { escapeXml as esc } from "./diagram.ts";
import type { LedgerView } from "./ledger-view.ts";
import { scoreboardCharts, scoreboardProvenance, scoreboardSlideClass, scoreboardTable, scoreboardUnreadable } from "./scoreboard-view.ts";
import { scoreboardDir, type ScoreboardToShow } from "../scoreboard/record.ts";
import { ceilingLabel } from "../scoreboard/ceilings.ts";
import { rootDir } from "../harness/paths.ts";
import type { StepStatus } from "./status.ts";
import type { Check } from "../services/checkup.ts";
import type { Step } from "../harness/steps.ts";
import type { PendingProofEntry } from "./deck-check.ts";
import { figuresAnchor, panelGroups } from "../harness/panel.ts";
import { readPredictions } from "../harness/predictions.ts";

interface LayoutOptions {
  title: string;
  body: string;
  /** Path prefixes whose changes reload the page (live reload). */
  watch?: string[];
  bodyClass?: string;
  styles?: string[];
  scripts?: string[];
}

export function layout({ title, body, watch = [], bodyClass = "page", styles = ["/assets/hub.css"], scripts = ["/assets/hub.js"] }: LayoutOptions): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<link rel="icon" href="data:,">
${["/vendor/highlight.css", "/assets/diagram.css", ...styles].map((href) => `<link rel="stylesheet" href="${href}">`).join("\n")}
</head>
<body class="${bodyClass}" data-watch="${esc(watch.join(" "))}">
${body}
${scripts.map((src) => `<script src="${src}" defer></script>`).join("\n")}
</body>
</html>
`;
}

function nav(current: string): string {
  const items: Array<[string, string]> = [
    ["/", "Hub"],
    ["/decks/", "Slides"],
    ["/steps/", "Steps"],
    ["/ledger", "Ledger"],
    ["/scoreboard", "Scoreboard"],
    ["/doctor", "Doctor"],
  ];
  return `<nav class="top"><span class="brand">Event Sourcing with Apache Kafka</span>${items
    .map(([href, label]) => `<a href="${href}"${href === current ? ' aria-current="page"' : ""}>${label}</a>`)
    .join("")}</nav>`;
}

export function statusBadge(status: StepStatus): string {
  switch (status.state) {
    case "unknown":
      return `<span class="badge unknown" title="${esc(status.reason)}">not run yet</span>`;
    case "solved":
      return `<span class="badge solved">solved ✓</span>${status.stale ? ' <span class="badge stale">changed since</span>' : ""}`;
    case "open": {
      const open = status.progress.tasks.filter((task) => !task.done).length;
      const label = open > 0 ? `${open} task${open === 1 ? "" : "s"} open` : "not solved yet";
      return `<span class="badge open">${label}</span>${status.stale ? ' <span class="badge stale">changed since</span>' : ""}`;
    }
    default:
      return assertNever(status);
  }
}

export function homePage(decks: Deck[], steps: Array<{ step: Step; status: StepStatus }>): string {
  const body = `${nav("/")}
<main>
<h1>The workshop hub</h1>
<p class="lead">Why use queues, when to use them, and at what cost? — answered by running real code. Slides, each step's instructions with your own progress, and the guarantee ledger that ties it together.</p>
<section class="cards">
<div class="card"><h2>Slides</h2>${deckList(decks)}</div>
<div class="card"><h2>Steps</h2>${stepList(steps)}</div>
<div class="card"><h2>More</h2><ul class="plain"><li><a href="/ledger">The guarantee ledger</a> — every trade-off, with its proof</li><li><a href="/scoreboard">The scoreboard</a> — one workload on every architecture, measured</li><li><a href="/doctor">Doctor</a> — is this machine ready?</li><li><a href="/source/README.md">The README</a></li></ul></div>
</section>
</main>`;
  return layout({ title: "Workshop hub", body, watch: ["slides/", "exercises/", "kit/.state/results/"] });
}

function deckList(decks: Deck[]): string {
  if (decks.length === 0) return "<p>No decks in slides/ yet.</p>";
  return `<ol class="decks">${decks
    .map((deck) => `<li><a href="/decks/${deck.name}/">${esc(deck.title)}</a> <span class="muted">${deck.slides.length} slides</span> · <a class="muted" href="/decks/${deck.name}/presenter">presenter</a></li>`)
    .join("")}</ol>`;
}

function stepList(steps: Array<{ step: Step; status: StepStatus }>): string {
  return `<ol class="steps">${steps.map(({ step, status }) => `<li><a href="/steps/${step.id}">${step.number} — ${esc(step.title)}</a> ${statusBadge(status)}</li>`).join("")}</ol>`;
}

export function decksPage(decks: Deck[], pending: PendingProofEntry[]): string {
  const body = `${nav("/decks/")}
<main>
<h1>Slides</h1>
${deckList(decks)}
<p class="muted">Keys: → / space next · ← back · Home / End · <kbd>p</kbd> opens the presenter view (notes, next slide, timer) in step with this one · Print → “Save as PDF” gives one slide per page, all fragments shown.</p>
${
  pending.length > 0
    ? `<h2>Proofs still to link</h2><p class="muted">Trade-offs whose proving step has not landed yet. Each becomes a link to its test when the step arrives.</p><ul>${pending
        .map((entry) => `<li><a href="/decks/${entry.deck}/#/${entry.slide}">${entry.deck} slide ${entry.slide}</a>: ${esc(entry.step)} — ${esc(entry.what)}${entry.stepExists ? ' <span class="badge stale">step exists: link it</span>' : ""}</li>`)
        .join("")}</ul>`
    : ""
}
</main>`;
  return layout({ title: "Slides", body, watch: ["slides/"] });
}

function slideSection(slide: Slide): string {
  return `<section class="slide ${slide.classes.map((cls) => `slide-${esc(cls)}`).join(" ")}" data-number="${slide.number}" data-steps="${slide.steps}" aria-label="slide ${slide.number}: ${esc(slide.title)}">
<div class="slide-body">${slide.html}</div>
${slide.notes ? `<aside class="notes">${slide.notes}</aside>` : ""}
</section>`;
}

export function deckPage(deck: Deck, mode: "audience" | "presenter"): string {
  const slides = deck.slides.map(slideSection).join("\n");
  const data = `data-deck="${esc(deck.name)}" data-mode="${mode}" data-count="${deck.slides.length}" data-minutes="${deck.minutes ?? 0}"`;
  const body =
    mode === "audience"
      ? `<div class="deck" ${data}>${slides}</div><div class="progress" aria-hidden="true"><div class="bar"></div></div><div class="counter" aria-live="polite"></div>`
      : `<div class="presenter" ${data}>
<header><a href="/decks/">Slides</a> · <strong>${esc(deck.title)}</strong> · <span class="counter"></span> · <span class="timer" title="time since this view opened">00:00</span>${deck.minutes ? ` <span class="muted">of ${deck.minutes} min</span>` : ""} <button type="button" class="reset-timer">reset timer</button> <a href="/decks/${deck.name}/" target="deck-${esc(deck.name)}" class="open-audience">open the audience view</a></header>
<div class="current-pane"><div class="deck">${slides}</div></div>
<div class="side"><h2>Next</h2><div class="next-pane"></div><h2>Notes</h2><div class="notes-pane"></div></div>
</div>`;
  return layout({ title: `${deck.title}${mode === "presenter" ? " — presenter" : ""}`, body, watch: [deck.file, ...(deck.slides.some((slide) => slide.html.includes(`class="${scoreboardSlideClass}"`)) ? [scoreboardWatch] : [])], bodyClass: `deck-page ${mode}-mode`, styles: ["/assets/deck.css"], scripts: ["/assets/hub.js", "/assets/deck.js"] });
}

export function deckErrorPage(name: string, message: string): string {
  return layout({ title: `Deck ${name}: error`, body: `${nav("/decks/")}<main><h1>The deck ${esc(name)} does not render</h1><pre class="error">${esc(message)}</pre><p>Fix the file and save: this page reloads.</p></main>`, watch: [`slides/${name}.md`] });
}

export function stepsIndexPage(steps: Array<{ step: Step; status: StepStatus }>): string {
  return layout({ title: "Steps", body: `${nav("/steps/")}<main><h1>Steps</h1>${stepList(steps)}<p class="muted">Status comes from your last <code>npm run step NN</code> or <code>npm run progress</code>.</p></main>`, watch: ["exercises/", "kit/.state/results/"] });
}

export interface RevealedHints {
  /** The hints seen so far (the count `npm run hint` keeps), rendered. */
  revealed: Array<{ number: number; title: string; html: string }>;
  total: number;
}

/** The hints seen so far, and a button for the next one: never more than one at a time. */
function hintsSection(step: Step, hints: RevealedHints): string {
  if (hints.total === 0) return "";
  const shown = hints.revealed.map((hint) => `<section class="hint"><h3>Hint ${hint.number} of ${hints.total} — ${esc(hint.title)}</h3>${hint.html}</section>`).join("");
  const next = hints.revealed.length < hints.total
    ? `<form method="post" action="/api/hint/${esc(step.id)}"><button type="submit">Show hint ${hints.revealed.length + 1} of ${hints.total}</button> <span class="muted">(or <code>npm run hint ${step.number}</code>; both count the same hints)</span></form>`
    : `<p class="muted">That was the last hint. <code>npm run hint ${step.number} -- --reset</code> starts them over.</p>`;
  return `<section class="hints" id="hints"><h2>Hints</h2>${shown}${next}</section>`;
}

export function stepPage(step: Step, status: StepStatus, readmeHtml: string, neighbours: { previous?: Step; next?: Step }, hints: RevealedHints = { revealed: [], total: 0 }): string {
  const body = `${nav("/steps/")}
<main class="step">
<aside class="status" data-step="${step.id}">
<h2>Your status ${statusBadge(status)}</h2>
${statusDetail(step, status)}
<p><button type="button" class="run-tests" data-step="${step.id}">Run this step's tests now</button> <span class="run-result muted"></span></p>
<p class="muted">Needs the services (<code>npm run services</code>); the page updates when the run ends, and whenever you save a file.</p>
</aside>
${panelSection(step, status)}
<article class="readme">${readmeHtml}</article>
${hintsSection(step, hints)}
<nav class="pager">${neighbours.previous ? `<a href="/steps/${neighbours.previous.id}">← ${neighbours.previous.number} ${esc(neighbours.previous.title)}</a>` : "<span></span>"}${neighbours.next ? `<a href="/steps/${neighbours.next.id}">${neighbours.next.number} ${esc(neighbours.next.title)} →</a>` : ""}</nav>
</main>`;
  return layout({ title: `Step ${step.number} — ${step.title}`, body, watch: [`exercises/${step.id}/`, "kit/.state/results/"] });
}

function statusDetail(step: Step, status: StepStatus): string {
  if (status.state === "unknown") return `<p>${esc(status.reason)}</p>`;
  const when = new Date(status.ranAt);
  const lines = status.progress.tasks.map((task) => `<li class="${task.done ? "done" : "todo"}">${task.done ? "✓" : "○"} Task ${task.number} — ${esc(task.title)}${task.done || !task.hint ? "" : `<div class="hint muted">${esc(task.hint)}</div>`}</li>`);
  const others = status.progress.otherFailures.map((failure) => `<li class="failing">✗ ${esc(failure)}</li>`);
  return `<ul class="tasks">${[...lines, ...others].join("")}</ul>
<p class="muted">From the run of <time datetime="${esc(status.ranAt)}">${esc(when.toLocaleString("en-GB"))}</time>.${status.stale ? ` <strong>You changed files of this step since</strong>: <code>npm run step ${step.number}</code> to refresh.` : ""}${status.notRun.length > 0 ? ` Not covered by that run: ${status.notRun.map((file) => `<code>${esc(file)}</code>`).join(", ")}.` : ""}</p>`;
}

/** The trade-off panel of the attendee's last run: the same lines `npm run step` ends with. */
function panelSection(step: Step, status: StepStatus): string {
  if (status.state === "unknown") return "";
  const predictions = readPredictions(() => {})[step.id] ?? {};
  const groups = panelGroups(status.tests, predictions);
  if (groups.length === 0) return "";
  const mark = { passed: "✓", failed: "✗", skipped: "–", pending: "–" } as const;
  return `<section class="panel" id="figures"><h2>What the trade-offs showed in your last run</h2>${groups
    .map(
      (group) => `<h3>${esc(group.tradeoff)}</h3>${group.prediction ? `<p class="prediction">you predicted: ${esc(group.prediction)}</p>` : ""}<ul>${group.lines
        .map((line) => `<li id="${figuresAnchor(line.test)}" class="${line.state}" title="${esc(line.test)}">${mark[line.state]} ${line.figures.length > 0 ? esc(line.figures.join(" · ")) : line.state === "passed" ? "(recorded no figures)" : esc(`(${line.state})`)}</li>`)
        .join("")}</ul>`,
    )
    .join("")}</section>`;
}

const marks = { holds: "✓", broken: "✗", "n/a": "–" } as const;

export function ledgerPage(view: LedgerView): string {
  // Eleven steps share the width: the number on top, the name below in small type, the full id on hover.
  const head = `<tr><th>guarantee</th>${view.steps.map((step) => `<th title="${esc(step)}"><a href="/steps/${esc(step)}"><span class="step-number">${esc(step.slice(0, 2))}</span> <span class="step-name">${esc(step.slice(3).replaceAll("-", " "))}</span></a></th>`).join("")}</tr>`;
  const rows = view.guarantees
    .map((guarantee) => {
      const cellsHtml = view.steps.map((step) => {
        const cells = view.cells.filter((cell) => cell.guarantee === guarantee.id && cell.step === step);
        if (cells.length === 0) return `<td class="empty">?</td>`;
        return `<td>${cells
          .map(
            (cell) => `<div class="cell ${cell.verdict === "n/a" ? "na" : cell.verdict}"><span class="mark">${marks[cell.verdict]}</span> <strong>${esc(cell.design)}</strong><div class="why">${esc(cell.why)}</div>${cell.proofs
              // The test's whole name does not fit a column of eleven: a numbered link, the name on hover and for screen readers.
              .map((proof, index) => `<div class="proof-line"><a class="proof" href="/source/${proof.file}#test=${encodeURIComponent(proof.title)}" title="${esc(proof.title)}" aria-label="proof: ${esc(proof.title)}">proof${cell.proofs.length > 1 ? ` ${index + 1}` : ""}</a> <span class="state ${proof.state.replace(" ", "-")}">${esc(proof.state)}</span> <a class="figures" href="/steps/${esc(cell.step)}#${figuresAnchor(proof.title)}" title="${esc(proof.figures.length > 0 ? proof.figures.join(" · ") : "the figures of your last run of this step")}">figures</a></div>`)
              .join("")}${cell.verdict !== "n/a" && cell.proofs.length === 0 ? '<div class="proof-line missing">no test claims this cell</div>' : ""}</div>`,
          )
          .join("")}</td>`;
      });
      return `<tr><th scope="row">${esc(guarantee.title)}</th>${cellsHtml.join("")}</tr>`;
    })
    .join("\n");
  const body = `${nav("/ledger")}
<main class="wide">
<h1>The guarantee ledger</h1>
<p class="lead">Rows are guarantees, columns are steps. Each cell says whether a design of that step keeps the guarantee — and links the test that proves it.</p>
<p class="legend"><span class="cell holds"><span class="mark">✓</span> holds</span> <span class="cell broken"><span class="mark">✗</span> broken</span> <span class="cell na"><span class="mark">–</span> does not apply</span> · ${
    view.lastRun ? `proofs as of the last run of the solutions (${esc(new Date(view.lastRun).toLocaleString("en-GB"))})` : "the proofs have not run on this machine yet: <code>npm test</code> (or <code>npm run ledger</code>) runs them"
  }</p>
<table class="ledger">${head}\n${rows}</table>
</main>`;
  return layout({ title: "The guarantee ledger", body, watch: ["exercises/", "kit/.state/results/"] });
}

/** Where runs are kept, as the live-reload events name it. */
const scoreboardWatch = `${path.relative(rootDir, scoreboardDir).replaceAll("\\", "/")}/`;

export function scoreboardPage(shown: ScoreboardToShow): string {
  const run = shown && "run" in shown ? shown.run : undefined;
  const content = shown && "unreadable" in shown
    ? scoreboardUnreadable(shown)
    : run
    ? `${scoreboardProvenance(run)}
${scoreboardTable(run)}
<p class="sb-note">write: from the call to its acknowledgement · read: one balance query · stale: from the acknowledgement to the start of the first read that shows the write (0: the first read after the ack did) · crash: each step's own fault test, as its ledger cell records it (hover for the figure) · hover an architecture for where it writes and reads.</p>
${scoreboardCharts(run)}
<h2>Ceilings, measured in the same run</h2>
<p class="sb-note">The services' own round trips. A record's trip, send → consumer, is timed from the send's call while a staleness is timed from the acknowledgement: it is there for scale, not as a floor.</p>
<ul class="plain">${run.ceilings.map((ceiling) => `<li>${esc(ceilingLabel(ceiling))}: <strong>${esc(formatCeiling(ceiling.value))} ${esc(ceiling.unit)}</strong></li>`).join("")}</ul>`
    : `<p>No scoreboard yet, and the kit's reference run is missing: <code>npm run bench -- --quick</code> measures one in under a minute.</p>`;
  const body = `${nav("/scoreboard")}
<main class="wide">
<h1>The scoreboard</h1>
<p class="lead">One seeded wallet workload — opens, deposits, withdrawals and balance reads over a fixed set of accounts — on every architecture of the kit, next to what the services themselves cost. <code>npm run bench</code> measures it at full size, <code>npm run bench -- --quick</code> in under a minute.</p>
${content}
</main>`;
  return layout({ title: "The scoreboard", body, watch: [scoreboardWatch] });
}

function formatCeiling(value: number): string {
  return value >= 100 ? Math.round(value).toLocaleString("en-US") : value.toPrecision(3);
}

export function doctorPage(checks: Check[]): string {
  const failures = checks.filter((check) => check.level === "fail").length;
  const body = `${nav("/doctor")}
<main>
<h1>Doctor</h1>
<p class="lead">The checks of <code>npm run doctor</code>: this machine, and each service. Nothing is started.</p>
<ul class="checks">${checks
    .map((check) => `<li class="${check.level}"><span class="mark">${check.level === "ok" ? "✓" : check.level === "warn" ? "!" : "✗"}</span> ${esc(check.what).replaceAll("\n", "<br>")}${check.fix ? `<div class="fix">→ ${esc(check.fix)}</div>` : ""}</li>`)
    .join("")}</ul>
<p class="summary ${failures === 0 ? "ok" : "fail"}">${failures === 0 ? "All set. Next: npm test, or npm run step 00" : `${failures} problem${failures === 1 ? "" : "s"} to fix (→ above).`}</p>
<p><a href="/doctor">Check again</a></p>
</main>`;
  return layout({ title: "Doctor", body });
}

export function sourcePage(file: string, html: string, kind: "markdown" | "code"): string {
  const body = `${nav("")}<main class="${kind === "code" ? "wide" : ""}"><p class="path"><code>${esc(file)}</code></p>${kind === "code" ? `<div class="source">${html}</div>` : `<article class="readme">${html}</article>`}</main>`;
  return layout({ title: file, body, watch: [file] });
}

export function notFoundPage(what: string): string {
  return layout({ title: "Not found", body: `${nav("")}<main><h1>Not found</h1><p>${esc(what)}</p><p><a href="/">Back to the hub</a></p></main>` });
}

function assertNever(value: never): never {
  throw new Error(`unexpected status ${JSON.stringify(value)}`);
}
