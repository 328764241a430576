/**
 * The decks and their renderer: the pure parts (splitting, notes, fragments, line focus,
 * diagrams, links), and the promise that every link in slides/ names a step, a file and a test
 * that exist, and that every slide links its proof or says why it has none.
 */
import { describe, expect, test } from "vitest";
import { checkDeck, loadAllDecks, pendingProofs, unprovenSlides, type ProjectFiles } from "../hub/deck-check.ts";
import { DeckError, renderDeck, splitFrontMatter, splitNotes, splitSlides } from "../hub/deck.ts";
import { DiagramError, layout, parseDiagram, renderDiagram } from "../hub/diagram.ts";
import { CodeInfoError, parseCodeInfo, renderCodeBlock, splitHighlightedLines } from "../hub/highlight.ts";
import { hubUrl, renderDocument, resolveRepoPath } from "../hub/markdown.ts";
import { readFileSync } from "node:fs";
import { listSteps } from "../harness/steps.ts";

const fence = "```";

describe("splitting a deck into slides", () => {
  test("GIVEN three slides separated by --- WHEN split THEN three slides", () => {
    expect(splitSlides("# One\n\n---\n\n## Two\n\n---\n\n## Three\n")).toHaveLength(3);
  });

  test("GIVEN a --- inside a code fence WHEN split THEN it does not split the slide", () => {
    const slides = splitSlides(`## Code\n\n${fence}yaml\na: 1\n---\nb: 2\n${fence}\n\n---\n\n## Next\n`);
    expect(slides).toHaveLength(2);
    expect(slides[0]!.some((token) => token.type === "code" && token.text.includes("---"))).toBe(true);
  });

  test("GIVEN front matter WHEN the deck is read THEN its --- lines are not slide breaks and its fields are read", () => {
    const { meta, body } = splitFrontMatter("---\ntitle: A deck\nminutes: 20\n---\n# First\n\n---\n\n## Second\n");
    expect(meta).toEqual({ title: "A deck", minutes: 20 });
    expect(splitSlides(body)).toHaveLength(2);
    expect(renderDeck("---\ntitle: A deck\n---\n# First\n", "a").slides).toHaveLength(1);
  });

  test("GIVEN text right above --- WHEN split THEN a DeckError says to leave an empty line (Markdown would make it a heading)", () => {
    expect(() => splitSlides("## One\n\nsome text\n---\n\n## Two\n", "slides/x.md")).toThrow(DeckError);
    expect(() => splitSlides("## One\n\nsome text\n---\n", "slides/x.md")).toThrow(/leave an empty line before ---/);
  });

  test("GIVEN empty slides (a --- at the end) WHEN split THEN they are dropped", () => {
    expect(splitSlides("# One\n\n---\n\n")).toHaveLength(1);
  });
});

describe("speaker notes", () => {
  test("GIVEN a paragraph starting with Note: WHEN split THEN it and everything after are notes, not content", () => {
    const [slide] = splitSlides("## Title\n\nShown.\n\nNote: said aloud\n\n- also notes\n");
    const { content, notes } = splitNotes(slide!);
    expect(content.filter((token) => token.type !== "space").map((token) => token.type)).toEqual(["heading", "paragraph"]);
    expect(notes).toBe("said aloud\n\n- also notes");
  });

  test("GIVEN a slide with notes WHEN rendered THEN the notes are HTML apart from the slide's HTML", () => {
    const deck = renderDeck("## Title\n\nShown.\n\nNote: said **aloud**\n", "n");
    expect(deck.slides[0]!.html).not.toContain("aloud");
    expect(deck.slides[0]!.notes).toContain("<strong>aloud</strong>");
  });
});

describe("fragments", () => {
  test("GIVEN a + list WHEN rendered THEN each item is a fragment with the next step number", () => {
    const slide = renderDeck("## List\n\n+ one\n+ two\n+ three\n", "f").slides[0]!;
    expect(slide.steps).toBe(3);
    expect([...slide.html.matchAll(/<li class="fragment" data-step="(\d)">/g)].map((match) => match[1])).toEqual(["1", "2", "3"]);
  });

  test("GIVEN a - list WHEN rendered THEN it shows at once", () => {
    const slide = renderDeck("## List\n\n- one\n- two\n", "f").slides[0]!;
    expect(slide.steps).toBe(0);
    expect(slide.html).not.toContain("fragment");
  });

  test("GIVEN <!-- fragment --> before a block WHEN rendered THEN that block is a fragment and the comment is gone", () => {
    const slide = renderDeck("## F\n\n+ one\n\n<!-- fragment -->\n\nLater paragraph.\n", "f").slides[0]!;
    expect(slide.steps).toBe(2);
    expect(slide.html).toContain('<div class="fragment" data-step="2"><p>Later paragraph.</p>');
    expect(slide.html).not.toContain("<!--");
  });

  test("GIVEN <!-- class: title --> WHEN rendered THEN the slide gets the class and the comment is not shown", () => {
    const slide = renderDeck("<!-- class: title small -->\n\n# Hello\n", "c").slides[0]!;
    expect(slide.classes).toEqual(["title", "small"]);
    expect(slide.html).not.toContain("class:");
  });
});

