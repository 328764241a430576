/** Finding a Chromium-family browser the way people have one installed, and when a missing tool fails. */
import { describe, expect, test } from "vitest";
import { findBrowser, requireEveryTool } from "../harness/optional-tools.ts";

const only = (...files: string[]) => (file: string) => files.includes(file);

describe("findBrowser", () => {
  test("CHROMIUM_PATH wins, and one that does not exist finds nothing rather than something else", () => {
    expect(findBrowser({ env: { CHROMIUM_PATH: "/x/chrome", PATH: "/usr/bin" }, platform: "linux", exists: only("/x/chrome", "/usr/bin/chromium") })?.executablePath).toBe("/x/chrome");
    expect(findBrowser({ env: { CHROMIUM_PATH: "/nope", PATH: "/usr/bin" }, platform: "linux", exists: only("/usr/bin/chromium") })).toBeUndefined();
  });

  test("Linux: chromium, Chrome, Edge or Brave on the PATH, or Chrome's own folder", () => {
    for (const file of ["/usr/bin/chromium", "/usr/local/bin/google-chrome", "/usr/bin/microsoft-edge", "/usr/bin/brave-browser", "/opt/google/chrome/chrome"]) {
      expect(findBrowser({ env: { PATH: "/usr/local/bin:/usr/bin" }, platform: "linux", exists: only(file) })?.executablePath).toBe(file);
    }
    expect(findBrowser({ env: { PATH: "/usr/bin" }, platform: "linux", exists: () => false })).toBeUndefined();
  });

  test("macOS: the apps in /Applications or ~/Applications", () => {
    const edge = "/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge";
    const brave = "/Users/me/Applications/Brave Browser.app/Contents/MacOS/Brave Browser";
    expect(findBrowser({ env: { PATH: "/usr/bin", HOME: "/Users/me" }, platform: "darwin", exists: only(edge) })?.executablePath).toBe(edge);
    expect(findBrowser({ env: { PATH: "/usr/bin", HOME: "/Users/me" }, platform: "darwin", exists: only(brave) })?.executablePath).toBe(brave);
  });

  test("Windows: Program Files and the user's LOCALAPPDATA", () => {
    const chrome = "C:\\Users\\me\\AppData\\Local\\Google\\Chrome\\Application\\chrome.exe";
    const edge = "C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe";
    const env = { Path: "C:\\Windows", LOCALAPPDATA: "C:\\Users\\me\\AppData\\Local", "PROGRAMFILES(X86)": "C:\\Program Files (x86)" };
    expect(findBrowser({ env, platform: "win32", exists: only(chrome) })?.executablePath).toBe(chrome);
    expect(findBrowser({ env, platform: "win32", exists: only(edge) })?.executablePath).toBe(edge);
  });
});

test("CI=true requires every tool; unset, empty or false does not", () => {
  expect(requireEveryTool({ CI: "true" })).toBe(true);
  expect(requireEveryTool({ CI: "1" })).toBe(true);
  for (const env of [{}, { CI: "" }, { CI: "false" }]) expect(requireEveryTool(env)).toBe(false);
});
