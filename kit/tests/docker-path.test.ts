/**
 * The Docker path against a fake engine (no machine here has a Docker engine): pulling ahead
 * with progress, a refused pull, a container that dies at start, one that never gets healthy,
 * a compose file changed under running containers — and the exact `docker` command lines the
 * real engine adapter runs, recorded by a fake `docker` program.
 */
import { createHash } from "node:crypto";
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { composeFile } from "../harness/paths.ts";
import { kitDatabaseUrl, kitKafkaBrokers, kitRedisUrl } from "../services/config.ts";
import { composeUp, hasDockerEngine, stopDockerStack } from "../services/docker.ts";
import { composeProjectName, dockerCli, parseComposePs, parseConfigHashes, type CommandResult, type ContainerState, type DockerEngine } from "../services/docker-engine.ts";
import { pullAhead } from "../services/docker-pull-ahead.ts";
import { composeChangedWarning, composeFileHash, composeImages, imagesFile, isRateLimited, pullImages, PullRefused, staleServices, waitHealthy } from "../services/docker-start.ts";
import { ServiceUnavailable } from "../services/errors.ts";

const MiB = 2 ** 20;
const tempDirs: string[] = [];
afterAll(() => tempDirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));
function tempDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "kit-docker-"));
  tempDirs.push(dir);
  return dir;
}

const container = (service: string, state: string, health: string, extra: Partial<ContainerState> = {}): ContainerState => ({
  service,
  id: `${service}-id`,
  state,
  health,
  exitCode: 0,
  configHash: "",
  ...extra,
});

/** An engine that answers from a script: which images it has, and what `ps` says on each call. */
class FakeEngine implements DockerEngine {
  readonly images = new Map<string, number>();
  readonly calls: string[] = [];
  /** Successive answers to containers(); the last one repeats. */
  states: ContainerState[][] = [[]];
  pullAnswer: (image: string) => CommandResult = () => ({ ok: true, output: "" });
  logLines: Record<string, string> = {};
  hashes: Record<string, string> = {};
  psCalls = 0;

  async imageSize(image: string) {
    return this.images.get(image);
  }
  async pull(image: string) {
    this.calls.push(`pull ${image}`);
    const answer = this.pullAnswer(image);
    if (answer.ok) this.images.set(image, 150 * MiB);
    return answer;
  }
  async up(services: readonly string[]) {
    this.calls.push(`up ${services.join(" ")}`);
    return { ok: true, output: "" };
  }
  async containers() {
    const answer = this.states[Math.min(this.psCalls, this.states.length - 1)] ?? [];
    this.psCalls += 1;
    return answer;
  }
  async logs(id: string, lines: number) {
    this.calls.push(`logs ${id} ${lines}`);
    return this.logLines[id] ?? "";
  }
  async configHashes() {
    return this.hashes;
  }
  async down() {
    this.calls.push("down");
    return { ok: true, output: "" };
  }
}

/** A clock that only moves when the code under test sleeps: deadlines without waiting for them. */
function fakeClock() {
  let time = 0;
  return { now: () => time, sleep: async (ms: number) => void (time += ms) };
}

const images = composeImages(["postgres", "redis", "kafka"]);

