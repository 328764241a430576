/**
 * Bad input, as a careless attendee or a hostile web page would give it (issue 15): each case is
 * an input and the exact clear error, or the exact safe behaviour, it gets. The hub part ends with
 * all the hostile requests sent at once, and the hub still answering.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, realpathSync as realpathOf, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { request as httpRequest } from "node:http";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { createClient } from "redis";
import { afterAll, beforeAll, describe, expect, inject, test } from "vitest";
import { z } from "zod";
import { parseArguments, parseCount, parsePort, UsageError } from "../commands/cli.ts";
import { isTopicGoneError, wasReplaced } from "../commands/replay-topic.ts";
import { readStateFile } from "../harness/state-file.ts";
import { rootDir, stateDir } from "../harness/paths.ts";
import type { Step } from "../harness/steps.ts";
import { backUpWork, backupNote, copySolutionIntoWork } from "../harness/workspace.ts";
import { contentSecurityPolicy } from "../hub/guard.ts";
import { defuseHtml, renderDocument } from "../hub/markdown.ts";
import { fileInside, startHub, type Hub } from "../hub/server.ts";
import { eventually } from "../lib/eventually.ts";
import { createKafka } from "../lib/kafka.ts";
import { attendeePrefix, schemaName, topicPrefix } from "../lib/names.ts";
import { describeRemoved, findLeftovers, newSince, nothingLeft, removeLeftovers } from "../services/clean.ts";
import { unusableVariableFix } from "../services/checkup.ts";
import { kafkaWentAway, watchKafka } from "../services/kafka-watch.ts";
import { probeKafka, redact } from "../services/probe.ts";
import { BadServiceUrl, checkDatabaseUrl, checkRedisUrl, parseKafkaBrokers, servicesFromEnvironment } from "../services/urls.ts";

// --- the hub ------------------------------------------------------------------------------------

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A raw HTTP request: the path is sent as written (no normalising of %2e%2f), and Host can be anything, or absent. */
function send(port: number, method: string, rawPath: string, headers: Record<string, string> = {}, { withHost = true } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const request = httpRequest({ host: "127.0.0.1", port, method, path: rawPath, headers, setHost: withHost }, (response) => {
      let body = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => (body += chunk));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
    });
    request.on("error", reject);
    request.end();
  });
}

