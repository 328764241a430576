/**
 * The hub in a real headless Chromium (Debian's `chromium`, driven by playwright-core): decks
 * navigated with the keyboard, a presenter view that follows, a step page with its status, the
 * print layout, live reload — and not one request that leaves 127.0.0.1.
 *
 * Screenshots of the title slide, a code slide, a diagram slide, the presenter view and the ledger
 * page, and the printed PDF of a deck, are written
 * to kit/.state/screenshots/ on every run, for a reviewer to look at.
 */
import { existsSync, mkdirSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import path from "node:path";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { eventually } from "../lib/eventually.ts";
import { attendeeResultsDir, rootDir, stateDir } from "../harness/paths.ts";
import type { RunResults, TestRecord } from "../harness/results.ts";
import { listDeckNames } from "../hub/deck-check.ts";
import { loadDeck } from "../hub/deck.ts";
import { startHub, type Hub } from "../hub/server.ts";
import { stepTestFiles } from "../hub/status.ts";
import { findStep } from "../harness/steps.ts";
import { guarantees } from "../ledger/guarantees.ts";
import { compactLedgerTable, ledgerView, type LedgerView } from "../hub/ledger-view.ts";
import { ledgerPage } from "../hub/pages.ts";
import { browserInstall, findBrowser, notChecked } from "../harness/optional-tools.ts";
import { scoreboardToShow } from "../scoreboard/record.ts";

const chromiumPath = findBrowser()?.executablePath;
const screenshotsDir = path.join(stateDir, "screenshots");

// Without a browser, one skipped test stands for them all, marked so npm test says what was not checked.
if (!chromiumPath) test.skip("the hub in a browser (skipped: no Chromium-family browser)", notChecked("the hub in a real browser (kit/tests/hub-browser.test.ts)", browserInstall), () => {});

// Not even collected without one: skipped tests unmarked would count as failed checks in npm test.
const inABrowser = chromiumPath ? describe : () => {};

inABrowser("the hub in a browser", () => {
  let hub: Hub;
  let browser: Browser;
  let context: BrowserContext;
  /** Every request the pages made to a host other than this machine (each one is blocked). */
  const leftTheMachine: string[] = [];

  beforeAll(async () => {
    hub = await startHub({ port: 0 });
    browser = await chromium.launch({ executablePath: chromiumPath!, args: ["--no-sandbox", "--disable-dev-shm-usage"] });
    context = await browser.newContext({ viewport: { width: 1280, height: 720 }, reducedMotion: "reduce" });
    await context.route("**/*", (route) => {
      const url = new URL(route.request().url());
      if (["127.0.0.1", "localhost"].includes(url.hostname) || url.protocol === "data:" || url.protocol === "blob:") return route.continue();
      leftTheMachine.push(url.href);
      return route.abort("blockedbyclient");
    });
    mkdirSync(screenshotsDir, { recursive: true });
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await hub?.close();
    console.log(`hub screenshots: ${screenshotsDir}`);
  });

  async function open(url: string): Promise<Page> {
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    // The hub's Content-Security-Policy must refuse only what a README could smuggle in, never the hub's own scripts or styles.
    page.on("console", (message) => {
      if (message.type() === "error" && /Content Security Policy/i.test(message.text())) errors.push(message.text());
    });
    await page.goto(new URL(url, hub.url).href);
    await page.waitForSelector("body[data-ready]");
    expect(errors, `script errors on ${url}`).toEqual([]);
    return page;
  }

  /** The run the hub shows (the browser tests need one that reads: the kit's reference run at least). */
  const shownRun = () => {
    const shown = scoreboardToShow();
    if (!shown || !("run" in shown)) throw new Error(`the hub has no scoreboard run to show: ${shown ? shown.unreadable : "none"}`);
    return shown.run;
  };

  const shown = (page: Page) => page.evaluate(() => ({ slide: Number(document.body.dataset.slide), step: Number(document.body.dataset.step), hash: location.hash }));

  test("GIVEN the hub WHEN the home page opens THEN it lists every deck and every step", async () => {
    const page = await open("/");
    for (const name of listDeckNames()) await expect(page.locator(`a[href="/decks/${name}/"]`).count()).resolves.toBe(1);
    await expect(page.locator("ol.steps li").count()).resolves.toBeGreaterThanOrEqual(2);
    await page.close();
  });

  test("GIVEN a deck WHEN navigated with the keyboard THEN fragments appear one key at a time and each slide has its URL", async () => {
    const deck = loadDeck(rootDir, "00-opening");
    const withFragments = deck.slides.find((slide) => slide.steps >= 2)!;
    const page = await open("/decks/00-opening/");
    expect(await shown(page)).toEqual({ slide: 1, step: 0, hash: "#/1" });
    await page.screenshot({ path: path.join(screenshotsDir, "title-slide.png") });

    for (let slide = 1; slide < withFragments.number; slide += 1) {
      const steps = deck.slides[slide - 1]!.steps;
      for (let press = 0; press <= steps; press += 1) await page.keyboard.press("ArrowRight");
    }
    expect(await shown(page)).toEqual({ slide: withFragments.number, step: 0, hash: `#/${withFragments.number}` });
    const visibleFragments = () => page.locator("section.slide.current .fragment.shown").count();
    expect(await visibleFragments()).toBe(0);
    await page.keyboard.press("ArrowRight");
    expect(await visibleFragments()).toBe(1);
    expect(await page.locator("section.slide.current .fragment").first().isVisible()).toBe(true);
    await page.keyboard.press("ArrowRight");
    expect(await shown(page)).toEqual({ slide: withFragments.number, step: 2, hash: `#/${withFragments.number}/2` });
    await page.keyboard.press("ArrowLeft");
    expect(await visibleFragments()).toBe(1);

    await page.keyboard.press("End");
    expect((await shown(page)).slide).toBe(deck.slides.length);
    await page.keyboard.press("Home");
    expect(await shown(page)).toEqual({ slide: 1, step: 0, hash: "#/1" });

    // A slide's URL opens that slide.
    await page.goto(new URL(`/decks/00-opening/#/${withFragments.number}/1`, hub.url).href);
    await page.reload();
    await page.waitForSelector("body[data-ready]");
    expect(await shown(page)).toEqual({ slide: withFragments.number, step: 1, hash: `#/${withFragments.number}/1` });
    await page.close();
  });

  test("GIVEN a code slide with line focus WHEN stepped through THEN the focus moves to the next lines", async () => {
    const deck = loadDeck(rootDir, "01-crud");
    const code = deck.slides.find((slide) => slide.html.includes("data-focus="))!;
    const page = await open(`/decks/01-crud/#/${code.number}`);
    const focused = () => page.locator("section.slide.current pre .line.focus").evaluateAll((lines) => lines.map((line) => Number((line as HTMLElement).dataset.line)));
    const first = await focused();
    expect(first.length).toBeGreaterThan(0);
    await page.screenshot({ path: path.join(screenshotsDir, "code-slide.png") });
    await page.keyboard.press("ArrowRight");
    const second = await focused();
    expect(second.length).toBeGreaterThan(0);
    expect(second).not.toEqual(first);
    await page.close();
  });

  test("GIVEN a diagram slide WHEN shown THEN its architecture is inline SVG with its boxes and arrows drawn", async () => {
    const deck = loadDeck(rootDir, "02-log");
    const diagram = deck.slides.find((slide) => slide.html.includes("<svg") && /Kafka's parts/.test(slide.title))!;
    const page = await open(`/decks/02-log/#/${diagram.number}`);
    const svg = page.locator("section.slide.current svg.diagram");
    expect(await svg.isVisible()).toBe(true);
    expect(await svg.locator("[data-node]").count()).toBeGreaterThanOrEqual(5);
    const box = await svg.boundingBox();
    expect(box!.width).toBeGreaterThan(400);
    await page.screenshot({ path: path.join(screenshotsDir, "diagram-slide.png") });
    await page.close();
  });

  test("GIVEN the audience view and the presenter view WHEN either moves THEN the other follows, and the presenter shows the notes and the next slide", async () => {
    const deck = loadDeck(rootDir, "01-crud");
    const audience = await open("/decks/01-crud/#/1");
    const presenter = await open("/decks/01-crud/presenter#/1");
    expect(await presenter.locator(".notes-pane").textContent()).toContain("Everything in this part is ordinary");
    expect(await presenter.locator(".next-pane section.slide").getAttribute("data-number")).toBe("2");

    await audience.keyboard.press("ArrowRight");
    await eventually(async () => expect((await shown(presenter)).slide).toBe(2), { timeoutMs: 5_000, what: "the presenter view follows the audience view" });
    expect(await presenter.locator(".counter").first().textContent()).toBe(`2 / ${deck.slides.length}`);
    expect(await presenter.locator(".notes-pane").textContent()).toContain("One row per account");

    await presenter.keyboard.press("ArrowRight");
    await eventually(async () => expect((await shown(audience)).slide).toBe(3), { timeoutMs: 5_000, what: "the audience view follows the presenter view" });
    expect(await presenter.locator(".timer").textContent()).toMatch(/^\d\d:\d\d$/);
    await presenter.screenshot({ path: path.join(screenshotsDir, "presenter-view.png") });
    await audience.close();
    await presenter.close();
  });

  test("GIVEN a deck WHEN printed THEN there is one page per slide, with every fragment shown", async () => {
    const deck = loadDeck(rootDir, "01-crud");
    const page = await open("/decks/01-crud/");
    const pdf = await page.pdf({ path: path.join(screenshotsDir, "01-crud.pdf"), preferCSSPageSize: true, printBackground: true });
    const pages = pdf.toString("latin1").match(/\/Type\s*\/Page(?![s\w])/g) ?? [];
    expect(pages.length).toBe(deck.slides.length);

    await page.emulateMedia({ media: "print" });
    const hiddenFragments = await page.locator(".fragment").evaluateAll((fragments) => fragments.filter((fragment) => getComputedStyle(fragment).visibility !== "visible" || getComputedStyle(fragment).opacity !== "1").length);
    expect(hiddenFragments).toBe(0);
    const sizes = await page.locator("section.slide").evaluateAll((slides) => slides.map((slide) => `${(slide as HTMLElement).offsetWidth}x${(slide as HTMLElement).offsetHeight}`));
    expect(new Set(sizes)).toEqual(new Set(["1280x720"]));
    await page.close();
  });

  test("GIVEN every deck WHEN each slide is shown whole THEN nothing overflows the slide", async () => {
    const page = await open("/decks/00-opening/");
    const overflowing: string[] = [];
    for (const name of listDeckNames()) {
      await page.goto(new URL(`/decks/${name}/`, hub.url).href);
      await page.waitForSelector("body[data-ready]");
      const result = await page.evaluate(() =>
        Array.from(document.querySelectorAll<HTMLElement>("section.slide")).flatMap((slide) => {
          slide.hidden = false;
          slide.querySelectorAll(".fragment").forEach((fragment) => fragment.classList.add("shown"));
          const body = slide.querySelector<HTMLElement>(".slide-body")!;
          const style = getComputedStyle(slide);
          const room = slide.clientHeight - parseFloat(style.paddingTop) - parseFloat(style.paddingBottom);
          // Code blocks clip their overflow, so a line too long for the slide is checked on its own.
          const clippedCode = Array.from(slide.querySelectorAll("pre")).some((pre) => pre.scrollWidth > pre.clientWidth + 1);
          return body.scrollHeight > room + 1 || body.scrollWidth > body.clientWidth + 1 || clippedCode ? [slide.dataset.number] : [];
        }),
      );
      overflowing.push(...result.map((number) => `${name} #${number}`));
    }
    expect(overflowing).toEqual([]);
    await page.close();
  });

  test("GIVEN a recorded run of a step WHEN it lands THEN the open step page refreshes and shows the status and the open task", async () => {
    const step = findStep("01");
    const files = stepTestFiles(step);
    const runFile = path.join(attendeeResultsDir, `hub-browser-test-${process.pid}.json`);
    const page = await open(`/steps/${step.id}`);
    expect(await page.locator("article.readme h1").textContent()).toContain("Step 01");
    try {
      await page.evaluate(() => ((window as unknown as { beforeReload: boolean }).beforeReload = true));
      const record = (file: string, task: { number: number; title: string } | undefined, state: TestRecord["state"]): TestRecord => ({
        step: step.id,
        file,
        name: `${task ? `Task ${task.number} — ${task.title} > ` : ""}a test in ${file}`,
        kind: task ? "task" : "check",
        ...(task ? { task } : {}),
        state,
        errors: state === "failed" ? [{ name: "TodoError", message: `TODO: Task ${task?.number} — ${task?.title}: the open part` }] : [],
        ledger: [],
        durationMs: 1,
      });
      const run: RunResults = {
        target: "exercises",
        finishedAt: new Date(Date.now() + 60_000).toISOString(),
        tests: files.map((file, index) => (index === 0 ? record(file, { number: 9, title: "a task from the browser test" }, "failed") : record(file, undefined, "passed"))),
        moduleErrors: [],
        unhandledErrors: [],
      };
      mkdirSync(attendeeResultsDir, { recursive: true });
      writeFileSync(runFile, JSON.stringify(run));
      await eventually(async () => expect(await page.locator("aside.status .badge.open").textContent()).toBe("1 task open"), { timeoutMs: 10_000, what: "the step page shows the recorded run" });
      expect(await page.evaluate(() => (window as unknown as { beforeReload?: boolean }).beforeReload)).toBeUndefined();
      expect(await page.locator("aside.status li.todo").textContent()).toContain("Task 9 — a task from the browser test");
    } finally {
      rmSync(runFile, { force: true });
    }
    await page.close();
  });

  test("GIVEN an open deck WHEN its file changes THEN the page reloads on the same slide", async () => {
    const page = await open("/decks/04-closing/#/3");
    await page.evaluate(() => ((window as unknown as { beforeReload: boolean }).beforeReload = true));
    const file = path.join(rootDir, "slides", "04-closing.md");
    const now = new Date();
    utimesSync(file, now, now);
    await eventually(async () => expect(await page.evaluate(() => (window as unknown as { beforeReload?: boolean }).beforeReload)).toBeUndefined(), { timeoutMs: 10_000, what: "the deck reloads" });
    await page.waitForSelector("body[data-ready]");
    expect((await shown(page)).slide).toBe(3);
    await page.close();
  });

  test("GIVEN the ledger page WHEN opened THEN every guarantee is a row, each cell links its proofs", async () => {
    const page = await open("/ledger");
    expect(await page.locator("table.ledger tr").count()).toBe(guarantees.length + 1);
    const proofs = page.locator("table.ledger a.proof");
    expect(await proofs.count()).toBeGreaterThan(5);
    await page.screenshot({ path: path.join(screenshotsDir, "ledger-page.png"), fullPage: true });
    // A proof opens the test in the source view.
    await proofs.first().click();
    await page.waitForSelector("body[data-ready]");
    expect(page.url()).toContain("/source/exercises/");
    expect(await page.locator(".line.target").count()).toBe(1);
    await page.close();
  });

  /** Today's ledger with the three columns steps 09–11 bring, as copies of the last column: the merge must not make it overflow. */
  function ledgerWithElevenColumns(): LedgerView {
    const view = ledgerView();
    const last = view.steps.at(-1)!;
    const extra = ["09-exactly-once", "10-transfers", "11-cluster"].filter((step) => !view.steps.includes(step)).slice(0, Math.max(0, 11 - view.steps.length));
    return {
      ...view,
      steps: [...view.steps, ...extra],
      cells: [...view.cells, ...extra.flatMap((step) => view.cells.filter((cell) => cell.step === last).map((cell) => ({ ...cell, step })))],
    };
  }

  test("GIVEN a ledger of 11 steps WHEN the closing deck's ledger slide and the ledger page show it THEN neither overflows", async () => {
    const view = ledgerWithElevenColumns();
    expect(view.steps).toHaveLength(11);
    const deck = loadDeck(rootDir, "04-closing");
    const slide = deck.slides.find((candidate) => candidate.html.includes("ledger-compact"))!;
    const page = await open(`/decks/04-closing/#/${slide.number}`);
    const overflow = await page.evaluate((table) => {
      const current = document.querySelector<HTMLElement>("section.slide.current")!;
      current.querySelector("table.ledger-compact")!.outerHTML = table;
      const body = current.querySelector<HTMLElement>(".slide-body")!;
      const style = getComputedStyle(current);
      const room = current.clientHeight - parseFloat(style.paddingTop) - parseFloat(style.paddingBottom);
      const columns = current.querySelectorAll("table.ledger-compact tr:first-child th").length;
      return { columns, tall: body.scrollHeight - room, wide: body.scrollWidth - body.clientWidth };
    }, compactLedgerTable(view));
    await page.screenshot({ path: path.join(screenshotsDir, "ledger-slide-11-steps.png") });
    expect(overflow).toEqual({ columns: 12, tall: expect.any(Number), wide: 0 });
    expect(overflow.tall).toBeLessThanOrEqual(1);
    await page.close();

    const ledger = await open("/ledger");
    const pageOverflow = await ledger.evaluate((html) => {
      const fresh = new DOMParser().parseFromString(html, "text/html");
      document.querySelector("table.ledger")!.replaceWith(fresh.querySelector("table.ledger")!);
      const table = document.querySelector<HTMLElement>("table.ledger")!;
      const cells = Array.from(table.querySelectorAll<HTMLElement>("th, td"));
      return {
        columns: table.querySelectorAll("tr:first-child th").length,
        wide: document.documentElement.scrollWidth - window.innerWidth,
        cellsOverflowing: cells.filter((cell) => cell.scrollWidth > cell.clientWidth + 1).map((cell) => cell.textContent!.slice(0, 40)),
      };
    }, ledgerPage(view));
    await ledger.screenshot({ path: path.join(screenshotsDir, "ledger-page-11-steps.png"), fullPage: true });
    expect(pageOverflow).toEqual({ columns: 12, wide: 0, cellsOverflowing: [] });
    await ledger.close();
  });

  test("GIVEN the scoreboard page WHEN opened THEN its table has a row per architecture and its three charts are inline SVG with the ceilings as lines", async () => {
    // This machine's latest run, or the kit's reference run on a fresh clone: either is a whole run.
    const run = shownRun();
    const page = await open("/scoreboard");
    expect(await page.locator("table.scoreboard tr").count()).toBe(run.architectures.length + 1);
    expect(await page.locator("figure.sb-chart svg").count()).toBe(3);
    expect(await page.locator("svg line.sb-ceiling").count()).toBe(run.ceilings.length);
    expect(await page.locator(".sb-provenance").innerText()).toContain(run.kind === "reference" ? "Reference figures" : "This machine's latest run");
    await page.screenshot({ path: path.join(screenshotsDir, "scoreboard-page.png"), fullPage: true });
    await page.close();
  });

  test("GIVEN the closing deck WHEN its scoreboard slide is shown THEN it holds the table and says whose figures they are", async () => {
    const deck = loadDeck(rootDir, "04-closing");
    const slide = deck.slides.find((candidate) => candidate.html.includes('class="sb-slide"'))!;
    const page = await open(`/decks/04-closing/#/${slide.number}`);
    const shownSlide = page.locator("section.slide.current");
    expect(await shownSlide.getAttribute("data-number")).toBe(String(slide.number));
    expect(await shownSlide.locator("table.scoreboard tr").count()).toBe(shownRun().architectures.length + 1);
    await page.screenshot({ path: path.join(screenshotsDir, "scoreboard-slide.png") });
    await page.close();
  });

  test("GIVEN the doctor page WHEN opened THEN it shows the doctor's checks", async () => {
    const page = await open("/doctor");
    expect(await page.locator("ul.checks li").first().textContent()).toContain("Node.js");
    expect(await page.locator("p.summary").count()).toBe(1);
    await page.close();
  });

  test("GIVEN everything above WHEN the pages loaded THEN no request left this machine", () => {
    expect(leftTheMachine).toEqual([]);
  });
});
