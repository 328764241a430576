/**
 * #kit/replay-story: the log step 07's rebuilds replay — a deterministic story of many accounts.
 * `npm run seed` writes it to your replay topic, and step 07's tests and benchmark write it to
 * theirs; it lives in the kit so that the kit's commands depend on no step.
 *
 * `storyEvents` writes the same events for the same options on every run: the accounts
 * are opened first, then deposits and withdrawals that never overdraw, with times spread
 * evenly over many months (so each account has a statement for most months). Values are
 * kept short (a million of them fit in about 250 MB) but are real envelopes of the wallet's
 * events, version 1, as steps 05 to 07 write them: step 07 parses them with the same
 * `parseEvent` as any consumer (its test/workload.test.ts checks that it can).
 */
import type { Producer } from "./kafka.ts";

/** A wallet event in its envelope, version 1: the shape of step 07's `EventEnvelope`. */
export type StoryEvent = StoryWalletEvent & {
  metadata: { eventId: string; accountId: string; occurredAt: string; schemaVersion: 1; causationId: string; correlationId: string };
};

type StoryWalletEvent =
  | { type: "AccountOpened"; data: { accountId: string } }
  | { type: "MoneyDeposited"; data: { accountId: string; amount: number } }
  | { type: "MoneyWithdrawn"; data: { accountId: string; amount: number } };

/** The Kafka record of a story event: keyed by account, the envelope as JSON, its type in a header. */
export function storyRecord(event: StoryEvent): { key: string; value: string; headers: Record<string, string> } {
  return { key: event.metadata.accountId, value: JSON.stringify(event), headers: { "event-type": event.type } };
}

export interface StoryOptions {
  /** How many events. */
  count: number;
  /** How many accounts share them; each is opened before it is used. */
  accounts?: number;
  /** The same seed gives the same events. */
  seed?: number;
  /** Tells apart the accounts and event ids of a second story written to the same topic. */
  generation?: number;
  /** The time of the first event; the others follow, spread over `months` months. */
  start?: string;
  months?: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;

export function accountOf(generation: number, index: number): string {
  return `a${generation}-${index}`;
}

/** The events of the story, one at a time: a million of them are never all in memory. */
export function* storyEvents({ count, accounts = 1_000, seed = 7, generation = 0, start = "2024-01-01T00:00:00.000Z", months = 24 }: StoryOptions): Generator<StoryEvent> {
  const random = mulberry32(seed + generation * 7_919);
  const opened = Math.min(accounts, count);
  const balances = new Array<number>(opened).fill(0);
  const startMs = Date.parse(start);
  // Evenly spread: event i happens i steps after the start, whatever the count.
  const stepMs = Math.max(1, Math.floor((months * 30 * DAY_MS) / Math.max(1, count)));
  for (let i = 0; i < count; i++) {
    const index = i < opened ? i : Math.floor(random() * opened);
    const accountId = accountOf(generation, index);
    let event: StoryWalletEvent;
    if (i < opened) {
      event = { type: "AccountOpened", data: { accountId } };
    } else {
      const balance = balances[index]!;
      // About four in ten are withdrawals, never of more than the balance.
      if (balance > 0 && random() < 0.4) {
        const amount = 1 + Math.floor(random() * Math.min(balance, 50_000));
        balances[index] = balance - amount;
        event = { type: "MoneyWithdrawn", data: { accountId, amount } };
      } else {
        const amount = 100 + Math.floor(random() * 99_900);
        balances[index] = balance + amount;
        event = { type: "MoneyDeposited", data: { accountId, amount } };
      }
    }
    const id = `g${generation}e${i}`;
    yield {
      ...event,
      metadata: { eventId: id, accountId, occurredAt: new Date(startMs + i * stepMs).toISOString(), schemaVersion: 1, causationId: id, correlationId: "seed" },
    };
  }
}

/**
 * Appends events in large sends (keyed by account: each account's events stay in one
 * partition, in order), acknowledged by the broker before the next send. Returns how many.
 */
export async function writeEvents(
  producer: Producer,
  topic: string,
  events: Iterable<StoryEvent>,
  { batchSize = 5_000, onProgress }: { batchSize?: number; onProgress?: (written: number) => void } = {},
): Promise<number> {
  let written = 0;
  let batch: StoryEvent[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    await producer.send({ topic, acks: -1, messages: batch.map(storyRecord) });
    written += batch.length;
    batch = [];
    onProgress?.(written);
  };
  for (const event of events) {
    batch.push(event);
    if (batch.length >= batchSize) await flush();
  }
  await flush();
  return written;
}

/** A small, fast, seeded random number generator: the same seed, the same numbers, on every machine. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