describe("code: highlighted at build time, with line focus", () => {
  test("GIVEN ts {2,4-5|7} WHEN the info string is read THEN two focus steps with their lines", () => {
    expect(parseCodeInfo("ts {2,4-5|7}")).toEqual({ lang: "typescript", focusSteps: [[2, 4, 5], [7]] });
    expect(parseCodeInfo("sql")).toEqual({ lang: "sql", focusSteps: [] });
    expect(parseCodeInfo(undefined)).toEqual({ lang: "", focusSteps: [] });
  });

  test("GIVEN a malformed focus WHEN read THEN a CodeInfoError says what is wrong", () => {
    expect(() => parseCodeInfo("ts {a-b}")).toThrow(CodeInfoError);
    expect(() => parseCodeInfo("ts {5-2}")).toThrow(/runs backwards/);
  });

  test("GIVEN a block comment across lines WHEN cut into lines THEN each line closes and reopens its span", () => {
    const lines = splitHighlightedLines('<span class="hljs-comment">/* a\nb */</span> x');
    expect(lines).toEqual(['<span class="hljs-comment">/* a</span>', '<span class="hljs-comment">b */</span> x']);
  });

  test("GIVEN focus steps WHEN rendered THEN the first focus shows at once and the next ones carry their slide step", () => {
    const html = renderCodeBlock("const a = 1;\nconst b = 2;\nconst c = 3;\n", parseCodeInfo("ts {1|3}"), [0, 4]);
    expect(html).toContain('class="hljs-keyword"');
    expect(html).toContain('<span class="line focus" data-line="1">');
    expect(html).toContain('<span class="line" data-line="3">');
    expect(html).toContain(`data-focus='[{"step":0,"lines":[1]},{"step":4,"lines":[3]}]'`);
  });

  test("GIVEN a focus beyond the last line WHEN rendered THEN a CodeInfoError names the line", () => {
    expect(() => renderCodeBlock("one line\n", parseCodeInfo("ts {3}"))).toThrow(/line 3 is in focus but the code has 1 lines/);
  });

  test("GIVEN a deck with a fragment then a focused code block WHEN rendered THEN the second focus step follows the fragment", () => {
    const slide = renderDeck(`## S\n\n+ first\n\n${fence}ts {1|2}\nconst a = 1;\nconst b = 2;\n${fence}\n`, "s").slides[0]!;
    expect(slide.steps).toBe(2);
    expect(slide.html).toContain(`data-focus='[{"step":0,"lines":[1]},{"step":2,"lines":[2]}]'`);
  });
});

