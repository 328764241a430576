/**
 * npm run kafka -- <tool> [--cluster] <the tool's own arguments>
 *
 * Apache Kafka's own command-line tools (kafka-topics, kafka-consumer-groups, …), from the
 * kafka-tools jar at the broker's version, fetched from Maven Central on first use. Aimed at
 * the kit's single broker, or with --cluster at step 11's cluster, unless the arguments name a
 * --bootstrap-server themselves. With Docker the images ship the same tools:
 * docker compose exec kafka /opt/kafka/bin/kafka-topics.sh --bootstrap-server 127.0.0.1:19092 …
 */
import { spawn } from "node:child_process";
import { clusterBrokers } from "../services/cluster-config.ts";
import { kafkaVersion, kitKafkaBrokers } from "../services/config.ts";
import { brokerClasspath, kafkaStateDir, requireJava } from "../services/native-kafka.ts";
import { main, UsageError } from "./cli.ts";

/** The shell scripts of Kafka's bin/ folder, by name, and the class each one runs. */
const tools: Record<string, string> = {
  "kafka-topics": "org.apache.kafka.tools.TopicCommand",
  "kafka-consumer-groups": "org.apache.kafka.tools.consumer.group.ConsumerGroupCommand",
  "kafka-configs": "org.apache.kafka.tools.ConfigCommand",
  "kafka-metadata-quorum": "org.apache.kafka.tools.MetadataQuorumCommand",
  "kafka-get-offsets": "org.apache.kafka.tools.GetOffsetShell",
  "kafka-leader-election": "org.apache.kafka.tools.LeaderElectionCommand",
  "kafka-reassign-partitions": "org.apache.kafka.tools.reassign.ReassignPartitionsCommand",
  "kafka-broker-api-versions": "org.apache.kafka.tools.BrokerApiVersionsCommand",
  "kafka-console-consumer": "org.apache.kafka.tools.consumer.ConsoleConsumer",
  "kafka-console-producer": "org.apache.kafka.tools.ConsoleProducer",
};

await main(async () => {
  const [name, ...rest] = process.argv.slice(2);
  const tool = name?.replace(/\.sh$/, "");
  const mainClass = tool ? tools[tool] : undefined;
  if (!tool || !mainClass) {
    throw new UsageError(
      `${tool ? `"${tool}" is not one of the tools the kit runs.` : "Which tool?"} The tools:\n${Object.keys(tools).map((known) => `  ${known}`).join("\n")}\n` +
        "For example: npm run kafka -- kafka-topics --describe   (add --cluster for step 11's cluster)",
    );
  }
  const cluster = rest.includes("--cluster");
  const args = rest.filter((arg) => arg !== "--cluster");
  const brokers = (cluster ? clusterBrokers : kitKafkaBrokers).join(",");
  // kafka-metadata-quorum asks the controllers or the brokers; every other tool here takes --bootstrap-server.
  if (!args.includes("--bootstrap-server") && !args.includes("--bootstrap-controller")) args.unshift("--bootstrap-server", brokers);

  const version = kafkaVersion();
  const { java } = requireJava(version);
  const classpath = await brokerClasspath(version, kafkaStateDir(version), (line) => console.error(line), "tools");
  const child = spawn(java, ["-Xmx256m", "-XX:+UseSerialGC", "-Dlog4j2.level=warn", "-cp", classpath, mainClass, ...args], { stdio: "inherit" });
  return new Promise<number>((resolve) => child.on("close", (code) => resolve(code ?? 1)));
});
