/**
 * Old events never leave the log. Step 05's code wrote version 1: money events without a
 * currency. This step's code writes and folds version 2 only, so every version 1 event is
 * upcast when it is read — turned, in memory, into the version 2 event it would have been.
 * The record on the log keeps its version 1 bytes for ever; nothing is rewritten.
 *
 * The version 1 schema below is frozen: it describes what is on the log, not what the code
 * writes today. When version 3 comes, a `upcastV2` joins this one, and a version 1 event
 * goes through both.
 */
import { z } from "zod";
import { WALLET_CURRENCY } from "./domain.ts";
import type { EventEnvelope } from "./envelope-shape.ts";
import { accountIdSchema, amountSchema, idSchema } from "./input.ts";

/** Given: version 1 metadata, as step 05 wrote it. */
export interface EventMetadataV1 {
  eventId: string;
  accountId: string;
  occurredAt: string;
  schemaVersion: 1;
  causationId: string;
  correlationId: string;
}

/** Given: the version 1 events: step 05's three, amounts in cents, no currency (they were all euros). */
export type EventV1 =
  | { type: "AccountOpened"; data: { accountId: string }; metadata: EventMetadataV1 }
  | { type: "MoneyDeposited"; data: { accountId: string; amount: number }; metadata: EventMetadataV1 }
  | { type: "MoneyWithdrawn"; data: { accountId: string; amount: number }; metadata: EventMetadataV1 };

const metadataV1 = z.object({
  eventId: idSchema,
  accountId: accountIdSchema,
  occurredAt: z.iso.datetime({ error: "occurredAt must be an ISO 8601 UTC time" }),
  schemaVersion: z.literal(1),
  causationId: idSchema,
  correlationId: idSchema,
});

const moneyV1 = z.object({ accountId: accountIdSchema, amount: amountSchema });

/** Given: the schema of a version 1 event. zod's objects drop keys they do not know. */
export const eventV1Schema: z.ZodType<EventV1> = z.discriminatedUnion(
  "type",
  [
    z.object({ type: z.literal("AccountOpened"), data: z.object({ accountId: accountIdSchema }), metadata: metadataV1 }),
    z.object({ type: z.literal("MoneyDeposited"), data: moneyV1, metadata: metadataV1 }),
    z.object({ type: z.literal("MoneyWithdrawn"), data: moneyV1, metadata: metadataV1 }),
  ],
  { error: (issue) => `unknown version 1 event type ${JSON.stringify((issue.input as { type?: unknown } | undefined)?.type)}` },
);

/**
 * Task 3 — upcast version 1 events when read.
 * The version 2 event a version 1 event stands for: the same type, ids, time, cause and
 * correlation, schemaVersion 2, and — for MoneyDeposited and MoneyWithdrawn — the currency
 * version 1 left unsaid, WALLET_CURRENCY. A pure function: it never fails for a valid
 * version 1 event, and it does not touch the event it is given.
 */
export function upcast(event: EventV1): EventEnvelope {
  const metadata = { ...event.metadata, schemaVersion: 2 as const };
  switch (event.type) {
    case "AccountOpened":
      return { type: event.type, data: { ...event.data }, metadata };
    case "MoneyDeposited":
    case "MoneyWithdrawn":
      return { type: event.type, data: { ...event.data, currency: WALLET_CURRENCY }, metadata };
  }
}