describe("diagrams: SVG from text, no network", () => {
  const source = "api: Wallet API [service]\npg: Postgres [db]\nkafka: Kafka [log]\napi -> pg: UPDATE\napi -x> kafka: publish\nkafka --> api: poll";

  test("GIVEN nodes and edges WHEN parsed THEN kinds and edge styles are read", () => {
    const diagram = parseDiagram(source);
    expect(diagram.nodes.map((node) => `${node.id}:${node.kind}`)).toEqual(["api:service", "pg:db", "kafka:log"]);
    expect(diagram.edges.map((edge) => edge.style)).toEqual(["sync", "lost", "async"]);
  });

  test("GIVEN a cycle WHEN laid out THEN the edge that closes it does not push nodes right", () => {
    const places = layout(parseDiagram(source));
    expect(places.get("api")).toEqual({ column: 0, row: 0 });
    expect(places.get("pg")).toEqual({ column: 1, row: 0 });
    expect(places.get("kafka")).toEqual({ column: 1, row: 1 });
  });

  test("GIVEN a diagram WHEN rendered THEN it is one inline SVG with a box per node, its own marker id, and no external reference", () => {
    const svg = renderDiagram(source, { id: "t1" });
    expect(svg.startsWith("<svg")).toBe(true);
    expect(svg.match(/data-node=/g)).toHaveLength(3);
    expect(svg).toContain('marker id="t1-arrow"');
    expect(svg).not.toMatch(/https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
  });

  test("GIVEN an edge to an unknown node or an unknown kind WHEN parsed THEN a DiagramError names the line", () => {
    expect(() => parseDiagram("a: A\na -> b")).toThrow(DiagramError);
    expect(() => parseDiagram("a: A [spaceship]")).toThrow(/diagram line 1: unknown kind \[spaceship\]/);
    expect(() => parseDiagram("this is not a line")).toThrow(/neither a node/);
  });

  test("GIVEN a broken diagram in a deck WHEN rendered THEN a DeckError names the file and the slide", () => {
    expect(() => renderDeck(`## One\n\n---\n\n## Two\n\n${fence}diagram\na -> b\n${fence}\n`, "d")).toThrow(/slides\/d\.md, slide 2: diagram line 1/);
  });
});

describe("links to the project become hub pages", () => {
  test("GIVEN relative links from slides/ WHEN resolved THEN they name files from the root", () => {
    expect(resolveRepoPath("../exercises/01-crud/README.md", "slides")).toEqual({ target: "exercises/01-crud/README.md", anchor: "" });
    expect(resolveRepoPath("../exercises/01-crud/test/a.test.ts#x", "slides")).toEqual({ target: "exercises/01-crud/test/a.test.ts", anchor: "x" });
    expect(resolveRepoPath("https://kafka.apache.org", "slides").target).toBeUndefined();
    expect(resolveRepoPath("../../outside.md", "slides").target).toBeUndefined();
  });

  test("GIVEN a step, a deck or any other file WHEN turned into a hub URL THEN a step page, a deck or a source view", () => {
    expect(hubUrl("exercises/01-crud/README.md")).toBe("/steps/01-crud");
    expect(hubUrl("exercises/01-crud")).toBe("/steps/01-crud");
    expect(hubUrl("slides/02-log.md")).toBe("/decks/02-log/");
    expect(hubUrl("exercises/01-crud/test/a b.test.ts", "test=x")).toBe("/source/exercises/01-crud/test/a%20b.test.ts#test=x");
  });

  test("GIVEN a README fence the hub cannot read WHEN rendered THEN it shows as plain code, while a deck refuses it", () => {
    const markdown = `${fence}ts title="wallet.ts" {9}\nconst a = 1;\n${fence}\n`;
    expect(renderDocument(markdown, "exercises/01-crud").html).toContain('<pre class="code"><code class="hljs language-ts">');
    expect(() => renderDeck(`## S\n\n${markdown}`, "strict")).toThrow(DeckError);
  });

  test.each(listSteps().map((step) => [step.id, step] as const))("step %s's README renders as a hub page", (id, step) => {
    const { html } = renderDocument(readFileSync(step.readme, "utf8"), `exercises/${id}`);
    expect(html).toContain(`<h1>Step ${step.number}`);
  });

  test("GIVEN a proof link WHEN rendered THEN it opens the source view at the test, marked as a proof", () => {
    const { html, links } = renderDocument('[lost](../exercises/01-crud/test/t.test.ts "test: GIVEN x WHEN y THEN z")', "slides");
    expect(html).toContain('href="/source/exercises/01-crud/test/t.test.ts#test=GIVEN%20x%20WHEN%20y%20THEN%20z" class="proof"');
    expect(links).toEqual([{ href: "../exercises/01-crud/test/t.test.ts", text: "lost", target: "exercises/01-crud/test/t.test.ts", test: "GIVEN x WHEN y THEN z" }]);
  });
});

describe("the deck check", () => {
  const files: ProjectFiles = {
    exists: (target) => ["exercises/01-crud", "exercises/01-crud/test/t.test.ts"].includes(target),
    isFile: (target) => target.endsWith(".ts"),
    read: () => 'test("GIVEN a WHEN b THEN c", async () => {})',
  };

  test("GIVEN links to a missing file, a missing test and an unproven trade-off WHEN checked THEN each is a problem", () => {
    const deck = renderDeck(
      [
        '## Trade-off: one\n\n[ok](../exercises/01-crud/test/t.test.ts "test: GIVEN a WHEN b THEN c")',
        "## Two\n\n[gone](../exercises/09-nope/README.md)",
        '## Three\n\n[wrong](../exercises/01-crud/test/t.test.ts "test: GIVEN nothing")',
        "## Trade-off: no proof\n\nJust words.",
        "## Trade-off: later\n\n<!-- proof: 05-event-sourcing — the overdraft -->",
      ].join("\n\n---\n\n"),
      "check",
    );
    expect(checkDeck(deck, files).map((problem) => `${problem.slide}: ${problem.message.split(":")[0]}`)).toEqual([
      "2: links to exercises/09-nope/README.md, which does not exist",
      '2: "Two" links no proof and does not say why',
      '3: exercises/01-crud/test/t.test.ts has no test named "GIVEN nothing"',
      '4: "Trade-off',
    ]);
    expect(pendingProofs([deck], files)).toEqual([{ deck: "check", slide: 5, step: "05-event-sourcing", what: "the overdraft", stepExists: false }]);
  });

  test("GIVEN a slide that states something with no proof and no marker WHEN checked THEN it is a problem; a no-test marker with its reason, or a title or section slide, is not", () => {
    const deck = renderDeck(
      [
        "<!-- class: title -->\n\n# A title",
        "<!-- class: section -->\n\n# Part 1",
        "## A claim\n\nKafka is fast.",
        "## A claim, owned up to\n\nKafka is fast.\n\n<!-- no test: speed depends on the machine -->",
        '## A claim, proven\n\n[it is](../exercises/01-crud/test/t.test.ts "test: GIVEN a WHEN b THEN c")',
        "## Trade-off: no test is not enough\n\n<!-- no test: a trade-off must link its test -->",
      ].join("\n\n---\n\n"),
      "claims",
    );
    expect(checkDeck(deck, files).map((problem) => problem.slide)).toEqual([3, 6]);
    expect(checkDeck(deck, files)[0]!.message).toBe('"A claim" links no proof and does not say why: link the test that proves what it states, or mark it <!-- no test: why -->');
    expect(unprovenSlides([deck])).toEqual([
      { deck: "claims", slide: 4, title: "A claim, owned up to", why: "speed depends on the machine" },
      { deck: "claims", slide: 6, title: "Trade-off: no test is not enough", why: "a trade-off must link its test" },
    ]);
    expect(deck.slides[3]!.html).not.toContain("no test");
  });

  const decks = loadAllDecks();

  test("slides/ has the five decks of the meetup", () => {
    expect(decks.map((deck) => deck.name)).toEqual(["00-opening", "01-crud", "02-log", "03-insights", "04-closing"]);
    for (const deck of decks) expect(deck.slides.length, deck.name).toBeGreaterThan(3);
  });

  test.each(decks.map((deck) => [deck.name, deck] as const))("deck %s links only to steps, files and tests that exist, and proves every trade-off it states", (_name, deck) => {
    expect(checkDeck(deck)).toEqual([]);
  });

  test("the decks link real proofs, and list the proofs still to come", () => {
    const proofs = decks.flatMap((deck) => deck.slides.flatMap((slide) => slide.links.filter((link) => link.test)));
    expect(proofs.length).toBeGreaterThan(5);
    const pending = pendingProofs(decks);
    // The lead turns these into links as the steps land; the list says where they are.
    console.log(`${pending.length} proofs still to link:\n${pending.map((entry) => `  ${entry.deck} #${entry.slide}  ${entry.step} — ${entry.what}${entry.stepExists ? "  (the step exists now: link it)" : ""}`).join("\n")}`);
    for (const entry of pending) expect(entry.step).toMatch(/^\d\d-[a-z0-9-]+$/);
    // A marker waits for a step that is not there yet; once the step exists, the proof can be
    // linked, and a marker left in place would let the slide claim what nothing checks.
    expect(pending.filter((entry) => entry.stepExists).map((entry) => `${entry.deck} #${entry.slide}: <!-- proof: ${entry.step} … --> — the step exists: link its test`)).toEqual([]);
  });

  test("the slides that say they have no test give a reason, and npm test lists them", () => {
    const unproven = unprovenSlides(decks);
    console.log(`${unproven.length} slides say they have no test:\n${unproven.map((entry) => `  ${entry.deck} #${entry.slide}  ${entry.title} — ${entry.why}`).join("\n")}`);
    for (const entry of unproven) expect(entry.why.length, `${entry.deck} #${entry.slide}`).toBeGreaterThan(10);
  });
});