describe("the hub against hostile requests", () => {
  let hub: Hub;
  let port: number;
  const own = () => ({ host: `127.0.0.1:${port}` });
  const links: string[] = [];

  beforeAll(async () => {
    hub = await startHub({ port: 0, live: false });
    port = hub.port;
  });
  afterAll(async () => {
    for (const link of links) rmSync(link, { force: true });
    await hub?.close();
  });

  test("GIVEN /assets/%2e%2f (a folder read as a file: EISDIR) WHEN requested THEN a 404, and the hub still answers", async () => {
    expect((await send(port, "GET", "/assets/%2e%2f", own())).status).toBe(404);
    expect((await send(port, "GET", "/", own())).status).toBe(200);
  });

  test("GIVEN /assets/ (the folder itself) WHEN requested THEN a 404", async () => {
    expect((await send(port, "GET", "/assets/", own())).status).toBe(404);
  });

  test("GIVEN /assets/%2e%2e/server.ts (climbing out of assets) WHEN requested THEN a 404", async () => {
    expect((await send(port, "GET", "/assets/%2e%2e/server.ts", own())).status).toBe(404);
  });

  test("GIVEN /source/..%2f..%2fetc%2fpasswd WHEN requested THEN a 404 that does not show the file", async () => {
    const answer = await send(port, "GET", "/source/..%2f..%2f..%2f..%2fetc%2fpasswd", own());
    expect(answer.status).toBe(404);
    expect(answer.body).not.toContain("root:");
  });

  test("GIVEN a Host of evil.example (DNS rebinding) WHEN /source/README.md is asked THEN 403, nothing served", async () => {
    const answer = await send(port, "GET", "/source/README.md", { host: `evil.example:${port}` });
    expect(answer).toMatchObject({ status: 403, body: `The hub answers only at 127.0.0.1:${port}, localhost:${port} or [::1]:${port}.` });
  });

  test("GIVEN a Host of evil.example WHEN /doctor is asked THEN 403", async () => {
    expect((await send(port, "GET", "/doctor", { host: `evil.example:${port}` })).status).toBe(403);
  });

  test("GIVEN a Host of evil.example and a matching Origin WHEN a test run is posted THEN 403, no run", async () => {
    const answer = await send(port, "POST", "/api/run/00-hello", { host: `evil.example:${port}`, origin: `http://evil.example:${port}` });
    expect(answer.status).toBe(403);
  });

  test("GIVEN no Host header at all WHEN a page is asked THEN refused (Node's server answers 400 before the hub sees it)", async () => {
    expect((await send(port, "GET", "/", {}, { withHost: false })).status).toBe(400);
  });

  test("GIVEN the right name at another port WHEN a page is asked THEN 403", async () => {
    expect((await send(port, "GET", "/", { host: `127.0.0.1:${port + 1}` })).status).toBe(403);
  });

  test("GIVEN localhost or [::1] with the hub's port WHEN a page is asked THEN it is served", async () => {
    expect((await send(port, "GET", "/", { host: `localhost:${port}` })).status).toBe(200);
    expect((await send(port, "GET", "/", { host: `[::1]:${port}` })).status).toBe(200);
  });

  test("GIVEN a POST with Origin: null (a sandboxed frame) WHEN a test run is posted THEN 403", async () => {
    expect(await send(port, "POST", "/api/run/00-hello", { ...own(), origin: "null" })).toMatchObject({ status: 403, body: "Not from the hub's own pages." });
  });

  test("GIVEN a POST from another site's page WHEN a test run is posted THEN 403", async () => {
    expect((await send(port, "POST", "/api/run/00-hello", { ...own(), origin: "http://evil.example" })).status).toBe(403);
  });

  test("GIVEN PUT / WHEN sent THEN 405 with Allow: GET, HEAD", async () => {
    const answer = await send(port, "PUT", "/", own());
    expect([answer.status, answer.headers.allow, answer.body]).toEqual([405, "GET, HEAD", "PUT is not answered here: only GET or HEAD."]);
  });

  test("GIVEN DELETE on a source file WHEN sent THEN 405", async () => {
    expect((await send(port, "DELETE", "/source/README.md", own())).status).toBe(405);
  });

  test("GIVEN GET on the run endpoint WHEN sent THEN 405 with Allow: POST", async () => {
    const answer = await send(port, "GET", "/api/run/00-hello", own());
    expect([answer.status, answer.headers.allow]).toEqual([405, "POST"]);
  });

  test("GIVEN a POST anywhere else WHEN sent THEN 405", async () => {
    expect((await send(port, "POST", "/ledger", own())).status).toBe(405);
  });

  test("GIVEN HEAD / WHEN sent THEN 200 with no body", async () => {
    expect(await send(port, "HEAD", "/", own())).toMatchObject({ status: 200, body: "" });
  });

  test("GIVEN /% (a malformed percent-encoding) WHEN requested THEN 400 saying so, no stack, no path of the machine", async () => {
    const answer = await send(port, "GET", "/%", own());
    expect([answer.status, answer.body]).toEqual([400, "The path /% has a malformed percent-encoding."]);
  });

  test("GIVEN /decks/%zz WHEN requested THEN 400", async () => {
    expect(await send(port, "GET", "/decks/%zz", own())).toMatchObject({ status: 400, body: "The path /decks/%zz has a malformed percent-encoding." });
  });

  test("GIVEN a NUL byte in the path (%00) WHEN requested THEN 400", async () => {
    expect(await send(port, "GET", "/source/README.md%00.ts", own())).toMatchObject({ status: 400, body: "The path holds a NUL byte." });
  });

  test("GIVEN any page, asset or error WHEN served THEN it carries the CSP (no inline script, frame-ancestors 'none') and nosniff", async () => {
    for (const route of ["/", "/assets/hub.css", "/no-such-page", "/%"]) {
      const answer = await send(port, "GET", route, own());
      expect([route, answer.headers["content-security-policy"], answer.headers["x-content-type-options"]]).toEqual([route, contentSecurityPolicy, "nosniff"]);
    }
    expect(contentSecurityPolicy).toContain("script-src 'self'");
    expect(contentSecurityPolicy).toContain("frame-ancestors 'none'");
    expect(contentSecurityPolicy).not.toContain("unsafe-eval");
    expect(/script-src[^;]*unsafe-inline/.test(contentSecurityPolicy)).toBe(false);
  });

  test("GIVEN a symlink in the project that points outside it WHEN shown under /source THEN 404", async () => {
    const link = path.join(rootDir, "kit", "tests", `.outside-link-${process.pid}.md`);
    symlinkSync("/etc/hostname", link);
    links.push(link);
    expect((await send(port, "GET", `/source/kit/tests/${path.basename(link)}`, own())).status).toBe(404);
  });

  test("GIVEN a symlink in the assets that points outside them WHEN asked THEN 404", async () => {
    const link = path.join(rootDir, "kit", "hub", "assets", `.outside-link-${process.pid}.css`);
    symlinkSync("/etc/hostname", link);
    links.push(link);
    expect((await send(port, "GET", `/assets/${path.basename(link)}`, own())).status).toBe(404);
  });

  test("GIVEN a hidden folder (.git, node_modules, kit/.state) WHEN asked under /source THEN 404", async () => {
    for (const route of ["/source/.git/config", "/source/node_modules/vitest/package.json", "/source/kit/.state/services.json"]) {
      expect([route, (await send(port, "GET", route, own())).status]).toEqual([route, 404]);
    }
  });

  test("GIVEN every hostile request above at once WHEN sent THEN the hub still serves its pages", async () => {
    const hostile: Array<[string, string, Record<string, string>]> = [
      ["GET", "/assets/%2e%2f", own()],
      ["GET", "/assets/", own()],
      ["GET", "/assets/%2e%2e%2f%2e%2e%2fpackage.json", own()],
      ["GET", "/source/..%2f..%2fetc%2fpasswd", own()],
      ["GET", "/source/README.md", { host: `evil.example:${port}` }],
      ["GET", "/doctor", { host: `evil.example:${port}` }],
      ["POST", "/api/run/00-hello", { host: `evil.example:${port}`, origin: `http://evil.example:${port}` }],
      ["POST", "/api/run/00-hello", { ...own(), origin: "null" }],
      ["POST", "/api/run/00-hello", { ...own(), origin: "::not a url::" }],
      ["PUT", "/", own()],
      ["DELETE", "/source/README.md", own()],
      ["PATCH", "/ledger", own()],
      ["OPTIONS", "*", own()],
      ["GET", "/%", own()],
      ["GET", "/decks/%zz", own()],
      ["GET", "/%00", own()],
      ["GET", "//evil.example/", own()],
      ["GET", `/source/${"a/".repeat(2000)}x.ts`, own()],
      ["GET", "/decks/../../etc/passwd/presenter", own()],
      ["GET", "/steps/%2e%2e", own()],
    ];
    const answers = await Promise.all(hostile.map(([method, route, headers]) => send(port, method, route, headers)));
    expect(answers.filter((answer) => answer.status >= 500).map((answer) => answer.body)).toEqual([]);
    expect(answers.every((answer) => !/\n\s+at |\/work\/|node:internal/.test(answer.body))).toBe(true);
    expect((await send(port, "GET", "/", own())).status).toBe(200);
    expect((await send(port, "GET", "/assets/hub.css", own())).status).toBe(200);
  });
});

