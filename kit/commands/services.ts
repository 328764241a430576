/**
 * npm run services        find or start Postgres, Redis and Kafka, and leave them up
 * npm run services -- --cluster   … and step 11's three-broker cluster
 * npm run services:down   stop what the kit started, the cluster included (never a service you run yourself)
 */
import { ensureServices, redact, stopServices } from "../services/index.ts";
import { serviceTitle } from "../services/errors.ts";
import { readStarted } from "../services/state.ts";
import { ensureCluster } from "../services/cluster.ts";
import { bold, main, parseArguments } from "./cli.ts";

await main(async () => {
  const { positional, flags } = parseArguments();
  const [action = "up"] = positional;
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
  if (flags.has("cluster")) {
    const cluster = await ensureCluster({ log: (line) => console.log(line) });
    console.log(`  ${"Cluster".padEnd(10)} ${cluster.brokers.join(",").padEnd(48)} ${cluster.origin}   (step 11: three brokers, one controller)`);
  }
  console.log("\nThey stay up between runs. Stop what the kit started with: npm run services:down");
  return 0;
});