describe("pulling the images ahead, with progress", () => {
  test("pulls only what the engine lacks, one image at a time, saying which and how big", async () => {
    const engine = new FakeEngine();
    engine.images.set(images[0]!, 430 * MiB);
    const lines: string[] = [];
    await pullImages(engine, images, { log: (line) => lines.push(line) });
    expect(engine.calls).toEqual([`pull ${images[1]}`, `pull ${images[2]}`]);
    expect(lines).toEqual([
      `✓ ${images[0]} is already here (430 MiB)`,
      `Pulling ${images[1]} (2 of 3)…`,
      `✓ ${images[1]} pulled (150 MiB)`,
      `Pulling ${images[2]} (3 of 3)…`,
      `✓ ${images[2]} pulled (150 MiB)`,
    ]);
  });

  test("Docker Hub's rate limit is a PullRefused that says what to do, and stops there", async () => {
    const engine = new FakeEngine();
    const refusal = "Error response from daemon: toomanyrequests: You have reached your unauthenticated pull rate limit. https://www.docker.com/increase-rate-limit";
    engine.pullAnswer = (image) => (image === images[1] ? { ok: false, output: refusal } : { ok: true, output: "" });
    const error = await pullImages(engine, images, { log: () => {} }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(PullRefused);
    expect(error).toBeInstanceOf(ServiceUnavailable); // printed without a stack trace by the commands
    const message = (error as Error).message;
    expect(message).toContain(`Docker Hub refused to send ${images[1]}`);
    expect(message).toContain("`docker login`");
    expect(message).toContain("`npm run services -- --pull`");
    expect(message).toContain(`docker load -i ${imagesFile()}`);
    expect(imagesFile("arm64")).toBe("es-kafka-workshop-images-arm64.tar");
    expect(imagesFile("x64")).toBe("es-kafka-workshop-images-amd64.tar");
    expect(message).toContain("KIT_NO_DOCKER=1");
    expect(message).toContain(refusal);
    expect(engine.calls).toEqual([`pull ${images[0]}`, `pull ${images[1]}`]);
  });

  test("another pull failure is a plain ServiceUnavailable with the engine's words", async () => {
    const engine = new FakeEngine();
    engine.pullAnswer = () => ({ ok: false, output: "Error response from daemon: Get \"https://registry-1.docker.io/v2/\": dial tcp: lookup registry-1.docker.io: no such host" });
    const error = await pullImages(engine, images, { log: () => {} }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ServiceUnavailable);
    expect(error).not.toBeInstanceOf(PullRefused);
    expect((error as Error).message).toContain(`Docker could not pull ${images[0]}`);
    expect((error as Error).message).toContain("no such host");
  });

  test("no `docker` command, though an engine answers: say what to install", async () => {
    const engine = new FakeEngine();
    engine.pullAnswer = () => ({ ok: false, output: "spawn docker ENOENT" });
    const error = await pullImages(engine, images, { log: () => {} }).catch((caught: unknown) => caught);
    expect((error as Error).message).toContain("The services could not be reached: a Docker engine answers, but the `docker` command is not installed.");
  });

  test.each([
    ["Error response from daemon: toomanyrequests: You have reached your pull rate limit.", true],
    ["Error: initializing source docker://postgres:17.10: reading manifest 17.10 in docker.io/library/postgres: toomanyrequests: You have reached your unauthenticated pull rate limit.", true],
    ["received unexpected HTTP status: 429 Too Many Requests", true],
    ["Error response from daemon: manifest for postgres:17.99 not found: manifest unknown", false],
  ])("recognises Docker Hub's refusal: %s", (output, limited) => {
    expect(isRateLimited(output)).toBe(limited);
  });

  test("`npm run services -- --pull` without an engine says so and pulls nothing", async () => {
    const engine = new FakeEngine();
    const lines: string[] = [];
    const code = await pullAhead({ log: (line) => lines.push(line), engine, engineAnswers: async () => false });
    expect(code).toBe(1);
    expect(engine.calls).toEqual([]);
    expect(lines[0]).toBe("No Docker engine answers, so there is nothing to pull.");
  });

  test("`npm run services -- --pull` with an engine pulls the three images and starts nothing", async () => {
    const engine = new FakeEngine();
    const lines: string[] = [];
    const code = await pullAhead({ log: (line) => lines.push(line), engine, engineAnswers: async () => true });
    expect(code).toBe(0);
    expect(engine.calls).toEqual(images.map((image) => `pull ${image}`));
    expect(lines.at(-1)).toBe("\nAll set: on the day, `npm run services` starts them without downloading anything.");
  });
});

describe("waiting for the containers, watching their state", () => {
  const services = ["postgres", "redis", "kafka"] as const;

  test("returns once every container is healthy", async () => {
    const engine = new FakeEngine();
    engine.states = [
      [container("postgres", "running", "starting"), container("redis", "running", "healthy"), container("kafka", "running", "starting")],
      services.map((service) => container(service, "running", "healthy")),
    ];
    await waitHealthy(engine, services, { log: () => {}, timeoutMs: 180_000, ...fakeClock() });
    expect(engine.psCalls).toBe(2);
  });

  test("a container that dies at start fails at once, its last lines kept in the state folder and shown", async () => {
    const engine = new FakeEngine();
    const clock = fakeClock();
    engine.states = [
      [container("postgres", "running", "starting"), container("redis", "running", "healthy"), container("kafka", "running", "starting")],
      [container("postgres", "running", "healthy"), container("redis", "running", "healthy"), container("kafka", "exited", "starting", { exitCode: 1 })],
    ];
    const log = Array.from({ length: 30 }, (_, index) => `line ${index + 1}`).join("\n") + "\nERROR Exiting Kafka due to fatal exception\n";
    engine.logLines["kafka-id"] = log;
    const logDir = tempDir();
    const error = await waitHealthy(engine, services, { log: () => {}, timeoutMs: 180_000, logDir, ...clock }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ServiceUnavailable);
    expect(engine.psCalls).toBe(2); // at once: the second look saw it dead
    expect(clock.now()).toBe(500); // one poll interval, not 180 s
    const logFile = path.join(logDir, "kafka.log");
    expect(readFileSync(logFile, "utf8")).toBe(log);
    const message = (error as Error).message;
    expect(message).toContain("Kafka could not be reached: its container stopped at start (exit code 1).");
    expect(message).toContain(`its last 200 log lines are in ${logFile}`);
    expect(message).toContain("ERROR Exiting Kafka due to fatal exception");
    expect(message).toContain("line 12"); // the last 20 lines …
    expect(message).not.toContain("line 11\n"); // … and no more
  });

  test("a container killed for memory (exit 137) says to give the Docker VM more", async () => {
    const engine = new FakeEngine();
    engine.states = [[container("postgres", "running", "healthy"), container("redis", "running", "healthy"), container("kafka", "exited", "starting", { exitCode: 137 })]];
    const error = await waitHealthy(engine, services, { log: () => {}, timeoutMs: 180_000, logDir: tempDir(), ...fakeClock() }).catch((caught: unknown) => caught);
    expect((error as Error).message).toContain("its container was killed (exit code 137), most likely out of memory");
    expect((error as Error).message).toContain("give the Docker VM more memory");
  });

  test("a container whose health check keeps failing fails at once", async () => {
    const engine = new FakeEngine();
    engine.states = [[container("postgres", "running", "unhealthy"), container("redis", "running", "healthy"), container("kafka", "running", "healthy")]];
    const error = await waitHealthy(engine, services, { log: () => {}, timeoutMs: 180_000, logDir: tempDir(), ...fakeClock() }).catch((caught: unknown) => caught);
    expect((error as Error).message).toContain("PostgreSQL could not be reached: its health check kept failing.");
    expect(engine.calls).toEqual(["logs postgres-id 200"]);
  });

  test("one that never gets healthy fails at the deadline with its log, saying what is still starting on the way", async () => {
    const engine = new FakeEngine();
    engine.states = [[container("postgres", "running", "healthy"), container("redis", "running", "healthy"), container("kafka", "running", "starting")]];
    engine.logLines["kafka-id"] = "still formatting\n";
    const lines: string[] = [];
    const clock = fakeClock();
    const error = await waitHealthy(engine, services, { log: (line) => lines.push(line), timeoutMs: 30_000, reportEveryMs: 10_000, logDir: tempDir(), ...clock }).catch((caught: unknown) => caught);
    expect((error as Error).message).toContain("Kafka could not be reached: kafka did not become healthy within 30 s.");
    expect((error as Error).message).toContain("still formatting");
    expect(clock.now()).toBe(30_000);
    expect(lines).toEqual(["  still starting: kafka (starting) · 10 s", "  still starting: kafka (starting) · 20 s"]);
  });
});

describe("composeUp against the fake engine", () => {
  test("pulls what is missing, then `up` for the services asked for, then waits, and answers the kit's URLs", async () => {
    const engine = new FakeEngine();
    engine.states = [[container("postgres", "running", "healthy"), container("kafka", "running", "healthy")]];
    const lines: string[] = [];
    const urls = await composeUp(["postgres", "kafka"], { engine, log: (line) => lines.push(line) });
    const [postgresImage, , kafkaImage] = images;
    expect(engine.calls).toEqual([`pull ${postgresImage}`, `pull ${kafkaImage}`, "up postgres kafka"]);
    expect(urls).toEqual({ databaseUrl: kitDatabaseUrl, redisUrl: kitRedisUrl, kafkaBrokers: kitKafkaBrokers });
    expect(lines.at(-1)).toBe("Waiting for postgres, kafka to be healthy…");
  });

  test("a compose file changed under running containers is noticed, with the command that applies it", async () => {
    const engine = new FakeEngine();
    for (const image of images) engine.images.set(image, MiB);
    engine.states = [[container("postgres", "running", "healthy", { configHash: "aaaa" }), container("redis", "running", "healthy", { configHash: "bbbb" }), container("kafka", "running", "healthy", { configHash: "cccc" })]];
    engine.hashes = { postgres: "aaaa", redis: "bbbb", kafka: "dddd" };
    expect(await staleServices(engine, ["postgres", "redis", "kafka"])).toEqual(["kafka"]);
    const lines: string[] = [];
    await composeUp(["postgres", "redis", "kafka"], { engine, log: (line) => lines.push(line) });
    expect(lines).toContain(
      "! docker-compose.yml changed since the kafka container was created, and a running container keeps its old settings.\n    → apply the change: npm run services:down, then npm run services",
    );
  });
});

describe("services:down after a start that failed", () => {
  const deadKafka = [container("postgres", "running", "healthy"), container("redis", "running", "healthy"), container("kafka", "exited", "starting", { exitCode: 1 })];

  test("the start is recorded once `up` has created the containers, before the wait that fails", async () => {
    const engine = new FakeEngine();
    for (const image of images) engine.images.set(image, MiB);
    engine.states = [deadKafka];
    const events: string[] = [];
    const onUp = () => events.push(`recorded after ${engine.calls.join(", ")}`);
    const error = await composeUp(["postgres", "redis", "kafka"], { engine, log: () => {}, onUp }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ServiceUnavailable);
    expect(events).toEqual(["recorded after up postgres redis kafka"]);
    // What ensureServices recorded makes services:down take the stack down.
    const lines: string[] = [];
    expect(await stopDockerStack({ recorded: true, log: (line) => lines.push(line), engine, engineAnswers: async () => true })).toBe(true);
    expect(engine.calls.at(-1)).toBe("down");
    expect(lines).toEqual(["Stopping the Docker services (docker-compose.yml)…"]);
  });

  test("the `up` that fails records nothing, and services:down still finds the project's containers and takes them down", async () => {
    const engine = new FakeEngine();
    for (const image of images) engine.images.set(image, MiB);
    engine.up = async () => ({ ok: false, output: "Error response from daemon: driver failed programming external connectivity" });
    let recorded = false;
    await expect(composeUp(["postgres", "redis", "kafka"], { engine, log: () => {}, onUp: () => (recorded = true) })).rejects.toBeInstanceOf(ServiceUnavailable);
    expect(recorded).toBe(false);
    engine.states = [deadKafka]; // what Compose created before it failed
    expect(await stopDockerStack({ recorded, log: () => {}, engine, engineAnswers: async () => true })).toBe(true);
    expect(engine.calls).toEqual(["down"]);
  });

  test("nothing recorded and no container of the project (or no engine): nothing to take down", async () => {
    const engine = new FakeEngine();
    expect(await stopDockerStack({ recorded: false, log: () => {}, engine, engineAnswers: async () => true })).toBe(false);
    engine.states = [deadKafka];
    expect(await stopDockerStack({ recorded: false, log: () => {}, engine, engineAnswers: async () => false })).toBe(false);
    expect(engine.calls).toEqual([]);
  });
});

describe("a compose file edited under running containers (ensureServices' check)", () => {
  const found = [
    { name: "postgres", origin: "docker" },
    { name: "redis", origin: "local" },
    { name: "kafka", origin: "docker" },
  ];

  test("the recorded hash is the file's sha256", () => {
    const file = path.join(tempDir(), "docker-compose.yml");
    writeFileSync(file, "services: {}\n");
    expect(composeFileHash(file)).toBe(createHash("sha256").update("services: {}\n").digest("hex"));
    expect(composeFileHash()).toMatch(/^[0-9a-f]{64}$/);
  });

  test("a service Docker started from another version of the file is named, with the command that applies it", () => {
    const records = { postgres: { origin: "docker", composeHash: "new" }, kafka: { origin: "docker", composeHash: "old" } };
    expect(composeChangedWarning(found, records, () => "new")).toBe(
      "! docker-compose.yml changed since the kafka container was created, and a running container keeps its old settings.\n    → apply the change: npm run services:down, then npm run services",
    );
  });

  test("the same file, a service not from Docker, or a record from before the check: no warning", () => {
    expect(composeChangedWarning(found, { postgres: { origin: "docker", composeHash: "h" }, kafka: { origin: "docker", composeHash: "h" } }, () => "h")).toBeUndefined();
    expect(composeChangedWarning(found, { redis: { origin: "docker", composeHash: "old" } }, () => "new")).toBeUndefined();
    expect(composeChangedWarning(found, { postgres: { origin: "docker" }, kafka: { origin: "docker" } }, () => "new")).toBeUndefined();
  });

  test("no service from Docker: the file is not even read", () => {
    const read = () => {
      throw new Error("read the compose file");
    };
    expect(composeChangedWarning([{ name: "kafka", origin: "native" }], {}, read)).toBeUndefined();
  });
});

describe("the engine adapter's `docker` command lines", () => {
  test("parses `docker compose ps --format json` in both of Compose's formats", () => {
    const row = { ID: "abc", Service: "kafka", State: "exited", Health: "starting", ExitCode: 1, Labels: "com.docker.compose.project=es-kafka-workshop,com.docker.compose.config-hash=0123abcd" };
    const expected = [{ service: "kafka", id: "abc", state: "exited", health: "starting", exitCode: 1, configHash: "0123abcd" }];
    expect(parseComposePs(`${JSON.stringify(row)}\n`)).toEqual(expected); // Compose 2.21+: one object a line
    expect(parseComposePs(JSON.stringify([row]))).toEqual(expected); // before: one array
    expect(parseComposePs("")).toEqual([]);
  });

  test("a `ps` line that is not JSON (a warning from Compose) is skipped, the containers still read", () => {
    const row = { ID: "abc", Service: "kafka", State: "running", Health: "healthy", ExitCode: 0, Labels: "" };
    const output = `WARN[0000] /work/docker-compose.yml: the attribute \`version\` is obsolete\n${JSON.stringify(row)}\nnull\n`;
    expect(parseComposePs(output)).toEqual([{ service: "kafka", id: "abc", state: "running", health: "healthy", exitCode: 0, configHash: "" }]);
  });

  test("parses `docker compose config --hash`", () => {
    expect(parseConfigHashes("postgres 9f86d081884c7d65\nredis 2c26b46b68ffc68f\n\n")).toEqual({ postgres: "9f86d081884c7d65", redis: "2c26b46b68ffc68f" });
  });

  /** A fake `docker` program: records its arguments in calls.txt and runs `script` with them as `args`. */
  function fakeDocker(script: string): { fake: string; calls: () => string[][] } {
    const dir = tempDir();
    const record = path.join(dir, "calls.txt");
    const fake = path.join(dir, "docker");
    writeFileSync(
      fake,
      `#!${process.execPath}
const args = process.argv.slice(2);
require("node:fs").appendFileSync(${JSON.stringify(record)}, JSON.stringify(args) + "\\n");
${script}
`,
    );
    chmodSync(fake, 0o755);
    const calls = () => readFileSync(record, "utf8").trim().split("\n").map((line) => JSON.parse(line) as string[]);
    return { fake, calls };
  }

  test.skipIf(process.platform === "win32")("runs exactly these commands (recorded by a fake `docker` program)", async () => {
    // Answers `ps`, `image inspect`, `config --hash` and `logs` the way Docker does.
    const { fake, calls } = fakeDocker(`
if (args.includes("ps")) console.log(JSON.stringify({ ID: "k1", Service: "kafka", State: "running", Health: "healthy", ExitCode: 0, Labels: "" }));
if (args[0] === "image") { if (args.at(-1) === "missing:1") process.exit(1); console.log("1234"); }
if (args.includes("--hash")) console.log("kafka 0123456789abcdef");
if (args[0] === "logs") console.log("a log line");
`);
    const engine = dockerCli(fake);
    expect(await engine.imageSize("postgres:17.10")).toBe(1234);
    expect(await engine.imageSize("missing:1")).toBeUndefined();
    expect(await engine.pull("postgres:17.10")).toEqual({ ok: true, output: "" });
    expect(await engine.up(["postgres", "kafka"])).toEqual({ ok: true, output: "" });
    expect(await engine.containers()).toEqual([{ service: "kafka", id: "k1", state: "running", health: "healthy", exitCode: 0, configHash: "" }]);
    expect(await engine.configHashes()).toEqual({ kafka: "0123456789abcdef" });
    expect(await engine.logs("k1", 200)).toBe("a log line\n");
    expect(await engine.down()).toEqual({ ok: true, output: "" });
    const compose = ["compose", "-p", composeProjectName, "-f", composeFile];
    expect(calls()).toEqual([
      ["image", "inspect", "--format", "{{.Size}}", "postgres:17.10"],
      ["image", "inspect", "--format", "{{.Size}}", "missing:1"],
      ["pull", "postgres:17.10"],
      [...compose, "up", "-d", "--no-recreate", "postgres", "kafka"],
      [...compose, "ps", "--all", "--format", "json"],
      [...compose, "config", "--hash", "*"],
      ["logs", "--tail", "200", "k1"],
      [...compose, "down", "-v", "-t", "1"],
    ]);
  });

  test.skipIf(process.platform === "win32")("a container's log reads in the order it was written, stdout and stderr interleaved", async () => {
    // writeSync: each line is out before the next is written, in a known order across the two streams.
    const { fake } = fakeDocker(`
const fs = require("node:fs");
fs.writeSync(1, "out 1\\n"); fs.writeSync(2, "err 2\\n"); fs.writeSync(1, "out 3\\n"); fs.writeSync(2, "err 4\\n");
`);
    expect(await dockerCli(fake).logs("k1", 200)).toBe("out 1\nerr 2\nout 3\nerr 4\n");
  });

  test.skipIf(process.platform === "win32")("the engine check asks the same `docker` command: the server's version, or no", async () => {
    const answers = fakeDocker(`if (args[0] === "version") console.log("28.2.2");`);
    expect(await hasDockerEngine(answers.fake)).toBe(true);
    expect(answers.calls()).toEqual([["version", "--format", "{{.Server.Version}}"]]);
    // The CLI without an engine: it prints the client part and fails.
    const noEngine = fakeDocker(`console.error("Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?"); process.exit(1);`);
    expect(await hasDockerEngine(noEngine.fake)).toBe(false);
    expect(await hasDockerEngine(path.join(tempDir(), "no-docker-here"))).toBe(false);
    const previous = process.env.KIT_NO_DOCKER;
    process.env.KIT_NO_DOCKER = "1";
    try {
      expect(await hasDockerEngine(answers.fake)).toBe(false);
    } finally {
      if (previous === undefined) delete process.env.KIT_NO_DOCKER;
      else process.env.KIT_NO_DOCKER = previous;
    }
    expect(answers.calls()).toHaveLength(1); // KIT_NO_DOCKER=1 asks nothing
  });
});
