/**
 * Given: the contract between the wallet and every service downstream of it — the events
 * the wallet publishes, how they travel as JSON, and how a reader checks them.
 *
 * This is the only thing the two sides share. The wallet may rename, split or move its
 * tables as it likes, as long as it keeps writing these events; a reader never sees the
 * wallet's schema (compare with shared-database.ts).
 *
 * Pure: no database, no Kafka. Ids arrive from the caller; nothing here reads a clock or
 * draws a random number.
 */
import { z } from "zod";

/** The version of the payload this code writes and reads. A reader refuses versions it does not know. */
export const EVENT_VERSION = 1;

export interface EventMetadata {
  /** Unique per change: what a consumer deduplicates on. */
  eventId: string;
  version: typeof EVENT_VERSION;
}

/** What changed on an account. Amounts and balances are integer cents. */
export interface BalanceChange {
  accountId: string;
  amount: number;
  balanceAfter: number;
}

export type WalletEvent =
  | { type: "Deposited"; data: BalanceChange; metadata: EventMetadata }
  | { type: "Withdrawn"; data: BalanceChange; metadata: EventMetadata };

export function deposited(eventId: string, change: BalanceChange): WalletEvent {
  return { type: "Deposited", data: change, metadata: { eventId, version: EVENT_VERSION } };
}

export function withdrawn(eventId: string, change: BalanceChange): WalletEvent {
  return { type: "Withdrawn", data: change, metadata: { eventId, version: EVENT_VERSION } };
}

/** What an event does to a balance: + for a deposit, − for a withdrawal. */
export function signedAmount(event: WalletEvent): number {
  switch (event.type) {
    case "Deposited":
      return event.data.amount;
    case "Withdrawn":
      return -event.data.amount;
    default:
      return unreachable(event);
  }
}

// ---------------------------------------------------------------------------
// On the wire: JSON text.

export function encodeEvent(event: WalletEvent): string {
  return JSON.stringify(event);
}

/** Why a payload is not an event this code can use. The payload is kept, as it was, for a person to look at. */
export abstract class EventRejected extends Error {
  abstract readonly code: string;

  constructor(
    /** The payload as it arrived, untouched. */
    readonly payload: string | null,
    readonly reason: string,
  ) {
    super(reason);
  }
}

export class MalformedEvent extends EventRejected {
  override readonly name = "MalformedEvent";
  readonly code = "MALFORMED_EVENT";

  constructor(payload: string | null, reason: string) {
    super(payload, `malformed event: ${reason}`);
  }
}

export class UnknownEventVersion extends EventRejected {
  override readonly name = "UnknownEventVersion";
  readonly code = "UNKNOWN_EVENT_VERSION";

  constructor(
    payload: string,
    readonly version: unknown,
  ) {
    super(payload, `unknown event version ${JSON.stringify(version)}: this code reads version ${EVENT_VERSION}`);
  }
}

const balanceChangeSchema = z.object({
  accountId: z.string().min(1),
  amount: z.number().int().positive(),
  balanceAfter: z.number().int().nonnegative(),
});

const metadataSchema = z.object({ eventId: z.uuid(), version: z.literal(EVENT_VERSION) });

const eventSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("Deposited"), data: balanceChangeSchema, metadata: metadataSchema }),
  z.object({ type: z.literal("Withdrawn"), data: balanceChangeSchema, metadata: metadataSchema }),
]);

/** Just enough of any version to read which version it is. */
const versionSchema = z.object({ metadata: z.object({ version: z.unknown() }) });

/**
 * The event in `payload`, checked; or MalformedEvent (not JSON, or not the shape of an
 * event) or UnknownEventVersion (a shape from a newer or older writer), saying what was wrong.
 */
export function decodeEvent(payload: string | null): WalletEvent {
  if (payload === null || payload === "") throw new MalformedEvent(payload, "the payload is empty");
  let json: unknown;
  try {
    json = JSON.parse(payload);
  } catch (error) {
    throw new MalformedEvent(payload, `not JSON (${(error as Error).message})`);
  }
  // The version first: a version-2 event is not "malformed", it is from a writer this code predates.
  const versioned = versionSchema.safeParse(json);
  if (!versioned.success) throw new MalformedEvent(payload, "no metadata.version");
  if (versioned.data.metadata.version !== EVENT_VERSION) throw new UnknownEventVersion(payload, versioned.data.metadata.version);
  const event = eventSchema.safeParse(json);
  if (!event.success) throw new MalformedEvent(payload, describeIssue(event.error));
  return event.data;
}

function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return "not a wallet event";
  return `${issue.path.join(".") || "the event"}: ${issue.message}`;
}

function unreachable(value: never): never {
  throw new TypeError(`unexpected event ${JSON.stringify(value)}`);
}
