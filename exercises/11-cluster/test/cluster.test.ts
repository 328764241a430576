/**
 * Step 11's tests, one file for vitest: they all kill, pause and wipe the same three brokers, so
 * they run one after another in one worker (holding the cluster, see #kit/cluster), while the
 * other steps' files run beside them. Each concern is in its own file, imported here in order.
 */
import { holdCluster } from "./helpers.ts";
import "./durable-writes.ts";
import "./below-min-isr.ts";
import "./tradeoff-acks-1.ts";
import "./tradeoff-wiped-disk.ts";
import "./tradeoff-group-coordinator.ts";
import "./tradeoff-wallet.ts";

holdCluster();
