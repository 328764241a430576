/**
 * The hub's scoreboard against run files of its own (KIT_SCOREBOARD_DIR, a temporary folder:
 * never the attendee's runs): the closing deck's ```scoreboard slide follows the latest run
 * (the rendered deck is cached), its page reloads when a run is kept, and a run file that does
 * not read is said so, on the page and on the slide, never a 500.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";

const folder = mkdtempSync(path.join(os.tmpdir(), "kit-scoreboard-"));
process.env.KIT_SCOREBOARD_DIR = folder;
// Loaded after the folder is set: record.ts reads it once.
const { startHub } = await import("../hub/server.ts");
const { escapeXml: escaped } = await import("../hub/diagram.ts");
const { readRun, referenceScoreboard, saveRun, scoreboardDir } = await import("../scoreboard/record.ts");

describe("the hub's scoreboard, from a folder of its own", () => {
  let hub: Awaited<ReturnType<typeof startHub>>;
  const get = async (route: string) => {
    const response = await fetch(new URL(route, hub.url));
    return { status: response.status, body: await response.text() };
  };

  beforeAll(async () => {
    hub = await startHub({ port: 0, live: false });
  });

  afterAll(async () => {
    await hub?.close();
    rmSync(folder, { recursive: true, force: true });
  });

  test("GIVEN the closing deck shown once WHEN a run is kept THEN the deck shows that run, and its page watches the scoreboard's folder", async () => {
    expect(scoreboardDir).toBe(folder);
    const before = await get("/decks/04-closing/");
    expect(before.status).toBe(200);
    expect(before.body).toContain("Reference figures");
    expect(before.body).toMatch(new RegExp(`data-watch="slides/04-closing\\.md [^"]*${path.basename(folder)}/"`));

    const reference = readRun(referenceScoreboard)!;
    saveRun({ ...reference, kind: "run", at: "2026-12-07T18:30:00.000Z", machine: { ...reference.machine, line: "9 cores (the hub-scoreboard test)" } }, folder);
    const after = await get("/decks/04-closing/");
    expect(after.body).not.toContain("Reference figures");
    expect(after.body).toContain("This machine's latest run");
    expect(after.body).toContain("9 cores (the hub-scoreboard test)");
  });

  test.for([
    ["{}", "not a scoreboard run: kind: Invalid option: expected one of \"run\"|\"reference\""],
    ["[]", "not a scoreboard run: Invalid input: expected object, received array"],
  ])("GIVEN latest.json holding %s WHEN the page and the deck are asked for THEN both say the latest run is unreadable, and why", async ([text, reason]) => {
    writeFileSync(path.join(folder, "latest.json"), text!);
    const sentence = `The latest run at ${path.relative(path.resolve(import.meta.dirname, "../.."), path.join(folder, "latest.json"))} is unreadable (${reason})`;
    const page = await get("/scoreboard");
    expect(page.status).toBe(200);
    expect(page.body).toContain(escaped(sentence));
    const deck = await get("/decks/04-closing/");
    expect(deck.status).toBe(200);
    expect(deck.body).toContain(escaped(sentence));
    expect(deck.body).not.toContain("Reference figures");
  });
});