describe("the hub's files never leave the repository, and the disk is not asked first", () => {
  // A UNC path (//host/share, \\host\share) or a drive path would make Windows open a connection to
  // that host while resolving it; such names are refused before any file system call.
  test.each([
    ["a UNC path with slashes", "//evil.example/share/x.md"],
    ["a UNC path with backslashes", "\\\\evil.example\\share\\x.md"],
    ["a drive path", "C:/Windows/win.ini"],
    ["an absolute path", "/etc/hostname"],
    ["a path out of the folder", "../../etc/hostname"],
    ["a NUL byte", "README.md\0.txt"],
  ])("GIVEN %s WHEN looked up THEN it is not a file the hub shows", (_what, relative) => {
    expect(fileInside(rootDir, relative)).toBeUndefined();
  });

  test("GIVEN an absolute path naming a file inside the folder WHEN looked up THEN it is refused all the same: a name from a URL is only ever relative", () => {
    // Only this case shows the order on Linux: the others are refused by the disk too, once asked.
    const folder = mkdtempSync(path.join(tmpdir(), "hub-files-"));
    try {
      writeFileSync(path.join(folder, "inside.md"), "# inside\n");
      expect(fileInside(folder, "inside.md")).toBe(path.join(realpathOf(folder), "inside.md"));
      expect(fileInside(folder, path.join(folder, "inside.md"))).toBeUndefined();
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  test("GIVEN README.md WHEN looked up THEN it is the repository's README", () => {
    expect(fileInside(rootDir, "README.md")).toBe(path.join(rootDir, "README.md"));
  });
});

describe("raw HTML in a README or a deck", () => {
  test("GIVEN a <script> WHEN rendered THEN it is shown as text, not run", () => {
    expect(renderDocument("<script>alert(1)</script>\n", "").html).not.toMatch(/<script/i);
  });

  test("GIVEN an event handler attribute WHEN rendered THEN the handler is dropped, the element kept", () => {
    expect(defuseHtml('<img src="x.png" onerror="alert(1)">')).toBe('<img src="x.png">');
  });

  test("GIVEN a javascript: link in Markdown WHEN rendered THEN it links nowhere", () => {
    expect(renderDocument("[click](javascript:alert(1))\n", "").html).toBe('<p><a href="#">click</a></p>\n');
  });

  test("GIVEN an iframe and a javascript: href in raw HTML WHEN rendered THEN neither stays live", () => {
    expect(defuseHtml('<iframe src="https://evil.example"></iframe><a href="javascript:alert(1)">x</a>')).toBe('&lt;iframe src="https://evil.example">&lt;/iframe><a href="#">x</a>');
  });

  test("GIVEN a hint's <details> WHEN rendered THEN it is kept as it is", () => {
    expect(defuseHtml("<details><summary>Hint 1 — a question</summary>")).toBe("<details><summary>Hint 1 — a question</summary>");
  });
});

describe("PORT for npm start", () => {
  const refusal = (text: string) => `PORT=${JSON.stringify(text)} is not a port number: give one from 1 to 65535 in decimal (PORT=5000 npm start), or unset PORT for the default, 18080.`;

  test.each(["", "0x50", "0", "65536", "80abc", "-1", "1e3"])("GIVEN PORT=%j WHEN parsed THEN a UsageError, not a random or surprising port", (text) => {
    expect(() => parsePort(text)).toThrow(new UsageError(refusal(text)));
  });

  test("GIVEN PORT=5000 WHEN parsed THEN 5000", () => {
    expect(parsePort("5000")).toBe(5000);
  });
});

// --- service URLs and the doctor ----------------------------------------------------------------------

describe("service variables", () => {
  const problem = (fn: () => unknown): string => {
    try {
      fn();
    } catch (error) {
      if (error instanceof BadServiceUrl) return error.message;
      throw error;
    }
    throw new Error("expected a BadServiceUrl");
  };

  test("GIVEN DATABASE_URL with port 99999 WHEN checked THEN one clear error naming the variable, password hidden", () => {
    expect(problem(() => checkDatabaseUrl("postgres://workshop:hunter2@127.0.0.1:99999/db"))).toBe(
      'DATABASE_URL=postgres://workshop:***@127.0.0.1:99999/db cannot be used: the port "99999" is not a port number (1–65535).\n' +
        "  → fix it (like DATABASE_URL=postgres://user:password@127.0.0.1:5432/database), or unset DATABASE_URL to let the kit find or start the service",
    );
  });

  test("GIVEN DATABASE_URL with port :abc WHEN checked THEN the port is named", () => {
    expect(problem(() => checkDatabaseUrl("postgres://127.0.0.1:abc/db"))).toContain('the port "abc" is not a port number (1–65535)');
  });

  test("GIVEN DATABASE_URL with a wrong scheme WHEN checked THEN the scheme is named", () => {
    expect(problem(() => checkDatabaseUrl("mysql://127.0.0.1:3306/db"))).toContain("the scheme mysql:// is not postgres:// or postgresql://");
  });

  test("GIVEN DATABASE_URL=garbage WHEN checked THEN it is not a URL", () => {
    expect(problem(() => checkDatabaseUrl("garbage"))).toContain("DATABASE_URL=garbage cannot be used: it is not a URL (it must start with postgres:// or postgresql://)");
  });

  test("GIVEN REDIS_URL with a password and a bad port WHEN checked THEN the message never shows the password", () => {
    const message = problem(() => checkRedisUrl("redis://default:s3cretPW@127.0.0.1:99999"));
    expect(message).toContain("REDIS_URL=redis://default:***@127.0.0.1:99999 cannot be used");
    expect(message).not.toContain("s3cretPW");
  });

  test("GIVEN REDIS_URL with an empty user and a password WHEN redacted THEN the password is hidden", () => {
    expect(redact("redis://:s3cretPW@127.0.0.1:6379")).toBe("redis://:***@127.0.0.1:6379");
  });

  test("GIVEN REDIS_URL=http://… WHEN checked THEN the scheme is named", () => {
    expect(problem(() => checkRedisUrl("http://127.0.0.1:6379"))).toContain("the scheme http:// is not redis:// or rediss://");
  });

  test("GIVEN KAFKA_BROKERS=garbage WHEN parsed THEN it is not host:port", () => {
    expect(problem(() => parseKafkaBrokers("garbage"))).toContain('KAFKA_BROKERS=garbage cannot be used: "garbage" is not host:port.');
  });

  test("GIVEN KAFKA_BROKERS with port 99999 WHEN parsed THEN the broker and the port are named", () => {
    expect(problem(() => parseKafkaBrokers("127.0.0.1:9092,127.0.0.1:99999"))).toContain('in "127.0.0.1:99999", the port "99999" is not a port number (1–65535)');
  });

  test("GIVEN KAFKA_BROKERS with a scheme WHEN parsed THEN told to drop it", () => {
    expect(problem(() => parseKafkaBrokers("kafka://127.0.0.1:9092"))).toContain('"kafka://127.0.0.1:9092" has a scheme: give host:port, without one');
  });

  test("GIVEN KAFKA_BROKERS=',,' WHEN parsed THEN it lists no broker", () => {
    expect(problem(() => parseKafkaBrokers(",,"))).toContain("it lists no broker");
  });

  test("GIVEN good values WHEN checked THEN they pass through", () => {
    expect(servicesFromEnvironment({ DATABASE_URL: "postgres://u:p@db:5432/x", REDIS_URL: "rediss://cache:6380", KAFKA_BROKERS: "a:9092, [::1]:9093" })).toEqual({
      databaseUrl: "postgres://u:p@db:5432/x",
      redisUrl: "rediss://cache:6380",
      kafkaBrokers: ["a:9092", "[::1]:9093"],
    });
  });

  test("GIVEN a service the environment names that does not answer WHEN the doctor advises THEN it says fix or unset, not npm run services", () => {
    const fix = unusableVariableFix("REDIS_URL", "Redis");
    expect(fix).toBe("fix REDIS_URL (is the service up, is the address right?), or unset it to let the kit find or start Redis; npm run services does not replace a service the environment names");
  });

  test("GIVEN KAFKA_BROKERS at a port where Redis answers WHEN probed THEN a failure saying it is not Kafka (bounded by the probe's own deadline)", async () => {
    const { redisUrl } = inject("services");
    const { hostname, port } = new URL(redisUrl);
    const result = await probeKafka([`${hostname}:${port || "6379"}`]);
    expect(result.ok).toBe(false);
    expect(result.ok ? "" : result.reason).toMatch(/does not answer as Kafka|gives no Kafka answer/);
  }, 15_000);
});

// --- commands ----------------------------------------------------------------------------------------

describe("command-line flags", () => {
  test("GIVEN step -- --bogus WHEN parsed THEN refused with the valid flags", () => {
    expect(() => parseArguments(["01", "--bogus"], ["watch", "solution"])).toThrow(new UsageError("Unknown option --bogus. Valid options: --watch --solution"));
  });

  test("GIVEN seed -- 1000 --bogus WHEN parsed THEN refused, valued options shown with <value>", () => {
    expect(() => parseArguments(["1000", "--bogus"], ["fresh", "accounts="])).toThrow(new UsageError("Unknown option --bogus. Valid options: --fresh --accounts=<value>"));
  });

  test("GIVEN ledger -- --jsno (a typo) WHEN parsed THEN refused", () => {
    expect(() => parseArguments(["--jsno"], ["json"])).toThrow(new UsageError("Unknown option --jsno. Valid options: --json"));
  });

  test("GIVEN a command with no options and a flag WHEN parsed THEN it says it takes none", () => {
    expect(() => parseArguments(["02", "--force"], [])).toThrow(new UsageError("Unknown option --force. This command takes no options."));
  });

  test("GIVEN --accounts without a value WHEN parsed THEN told how to give one", () => {
    expect(() => parseArguments(["--accounts"], ["accounts="])).toThrow(new UsageError("--accounts needs a value, like --accounts=<value>."));
  });

  test("GIVEN known flags WHEN parsed THEN positional and flags as given", () => {
    expect(parseArguments(["1000", "--fresh", "--accounts=50"], ["fresh", "accounts="])).toEqual({ positional: ["1000"], flags: new Set(["fresh", "accounts=50"]) });
  });
});

describe("seed counts", () => {
  const count = (text: string | undefined, max = 10_000_000) => parseCount(text, { what: "The number of events", max, over: "add --large if you mean it." });

  test("GIVEN 1e12 WHEN parsed THEN refused: decimal digits only", () => {
    expect(() => count("1e12")).toThrow(new UsageError('The number of events must be a whole number written in decimal digits, got "1e12".'));
  });

  test("GIVEN 0x10 WHEN parsed THEN refused, not taken as 16", () => {
    expect(() => count("0x10")).toThrow(new UsageError('The number of events must be a whole number written in decimal digits, got "0x10".'));
  });

  test("GIVEN 0 WHEN parsed THEN at least 1", () => {
    expect(() => count("0")).toThrow(new UsageError("The number of events must be at least 1, got 0."));
  });

  test("GIVEN -5 WHEN parsed THEN refused", () => {
    expect(() => count("-5")).toThrow(UsageError);
  });

  test("GIVEN a trillion in digits WHEN parsed THEN over the limit, saying how to go past it", () => {
    expect(() => count("1000000000000")).toThrow(new UsageError("The number of events is at most 10,000,000, got 1,000,000,000,000: add --large if you mean it."));
  });

  test("GIVEN 1_000_000 WHEN parsed THEN a million", () => {
    expect(count("1_000_000")).toBe(1_000_000);
  });

  test("GIVEN nothing WHEN parsed THEN refused", () => {
    expect(() => count(undefined)).toThrow(new UsageError('The number of events must be a whole number written in decimal digits, got "".'));
  });
});

describe("a step whose src was deleted, and broken state files", () => {
  const temp = mkdtempSync(path.join(tmpdir(), "kit-bad-input-"));
  afterAll(() => rmSync(temp, { recursive: true, force: true }));
  const fakeStep = (id: string): Step => ({ id, number: id.slice(0, 2), title: "t", exerciseDir: path.join(temp, "exercises", id), solutionDir: path.join(temp, "solutions", id), readme: path.join(temp, "README.md") });

  test("GIVEN a step with no src WHEN backed up THEN nothing is copied and no empty backup folder is left", () => {
    const step = fakeStep(`98-nosrc-${process.pid}`);
    mkdirSync(step.exerciseDir, { recursive: true });
    expect(backUpWork(step)).toBeUndefined();
    const backups = path.join(stateDir, "backups");
    expect(existsSync(backups) ? readdirSync(backups).filter((name) => name.startsWith(step.id)) : []).toEqual([]);
    expect(backupNote(step, undefined)).toBe(`There was no exercises/${step.id}/src to save (it had been deleted).`);
  });

  test("GIVEN a step with no src WHEN caught up THEN the solution's src is there", () => {
    const step = fakeStep("97-catchup");
    mkdirSync(path.join(step.solutionDir, "src"), { recursive: true });
    writeFileSync(path.join(step.solutionDir, "src", "wallet.ts"), "export const done = true;\n");
    copySolutionIntoWork(step);
    expect(readdirSync(path.join(step.exerciseDir, "src"))).toEqual(["wallet.ts"]);
  });

  test("GIVEN a hints file that is not JSON WHEN read THEN it is set aside with a warning and hints start fresh", () => {
    const file = path.join(temp, "hints.json");
    writeFileSync(file, "{ this is not json");
    const warnings: string[] = [];
    expect(readStateFile(file, z.record(z.string(), z.number()), {}, (line) => warnings.push(line))).toEqual({});
    expect(existsSync(file)).toBe(false);
    expect(readdirSync(temp).filter((name) => name.startsWith("hints.json.corrupt-"))).toHaveLength(1);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/hints\.json was not valid JSON: set aside as .*hints\.json\.corrupt-.*, starting fresh\.$/);
  });

  test("GIVEN a hints file of the wrong shape (null) WHEN read THEN set aside, fresh", () => {
    const file = path.join(temp, "shape.json");
    writeFileSync(file, "null");
    const warnings: string[] = [];
    expect(readStateFile(file, z.record(z.string(), z.number()), {}, (line) => warnings.push(line))).toEqual({});
    expect(warnings[0]).toContain("was not what the kit writes there");
  });

  test("GIVEN a results file that is a folder WHEN read THEN fresh, and a warning", () => {
    const dir = path.join(temp, "results.json");
    mkdirSync(dir);
    const warnings: string[] = [];
    expect(readStateFile(dir, z.object({ tests: z.array(z.unknown()) }), undefined, (line) => warnings.push(line))).toBeUndefined();
    expect(warnings).toHaveLength(1);
  });

  test("GIVEN no state file WHEN read THEN fresh, no warning", () => {
    const warnings: string[] = [];
    expect(readStateFile(path.join(temp, "absent.json"), z.object({ fresh: z.boolean() }), { fresh: true }, (line) => warnings.push(line))).toEqual({ fresh: true });
    expect(warnings).toEqual([]);
  });
});

describe("a rebuild whose topic is replaced under it", () => {
  const atStart = [{ partition: 0, low: "0", high: "500" }, { partition: 1, low: "0", high: "480" }];

  test("GIVEN the topic is gone WHEN compared THEN replaced", () => {
    expect(wasReplaced(atStart, undefined)).toBe(true);
  });

  test("GIVEN a partition now ends before where it ended WHEN compared THEN replaced", () => {
    expect(wasReplaced(atStart, [{ partition: 0, low: "0", high: "20" }, { partition: 1, low: "0", high: "480" }])).toBe(true);
  });

  test("GIVEN the topic only grew WHEN compared THEN not replaced", () => {
    expect(wasReplaced(atStart, [{ partition: 0, low: "0", high: "900" }, { partition: 1, low: "0", high: "480" }])).toBe(false);
  });

  test("GIVEN kafkajs's unknown-topic error WHEN read THEN it says the topic is gone", () => {
    const error = Object.assign(new Error("This server does not host this topic-partition"), { name: "KafkaJSProtocolError", type: "UNKNOWN_TOPIC_OR_PARTITION" });
    expect([isTopicGoneError(error), isTopicGoneError(new Error("Connection timeout"))]).toEqual([true, false]);
  });
});

describe("attendee names", () => {
  test("GIVEN a name with accents WHEN made a prefix THEN it stays readable, with a hash because it changed", () => {
    expect(attendeePrefix("José")).toMatch(/^jose_[0-9a-f]{6}$/);
  });

  test("GIVEN two names in a non-Latin script WHEN made prefixes THEN they differ", () => {
    const [a, b] = [attendeePrefix("山田太郎"), attendeePrefix("李小龍")];
    expect(a).toMatch(/^attendee_[0-9a-f]{6}$/);
    expect(b).toMatch(/^attendee_[0-9a-f]{6}$/);
    expect(a).not.toBe(b);
  });

  test("GIVEN two long names with the same first 20 characters WHEN made prefixes THEN they differ", () => {
    const [a, b] = [attendeePrefix("alexander_the_great_of_macedon"), attendeePrefix("alexander_the_great_of_persia")];
    expect(a.startsWith("alexander_the_great_")).toBe(true);
    expect(a).not.toBe(b);
  });

  test("GIVEN a name already safe WHEN made a prefix THEN unchanged; the same name in capitals gets its own", () => {
    expect(attendeePrefix("bob")).toBe("bob");
    expect(attendeePrefix("Bob")).toMatch(/^bob_[0-9a-f]{6}$/);
  });

  test("GIVEN the longest prefix WHEN names are built THEN a schema fits Postgres's 63 characters", () => {
    const previous = process.env.KIT_ATTENDEE;
    process.env.KIT_ATTENDEE = "Ἀλέξανδρος ὁ Μέγας the conqueror of everything";
    try {
      expect(schemaName("a-very-long-label-of-a-test").length).toBeLessThanOrEqual(63);
      expect(topicPrefix()).toMatch(/^es\.[a-z0-9_]+\.[0-9a-f]{10}$/);
    } finally {
      if (previous === undefined) delete process.env.KIT_ATTENDEE;
      else process.env.KIT_ATTENDEE = previous;
    }
  });
});

describe("cleaning up after an interrupted run", () => {
  test("GIVEN what existed before a run WHEN compared with after THEN only what the run made", () => {
    const before = { ...nothingLeft, topics: ["es.a.1"], schemas: ["es_a__t_1"] };
    const after = { topics: ["es.a.1", "es.a.2"], groups: ["es.a.2.g"], schemas: ["es_a__t_1"], redisKeys: ["es:a:k"] };
    expect(newSince(before, after)).toEqual({ topics: ["es.a.2"], groups: ["es.a.2.g"], schemas: [], redisKeys: ["es:a:k"] });
  });

  test("GIVEN a topic, a schema and keys left under an attendee's prefix WHEN cleaned THEN exactly those are removed and named", async () => {
    const services = inject("services");
    const prefix = `cleantest_${process.pid}`;
    const topic = `es.${prefix}.left.events`;
    const schema = `es_${prefix}__t_left`;
    const neighbour = `es_${prefix}_x__t_keep`; // another attendee whose prefix starts like this one
    const admin = createKafka({ brokers: services.kafkaBrokers }).admin();
    await admin.connect();
    const db = new pg.Client({ connectionString: services.databaseUrl });
    await db.connect();
    const redis = createClient({ url: services.redisUrl });
    await redis.connect();
    try {
      await admin.createTopics({ topics: [{ topic, numPartitions: 1 }] });
      await db.query(`CREATE SCHEMA "${schema}"`);
      await db.query(`CREATE SCHEMA "${neighbour}"`);
      await redis.set(`es:${prefix}:k1`, "v");
      await eventually(async () => expect((await admin.listTopics()).includes(topic)).toBe(true), { timeoutMs: 10_000, what: "the topic to be listed" });

      const found = await findLeftovers(services, prefix);
      expect(found).toEqual({ topics: [topic], groups: [], schemas: [schema], redisKeys: [`es:${prefix}:k1`] });
      const { removed, kept } = await removeLeftovers(services, found);
      expect(kept).toEqual([]);
      expect(describeRemoved(removed)).toEqual([`1 topic(s): ${topic}`, `1 schema(s): ${schema}`, expect.stringMatching(/^1 Redis key\(s\) under es:/)]);
      await eventually(async () => expect(await findLeftovers(services, prefix)).toEqual(nothingLeft), { timeoutMs: 15_000, what: "the leftovers to be gone" });
      expect((await db.query("SELECT 1 FROM information_schema.schemata WHERE schema_name = $1", [neighbour])).rowCount).toBe(1);
    } finally {
      await db.query(`DROP SCHEMA IF EXISTS "${neighbour}" CASCADE`).catch(() => {});
      await db.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).catch(() => {});
      await admin.deleteTopics({ topics: [topic] }).catch(() => {});
      await redis.del(`es:${prefix}:k1`).catch(() => 0);
      await Promise.allSettled([admin.disconnect(), db.end(), redis.close()]);
    }
  });
});

describe("cleaning up when another run's cleanup got there first", () => {
  test("GIVEN two leftover topics, one already deleted by someone else WHEN cleaned THEN the other is removed, nothing fails and nothing is reported kept", async () => {
    const services = inject("services");
    const prefix = `cleantwice_${process.pid}`;
    const present = `es.${prefix}.left.events`;
    const gone = `es.${prefix}.gone.events`;
    const admin = createKafka({ brokers: services.kafkaBrokers }).admin();
    await admin.connect();
    try {
      await admin.createTopics({ topics: [{ topic: present, numPartitions: 1 }] });
      await eventually(async () => expect((await admin.listTopics()).includes(present)).toBe(true), { timeoutMs: 10_000, what: "the topic to be listed" });
      const { removed, kept } = await removeLeftovers(services, { ...nothingLeft, topics: [gone, present] });
      expect(kept).toEqual([]);
      expect(removed.topics).toEqual([present]);
      await eventually(async () => expect((await admin.listTopics()).includes(present)).toBe(false), { timeoutMs: 15_000, what: "the topic to be gone" });
    } finally {
      await admin.deleteTopics({ topics: [present] }).catch(() => {});
      await admin.disconnect();
    }
  });
});

// --- faults ------------------------------------------------------------------------------------------

describe("Kafka going away mid-run", () => {
  test("GIVEN a watched broker that stops listening WHEN watched THEN 'gone' is called once", async () => {
    const server = net.createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const address = `127.0.0.1:${(server.address() as net.AddressInfo).port}`;
    let gone = 0;
    const checks: number[] = [];
    const stop = watchKafka([address], () => (gone += 1), { intervalMs: 100, onCheck: (open) => checks.push(open) });
    try {
      await eventually(() => expect(checks.length).toBeGreaterThan(0), { timeoutMs: 10_000, what: "a first check" });
      expect([checks[0], gone]).toEqual([1, 0]);
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await eventually(() => expect(gone).toBe(1), { timeoutMs: 10_000, what: "the watch to see the broker gone" });
    } finally {
      stop();
    }
  });

  test("GIVEN a cluster with one broker still up WHEN watched THEN not gone", async () => {
    const server = net.createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const checks: number[] = [];
    let gone = 0;
    const stop = watchKafka(["127.0.0.1:1", `127.0.0.1:${(server.address() as net.AddressInfo).port}`], () => (gone += 1), { intervalMs: 50, failuresBeforeGone: 1, onCheck: (open) => checks.push(open) });
    try {
      await eventually(() => expect(checks.length).toBeGreaterThanOrEqual(3), { timeoutMs: 10_000, what: "three checks" });
      expect(gone).toBe(0);
      expect(new Set(checks)).toEqual(new Set([1]));
    } finally {
      stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  test("GIVEN Kafka named by KAFKA_BROKERS went away WHEN told THEN the fix is that Kafka or unsetting the variable, not npm run services", () => {
    expect(kafkaWentAway(["10.0.0.5:9092"], "npm run step 04", { fromEnvironment: true }).split("\n")[1]).toBe("  → KAFKA_BROKERS names it: start that Kafka again, or unset KAFKA_BROKERS to let the kit find or start one");
  });

  test("GIVEN Kafka went away WHEN told THEN the message says so, with the fix and the command to run again", () => {
    expect(kafkaWentAway(["127.0.0.1:19092"], "npm run step 04")).toBe(
      "Kafka went away: nothing answers at 127.0.0.1:19092 any more, so the tests were stopped (the rest would only time out).\n" +
        "  → npm run services starts it again (or finds the one another checkout of the kit restarted)\n" +
        "  → then run the step again: npm run step 04\n" +
        "  → npm run doctor says what is wrong if it does not come back",
    );
  });
});

// --- the commands themselves, end to end: one clear message, exit 1, no stack trace, no password ----------------

function runCommand(command: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(rootDir, "node_modules", "tsx", "dist", "cli.mjs"), path.join("kit", "commands", `${command}.ts`), ...args], {
      cwd: rootDir,
      env: { ...process.env, KIT_SERVICES: "", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.on("close", (code) => resolve({ code, output }));
  });
}

const noStack = (output: string) => !/\n\s+at [\w<.]+ \(|node:internal|TypeError|ERR_INVALID_URL/.test(output);

describe("the commands end to end", () => {
  test.concurrent("GIVEN npm run step 01 -- --bogus WHEN run THEN exit 1 with the valid flags", async () => {
    const { code, output } = await runCommand("step", ["01", "--bogus"]);
    expect([code, output.trim(), noStack(output)]).toEqual([1, "Unknown option --bogus. Valid options: --watch --solution --verbose --predict", true]);
  }, 60_000);

  test.concurrent("GIVEN npm run seed -- 1e12 WHEN run THEN exit 1 before any service is touched", async () => {
    const { code, output } = await runCommand("seed", ["1e12"]);
    expect([code, output.trim()]).toEqual([1, 'The number of events must be a whole number written in decimal digits, got "1e12".']);
  }, 60_000);

  test.concurrent("GIVEN npm run ledger -- --bogus WHEN run THEN exit 1 with the valid flags", async () => {
    const { code, output } = await runCommand("ledger", ["--bogus"]);
    expect([code, output.trim()]).toEqual([1, "Unknown option --bogus. Valid options: --json"]);
  }, 60_000);

  test.concurrent("GIVEN PORT=0x50 npm start WHEN run THEN exit 1 with a clear error, no hub started", async () => {
    const { code, output } = await runCommand("start", [], { PORT: "0x50" });
    expect([code, output.trim()]).toEqual([1, 'PORT="0x50" is not a port number: give one from 1 to 65535 in decimal (PORT=5000 npm start), or unset PORT for the default, 18080.']);
  }, 60_000);

  test.concurrent("GIVEN a REDIS_URL with a password and port 99999 WHEN npm run step 00 THEN exit 1, the variable named, the password never printed, no stack", async () => {
    const { code, output } = await runCommand("step", ["00"], { REDIS_URL: "redis://default:s3cretPW@127.0.0.1:99999" });
    expect(code).toBe(1);
    expect(output).toContain('REDIS_URL=redis://default:***@127.0.0.1:99999 cannot be used: the port "99999" is not a port number (1–65535).');
    expect([output.includes("s3cretPW"), noStack(output)]).toEqual([false, true]);
  }, 60_000);

  test.concurrent("GIVEN a REDIS_URL with a password and port 99999 WHEN npm run doctor THEN ✗ for it, exit 1, the password never printed", async () => {
    const { code, output } = await runCommand("doctor", [], { REDIS_URL: "redis://default:s3cretPW@127.0.0.1:99999" });
    expect(code).toBe(1);
    expect(output).toContain('✗ Redis from REDIS_URL=redis://default:***@127.0.0.1:99999 does not answer: the port "99999" is not a port number (1–65535)');
    expect([output.includes("s3cretPW"), output.includes("All set"), noStack(output)]).toEqual([false, false, true]);
  }, 60_000);

  test.concurrent("GIVEN a DATABASE_URL at a port nobody listens on WHEN npm run doctor THEN ✗, exit 1, and the fix is to fix or unset it", async () => {
    const { code, output } = await runCommand("doctor", [], { DATABASE_URL: "postgres://u:pw@127.0.0.1:1/db" });
    expect(code).toBe(1);
    expect(output).toContain("✗ PostgreSQL from DATABASE_URL=postgres://u:***@127.0.0.1:1/db does not answer");
    expect(output).toContain(`→ ${unusableVariableFix("DATABASE_URL", "PostgreSQL")}`);
  }, 60_000);

  test.concurrent("GIVEN KAFKA_BROKERS=garbage WHEN npm run seed -- 10 THEN exit 1 naming the variable", async () => {
    const { code, output } = await runCommand("seed", ["10"], { KAFKA_BROKERS: "garbage" });
    expect([code, output.trim().split("\n")[0], noStack(output)]).toEqual([1, 'KAFKA_BROKERS=garbage cannot be used: "garbage" is not host:port.', true]);
  }, 60_000);
});
