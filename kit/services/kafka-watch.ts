/**
 * Watching the brokers while a step's tests run. When Kafka dies mid-run, kafkajs retries each
 * request for a while and every test fails in turn, slowly, with a chain of timeouts that hides
 * the cause. A plain TCP check every second sees it in a couple of seconds, and the command
 * stops the run and says what happened.
 */
import { isPortOpen, splitHostPort } from "./probe.ts";

export interface WatchOptions {
  intervalMs?: number;
  /** Consecutive failed checks before Kafka counts as gone: one refused connection on a busy laptop is not a dead broker. */
  failuresBeforeGone?: number;
  /** Told after each check how many brokers accepted a connection (for the kit's tests). */
  onCheck?: (open: number) => void;
}

/**
 * Calls `onGone` once, when no broker of the list accepts a connection for `failuresBeforeGone`
 * checks in a row. A cluster that loses one broker (step 11 kills a leader on purpose) is not gone.
 * Returns the function that stops watching.
 */
export function watchKafka(brokers: string[], onGone: () => void, { intervalMs = 1_000, failuresBeforeGone = 2, onCheck }: WatchOptions = {}): () => void {
  let failures = 0;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const check = async () => {
    const open = await Promise.all(brokers.map((broker) => {
      const [host, port] = splitHostPort(broker);
      return isPortOpen(host, Number(port), Math.min(1_000, intervalMs));
    }));
    if (stopped) return;
    onCheck?.(open.filter(Boolean).length);
    failures = open.some(Boolean) ? 0 : failures + 1;
    if (failures >= failuresBeforeGone) {
      stopped = true;
      onGone();
      return;
    }
    timer = setTimeout(() => void check(), intervalMs);
    timer.unref();
  };
  timer = setTimeout(() => void check(), intervalMs);
  timer.unref();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}

/** What `npm run step` says when the watch fires. */
export function kafkaWentAway(brokers: string[], rerun: string, { fromEnvironment = false } = {}): string {
  return [
    `Kafka went away: nothing answers at ${brokers.join(",")} any more, so the tests were stopped (the rest would only time out).`,
    fromEnvironment
      ? "  → KAFKA_BROKERS names it: start that Kafka again, or unset KAFKA_BROKERS to let the kit find or start one"
      : "  → npm run services starts it again (or finds the one another checkout of the kit restarted)",
    `  → then run the step again: ${rerun}`,
    "  → npm run doctor says what is wrong if it does not come back",
  ].join("\n");
}
