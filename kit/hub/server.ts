/**
 * The workshop hub: a small node:http server on 127.0.0.1. It renders the decks, the steps'
 * READMEs with the attendee's status, the ledger and the doctor's checks on each request (so
 * an edit shows at once), and tells open pages when a file changes (server-sent events).
 * Everything it serves comes from the project: no CDN, no web font, no request leaves the machine.
 */
import { createReadStream, existsSync, mkdirSync, readFileSync, realpathSync, statSync, watch, type FSWatcher } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { attendeeResultsDir, latestSolutionResults, rootDir, slidesDir, exercisesDir } from "../harness/paths.ts";
import { listSteps, type Step } from "../harness/steps.ts";
import { hintsSeen, readHints, recordHintsSeen } from "../harness/hints.ts";
import { DeckError, renderDeck, type Deck } from "./deck.ts";
import { allowedMethods, BadRequestPath, decodeRoute, isAllowedHost, isOwnOrigin, securityHeaders } from "./guard.ts";
import { listDeckNames, pendingProofs } from "./deck-check.ts";
import { highlight, splitHighlightedLines } from "./highlight.ts";
import { ledgerView } from "./ledger-view.ts";
import { latestScoreboard, scoreboardDir, scoreboardToShow } from "../scoreboard/record.ts";
import { renderDocument } from "./markdown.ts";
import * as pages from "./pages.ts";
import { readRecordedRuns, stepStatus, type StepStatus } from "./status.ts";

const assetsDir = path.join(path.dirname(fileURLToPath(import.meta.url)), "assets");
const highlightCss = path.join(rootDir, "node_modules", "highlight.js", "styles", "github.css");

export interface Hub {
  url: string;
  port: number;
  close(): Promise<void>;
}

export interface HubOptions {
  port: number;
  /** 127.0.0.1 unless said otherwise: the hub is for this machine. */
  host?: string;
  /** Watch files and push changes to open pages (on by default). */
  live?: boolean;
}

