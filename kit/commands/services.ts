/**
 * npm run services        find or start Postgres, Redis and Kafka, and leave them up
 * npm run services:down   stop what the kit started (never a service you run yourself)
 * npm run services -- --clean   remove the topics, consumer groups, schemas and Redis keys that
 *                               runs stopped halfway left under your prefix (not step 07's seeded data)
 * npm run services -- --pull    pull the Docker images now, with progress (before the workshop)
 */
import { ensureServices, redact, stopServices, toUrls } from "../services/index.ts";
import { pullAhead } from "../services/docker-pull-ahead.ts";
import { serviceTitle } from "../services/errors.ts";
import { identifyKafka, judgeKafka, kitClusterIds } from "../services/kafka-identity.ts";
import { readStarted } from "../services/state.ts";
import { attendeePrefix } from "../lib/names.ts";
import { bold, main, parseArguments } from "./cli.ts";

await main(async () => {
  const { positional, flags } = parseArguments(process.argv.slice(2), ["clean", "pull"]);
  const [action = "up"] = positional;
  if (flags.has("pull")) return pullAhead();
  if (action === "down") {
    await stopServices();
    return 0;
  }
  const { found } = await ensureServices({ log: (line) => console.log(line) });
  const started = readStarted();
  console.log(`\n${bold("The workshop's services are up:")}`);
  for (const service of found) {
    const log = started[service.name]?.logFile;
    console.log(`  ${serviceTitle(service.name).padEnd(10)} ${redact(service.url).padEnd(48)} ${service.origin}${log ? `   log: ${log}` : ""}`);
  }
  const kafka = found.find((service) => service.name === "kafka");
  if (kafka && kafka.origin !== "environment") {
    // A server the kit did not start, answering on its port, would otherwise be used silently.
    const identity = await identifyKafka(kafka.url.split(","));
    const check = identity && judgeKafka(kafka.url, identity, kitClusterIds());
    if (check?.level === "warn") console.log(`\n! ${check.what}\n    → ${check.fix}`);
  }
  console.log("\nThey stay up between runs. Stop what the kit started with: npm run services:down");
  if (flags.has("clean")) {
    const { findLeftovers, removeLeftovers, describeRemoved } = await import("../services/clean.ts");
    const { removed, kept } = await removeLeftovers(toUrls(found), await findLeftovers(toUrls(found)));
    const lines = describeRemoved(removed);
    console.log(`\n${bold(`Cleaned up after runs of ${attendeePrefix()}:`)}${lines.length > 0 ? `\n  removed ${lines.join("\n  removed ")}` : " nothing was left behind."}`);
    for (const what of kept) console.log(`  kept ${what}`);
    console.log("  (step 07's seeded topic and schema are kept: npm run seed -- --delete removes them)");
  }
  return 0;
});