export async function startHub({ port, host = "127.0.0.1", live = true }: HubOptions): Promise<Hub> {
  const clients = new Set<ServerResponse>();
  const runs = new Map<string, Promise<unknown>>();
  const server = createServer((request, response) => {
    const port = (server.address() as AddressInfo).port;
    handle(request, response, { clients, runs, port }).catch((error: unknown) => {
      // The hub's own bug, not the visitor's: the stack goes to the hub's terminal, never into a page (it holds the machine's paths).
      console.error(`The hub failed on ${request.method} ${request.url}:`, error);
      if (!response.headersSent) send(response, 500, "text/plain; charset=utf-8", "The hub failed on this page; its terminal says why.");
      else response.end();
    });
  });
  await listen(server, port, host);
  const watchers = live ? watchProject((paths) => broadcast(clients, paths)) : [];
  const address = server.address() as AddressInfo;
  const heartbeat = setInterval(() => {
    for (const client of clients) client.write(": keep-alive\n\n");
  }, 25_000);
  heartbeat.unref();
  return {
    url: `http://${host}:${address.port}/`,
    port: address.port,
    close: async () => {
      clearInterval(heartbeat);
      for (const watcher of watchers) watcher.close();
      for (const client of clients) client.end();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
}

interface HubState {
  clients: Set<ServerResponse>;
  runs: Map<string, Promise<unknown>>;
  /** The port it listens on, for the Host check. */
  port: number;
}

async function handle(request: IncomingMessage, response: ServerResponse, state: HubState): Promise<void> {
  const text = (status: number, body: string) => send(response, status, "text/plain; charset=utf-8", body);
  // Every route, before anything is read: a DNS-rebinding page reaches us under its own name.
  if (!isAllowedHost(request.headers.host, state.port)) return text(403, `The hub answers only at 127.0.0.1:${state.port}, localhost:${state.port} or [::1]:${state.port}.`);
  let route: string;
  try {
    route = decodeRoute(request.url);
  } catch (error) {
    if (error instanceof BadRequestPath) return text(400, error.message);
    throw error;
  }
  const html = (body: string, status = 200) => send(response, status, "text/html; charset=utf-8", body);
  const methods = allowedMethods(route);
  if (!methods.includes(request.method ?? "")) {
    response.setHeader("allow", methods.join(", "));
    return text(405, `${request.method} is not answered here: only ${methods.join(" or ")}.`);
  }

  if (request.method === "POST") {
    // Only the hub's own pages may start a test run, not a page from elsewhere that knows the port.
    if (!isOwnOrigin(request.headers.origin, request.headers.host)) return text(403, "Not from the hub's own pages.");
    const run = /^\/api\/run\/(\d\d-[a-z0-9-]+)$/.exec(route);
    if (run) return runStepTests(run[1]!, response, state);
    // One more hint, as `npm run hint NN` gives it (the two share the count), then back to the page.
    const hint = /^\/api\/hint\/(\d\d-[a-z0-9-]+)$/.exec(route);
    const hintStep = hint ? listSteps().find((step) => step.id === hint[1]) : undefined;
    if (hintStep) {
      recordHintsSeen(hintStep.id, Math.min((hintsSeen(() => {})[hintStep.id] ?? 0) + 1, readHints(hintStep).length));
      return redirect(response, `/steps/${hintStep.id}#hints`, 303);
    }
    return html(pages.notFoundPage(`Nothing at ${route}.`), 404);
  }

  if (route === "/") return html(pages.homePage(safeDecks(), stepsWithStatus()));
  if (route === "/decks" || route === "/steps") return redirect(response, `${route}/`);
  if (route === "/decks/") {
    const decks = safeDecks();
    return html(pages.decksPage(decks, pendingProofs(decks)));
  }
  const deck = /^\/decks\/([\w-]+)(\/presenter)?(\/?)$/.exec(route);
  if (deck) {
    const name = deck[1]!;
    if (!listDeckNames().includes(name)) return html(pages.notFoundPage(`There is no deck "${name}" in slides/.`), 404);
    if (!deck[2] && !deck[3]) return redirect(response, `/decks/${name}/`);
    try {
      return html(pages.deckPage(deckNamed(name), deck[2] ? "presenter" : "audience"));
    } catch (error) {
      if (error instanceof DeckError) return html(pages.deckErrorPage(name, error.message), 500);
      throw error;
    }
  }
  if (route === "/steps/") return html(pages.stepsIndexPage(stepsWithStatus()));
  const stepRoute = /^\/steps\/([\w-]+)\/?$/.exec(route);
  if (stepRoute) {
    const steps = listSteps();
    const index = steps.findIndex((step) => step.id === stepRoute[1]);
    const step = steps[index];
    if (!step) return html(pages.notFoundPage(`There is no step "${stepRoute[1]}" in exercises/.`), 404);
    const readme = existsSync(step.readme) ? renderDocument(readFileSync(step.readme, "utf8"), `exercises/${step.id}`, step.id).html : "<p>This step has no README yet.</p>";
    const hints = readHints(step);
    const revealed = hints.slice(0, hintsSeen(() => {})[step.id] ?? 0).map((hint) => ({ ...hint, html: renderDocument(hint.body, `exercises/${step.id}`, step.id).html }));
    return html(pages.stepPage(step, stepStatus(step, readRecordedRuns()), readme, { ...(steps[index - 1] ? { previous: steps[index - 1] } : {}), ...(steps[index + 1] ? { next: steps[index + 1] } : {}) }, { revealed, total: hints.length }));
  }
  if (route === "/ledger") return html(pages.ledgerPage(ledgerView()));
  if (route === "/scoreboard") return html(pages.scoreboardPage(scoreboardToShow()));
  if (route === "/doctor") {
    // Loaded on demand: the drivers it probes with are not needed to start the hub.
    const { checkMachine } = await import("../services/checkup.ts");
    return html(pages.doctorPage(await checkMachine()));
  }
  if (route === "/api/status") return send(response, 200, "application/json", JSON.stringify(stepsWithStatus().map(({ step, status }) => ({ step: step.id, ...status })), null, 2));
  if (route === "/events") return openEvents(request, response, state.clients);
  if (route.startsWith("/source/")) return serveSource(route.slice("/source/".length), response);
  if (route === "/vendor/highlight.css") return serveFile(highlightCss, response, () => html(pages.notFoundPage("highlight.js is not installed: npm install."), 404));
  if (route.startsWith("/assets/")) {
    const file = fileInside(assetsDir, route.slice("/assets/".length));
    if (file) return serveFile(file, response, () => html(pages.notFoundPage(`Nothing at ${route}.`), 404));
  }
  return html(pages.notFoundPage(`Nothing at ${route}.`), 404);
}

/**
 * Rendered decks, kept until their file changes: the home page lists them all on every visit.
 * A deck with a ```scoreboard block shows this machine's latest run, so it is also stale when
 * kit/.state/scoreboard/latest.json changes (a run kept, or removed).
 */
const deckCache = new Map<string, { stamp: string; scoreboard?: string; deck: Deck }>();
const scoreboardBlock = /^\s*(`{3,}|~{3,})\s*scoreboard\s*$/m;

function fileStamp(file: string): string {
  try {
    const { mtimeMs, size } = statSync(file);
    return `${mtimeMs}:${size}`;
  } catch {
    return "none";
  }
}

function deckNamed(name: string): Deck {
  const file = path.join(slidesDir, `${name}.md`);
  const { mtimeMs, size } = statSync(file);
  const stamp = `${mtimeMs}:${size}`;
  const cached = deckCache.get(name);
  if (cached?.stamp === stamp && (cached.scoreboard === undefined || cached.scoreboard === fileStamp(latestScoreboard))) return cached.deck;
  const source = readFileSync(file, "utf8");
  const scoreboard = scoreboardBlock.test(source) ? fileStamp(latestScoreboard) : undefined;
  const deck = renderDeck(source, name);
  deckCache.set(name, { stamp, ...(scoreboard === undefined ? {} : { scoreboard }), deck });
  return deck;
}

function safeDecks(): Deck[] {
  return listDeckNames().flatMap((name) => {
    try {
      return [deckNamed(name)];
    } catch (error) {
      if (!(error instanceof DeckError)) throw error;
      return [{ name, file: `slides/${name}.md`, title: `${name} (does not render: ${error.reason})`, slides: [] }];
    }
  });
}

function stepsWithStatus(): Array<{ step: Step; status: StepStatus }> {
  const runs = readRecordedRuns();
  return listSteps().map((step) => ({ step, status: stepStatus(step, runs) }));
}

// --- files of the project, shown read-only --------------------------------------------------

const viewable = /\.(ts|md|json|ya?ml|sql|properties|xml|txt|sh)$/;
const hidden = /(^|\/)(\.git|node_modules|\.state)(\/|$)/i; // case-insensitive: macOS and Windows serve .GIT too

function serveSource(relative: string, response: ServerResponse): void {
  const file = fileInside(rootDir, relative);
  if (!file || hidden.test(relative) || hidden.test(path.relative(rootDir, file).replaceAll("\\", "/")) || !viewable.test(relative)) {
    return send(response, 404, "text/html; charset=utf-8", pages.notFoundPage(`${relative} is not a file of the project the hub shows.`));
  }
  const text = readFileSync(file, "utf8");
  if (relative.endsWith(".md")) {
    const step = /^exercises\/(\d\d-[a-z0-9-]+)\/README\.md$/.exec(relative);
    if (step) return redirect(response, `/steps/${step[1]}`);
    return send(response, 200, "text/html; charset=utf-8", pages.sourcePage(relative, renderDocument(text, path.posix.dirname(relative)).html, "markdown"));
  }
  const lang = { ts: "typescript", json: "json", yml: "yaml", yaml: "yaml", sql: "sql", properties: "properties", xml: "xml", sh: "bash", txt: "" }[path.extname(relative).slice(1)] ?? "";
  const lines = splitHighlightedLines(highlight(text.replace(/\n$/, ""), lang));
  const code = `<pre class="code numbered"><code class="hljs">${lines.map((line, index) => `<span class="line" id="L${index + 1}" data-line="${index + 1}">${line || " "}</span>`).join("")}</code></pre>`;
  send(response, 200, "text/html; charset=utf-8", pages.sourcePage(relative, code, "code"));
}

// --- live reload ------------------------------------------------------------------------------

function openEvents(request: IncomingMessage, response: ServerResponse, clients: Set<ServerResponse>): void {
  response.writeHead(200, { ...securityHeaders, "content-type": "text/event-stream", "cache-control": "no-store", connection: "keep-alive" });
  response.write("retry: 1000\n\n");
  clients.add(response);
  request.on("close", () => clients.delete(response));
}

function broadcast(clients: Set<ServerResponse>, paths: string[]): void {
  const message = `event: change\ndata: ${JSON.stringify({ paths })}\n\n`;
  for (const client of clients) client.write(message);
}

/** Recursive watches on what the pages show; changes arrive in bursts (an editor's save, a test run), so they are gathered for a moment. */
function watchProject(onChange: (paths: string[]) => void): FSWatcher[] {
  const resultsDir = path.dirname(latestSolutionResults);
  mkdirSync(attendeeResultsDir, { recursive: true });
  mkdirSync(scoreboardDir, { recursive: true });
  const pending = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  const watchers: FSWatcher[] = [];
  for (const dir of [slidesDir, exercisesDir, resultsDir, scoreboardDir]) {
    if (!existsSync(dir)) continue;
    try {
      const watcher = watch(dir, { recursive: true }, (_event, name) => {
        if (!name) return;
        pending.add(path.relative(rootDir, path.join(dir, name.toString())).replaceAll("\\", "/"));
        clearTimeout(timer);
        timer = setTimeout(() => {
          onChange([...pending]);
          pending.clear();
        }, 120);
      });
      watcher.on("error", () => watcher.close());
      watchers.push(watcher);
    } catch {
      // A file system without recursive watches: pages still work, they just do not reload themselves.
    }
  }
  return watchers;
}

// --- running a step's tests from the page ----------------------------------------------------

async function runStepTests(stepId: string, response: ServerResponse, state: HubState): Promise<void> {
  const json = (status: number, body: object) => send(response, status, "application/json", JSON.stringify(body));
  const step = listSteps().find((candidate) => candidate.id === stepId);
  if (!step) return json(404, { ok: false, message: `There is no step ${stepId}.` });
  if (state.runs.has(stepId)) return json(409, { ok: false, message: "Its tests are already running." });
  // One run at a time: a page that posts to every step must not start nine test runs on a laptop.
  if (state.runs.size > 0) return json(409, { ok: false, message: `The tests of ${[...state.runs.keys()].join(", ")} are running: try again when they end.` });
  // Loaded on demand: the hub starts without the database and Kafka drivers.
  const { inspectServices, toUrls } = await import("../services/index.ts");
  const services = await inspectServices();
  const down = services.filter((service) => !service.probe.ok);
  const fromEnvironment = down.filter((service) => service.variable);
  if (fromEnvironment.length > 0) return json(409, { ok: false, message: `${fromEnvironment.map((service) => `${service.variable} does not answer (${service.probe.ok ? "" : service.probe.reason})`).join("; ")}: fix or unset it, then restart the hub.` });
  if (down.length > 0) return json(409, { ok: false, message: `${down.map((service) => service.name).join(", ")} not running: start them with npm run services, then try again.` });
  const { runVitest } = await import("../harness/run-vitest.ts");
  const run = runVitest({ target: "exercises", paths: [`exercises/${step.id}/`], quiet: true, services: toUrls(services), resultsFile: path.join(attendeeResultsDir, `step-${step.id}.json`) });
  state.runs.set(stepId, run);
  try {
    const { exitCode } = await run;
    json(200, { ok: true, message: exitCode === 0 ? "All its tests pass." : "Done: see the open tasks." });
  } finally {
    state.runs.delete(stepId);
  }
}

// --- plumbing -----------------------------------------------------------------------------------

const types: Record<string, string> = { ".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".svg": "image/svg+xml", ".png": "image/png", ".woff2": "font/woff2" };

/**
 * The regular file `relative` names under `dir`, after following every symlink; undefined for a
 * folder, a missing file, or anything whose real place is outside `dir` (`..`, a symlink out).
 */
export function fileInside(dir: string, relative: string): string | undefined {
  // Checked before the disk is asked anything: resolving `//host/share/x` or `\\host\share` on Windows,
  // or a path under /net on macOS, would already reach out to that host (and hand it the user's credentials).
  if (path.isAbsolute(relative) || /[\\:\0]/.test(relative)) return undefined;
  const lexical = path.resolve(dir, relative);
  if (!lexical.startsWith(path.resolve(dir) + path.sep)) return undefined;
  try {
    const realDir = realpathSync(dir);
    const real = realpathSync(lexical);
    return real.startsWith(realDir + path.sep) && statSync(real).isFile() ? real : undefined;
  } catch {
    return undefined; // missing, unreadable, a loop of links: not a file the hub shows
  }
}

/** Streams a file; if it cannot be read after all (gone, a folder now), the visitor gets `fallback`'s page and the hub goes on. */
function serveFile(file: string, response: ServerResponse, fallback: () => void): void {
  const stream = createReadStream(file);
  stream.once("error", () => {
    if (!response.headersSent) fallback();
    else response.destroy();
  });
  stream.once("open", () => {
    response.writeHead(200, { ...securityHeaders, "content-type": types[path.extname(file)] ?? "application/octet-stream", "cache-control": "no-cache" });
    stream.pipe(response);
  });
}

function send(response: ServerResponse, status: number, type: string, body: string): void {
  response.writeHead(status, { ...securityHeaders, "content-type": type, "cache-control": "no-store" });
  response.end(body);
}

function redirect(response: ServerResponse, location: string, status = 302): void {
  response.writeHead(status, { ...securityHeaders, location });
  response.end();
}

