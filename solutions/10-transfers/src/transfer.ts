/**
 * A transfer as a process: what it is asked to do, what it has done so far, and what it must
 * do next. Pure functions; the saga (saga.ts) runs them against the writers and the log.
 *
 * A transfer's own events live on the transfers topic, keyed by transfer id:
 *
 *   TransferRequested   the desk accepted the request (checked: transfer.ts, Task 4)
 *   TransferCompleted   the target was credited: the money arrived
 *   TransferFailed      the debit was refused (nothing moved), or the credit was refused and
 *                       the debit refunded (money moved out and back: both are in the history)
 *
 * The legs in between — TransferDebited, TransferCredited, TransferRefunded — are the
 * ACCOUNTS' events (domain.ts), on the accounts topic, each in its own account's partition.
 */
import { z } from "zod";
import type { AccountRejection, AccountState, CreditForTransfer, DebitForTransfer, RefundTransfer, TransferLegEvent } from "./domain.ts";
import { accountIdSchema, amountSchema, firstReason, idSchema } from "./input.ts";

// ---------------------------------------------------------------------------
// The transfer's events.

export interface TransferRequest {
  transferId: string;
  from: string;
  to: string;
  /** Integer cents. */
  amount: number;
}

export type TransferRequested = { type: "TransferRequested"; data: TransferRequest };
export type TransferCompleted = { type: "TransferCompleted"; data: TransferRequest };
/** `reason` is the code of the refusal that ended it; `refunded` says whether money moved out and back. */
export type TransferFailed = { type: "TransferFailed"; data: TransferRequest & { reason: string; refunded: boolean } };

export type TransferEvent = TransferRequested | TransferCompleted | TransferFailed;

export const transferEventTypes = ["TransferRequested", "TransferCompleted", "TransferFailed"] as const satisfies ReadonlyArray<TransferEvent["type"]>;

// ---------------------------------------------------------------------------
// Requests: checked at the desk, before anything is written.

/** Why the desk refused a request. Nothing was written, nothing moved. */
export type TransferRejection =
  | { code: "INVALID_TRANSFER"; message: string }
  | { code: "SAME_ACCOUNT"; accountId: string; message: string }
  | { code: "UNKNOWN_ACCOUNT"; accountId: string; side: "from" | "to"; message: string }
  | { code: "TRANSFER_ID_REUSED"; transferId: string; earlier: TransferRequest; message: string };

export const transferRejections = {
  invalid: (message: string): TransferRejection => ({ code: "INVALID_TRANSFER", message }),
  sameAccount: (accountId: string): TransferRejection => ({
    code: "SAME_ACCOUNT",
    accountId,
    message: `a transfer from ${JSON.stringify(accountId)} to itself moves nothing: name two different accounts`,
  }),
  unknownAccount: (accountId: string, side: "from" | "to"): TransferRejection => ({
    code: "UNKNOWN_ACCOUNT",
    accountId,
    side,
    message: `the ${side === "from" ? "source" : "target"} account ${JSON.stringify(accountId)} does not exist`,
  }),
  transferIdReused: (transferId: string, earlier: TransferRequest): TransferRejection => ({
    code: "TRANSFER_ID_REUSED",
    transferId,
    earlier,
    message: `transfer id ${JSON.stringify(transferId)} was already used for ${earlier.amount} cents from ${JSON.stringify(earlier.from)} to ${JSON.stringify(earlier.to)}: a new transfer needs a new id`,
  }),
};

const requestSchema = z.object({ transferId: idSchema, from: accountIdSchema, to: accountIdSchema, amount: amountSchema });

/**
 * Given: the shape of a request, checked at the edge — ids that are ids, an amount that is a
 * positive whole number of cents. An INVALID_TRANSFER says what was wrong. Never throws.
 */
export function parseTransferRequest(input: unknown): { ok: true; request: TransferRequest } | { ok: false; rejection: TransferRejection } {
  const parsed = requestSchema.safeParse(input);
  if (!parsed.success) return { ok: false, rejection: transferRejections.invalid(firstReason(parsed.error)) };
  return { ok: true, request: parsed.data };
}

export type RequestDecision = { outcome: "new" } | { outcome: "repeat" } | { outcome: "rejected"; rejection: TransferRejection };

/** Given: two requests are the same when every field is. */
export function sameRequest(a: TransferRequest, b: TransferRequest): boolean {
  return a.transferId === b.transferId && a.from === b.from && a.to === b.to && a.amount === b.amount;
}

/**
 * Task 4 — check a transfer request.
 * A well-formed request, the two accounts' states and the request recorded earlier under the
 * same transfer id (if any) → "new" (record it), "repeat" (the same request again: record
 * nothing, it is already under way), or a rejection, checked in this order: the same account
 * on both sides (SAME_ACCOUNT); the id already used for a different transfer
 * (TRANSFER_ID_REUSED, carrying the earlier request); a source, then a target, that was never
 * opened (UNKNOWN_ACCOUNT, saying which side). Balances and freezing are NOT checked here:
 * they may change before the legs run, so the accounts' writers decide them.
 */
export function decideRequest(
  request: TransferRequest,
  { from, to, earlier }: { from: AccountState; to: AccountState; earlier: TransferRequest | undefined },
): RequestDecision {
  if (request.from === request.to) return refuse(transferRejections.sameAccount(request.from));
  if (earlier !== undefined) {
    return sameRequest(earlier, request) ? { outcome: "repeat" } : refuse(transferRejections.transferIdReused(request.transferId, earlier));
  }
  if (from.status !== "open") return refuse(transferRejections.unknownAccount(request.from, "from"));
  if (to.status !== "open") return refuse(transferRejections.unknownAccount(request.to, "to"));
  return { outcome: "new" };
}

function refuse(rejection: TransferRejection): RequestDecision {
  return { outcome: "rejected", rejection };
}

// ---------------------------------------------------------------------------
// Progress: what the saga knows of one transfer, and what it must do next.

/** A leg not yet asked for, done (now or earlier: the account says so), or refused by the account. */
export type LegStatus = { status: "pending" } | { status: "done" } | { status: "refused"; rejection: AccountRejection };

export interface TransferProgress {
  request: TransferRequest;
  debit: LegStatus;
  credit: LegStatus;
  /** The compensation, with the reason it was made. */
  refund: { status: "pending" } | { status: "done"; reason: string };
  outcome: "pending" | "completed" | "failed";
}

export type Leg = "debit" | "credit" | "refund";

/** The saga's next move: ask an account for a leg, record the end, or stop. */
export type SagaStep =
  | { type: "debit"; command: DebitForTransfer }
  | { type: "credit"; command: CreditForTransfer }
  | { type: "refund"; command: RefundTransfer }
  | { type: "complete"; event: TransferCompleted }
  | { type: "fail"; event: TransferFailed }
  | { type: "finished" };

/** Given: a transfer that has only been requested. */
export function startProgress(request: TransferRequest): TransferProgress {
  return { request, debit: { status: "pending" }, credit: { status: "pending" }, refund: { status: "pending" }, outcome: "pending" };
}

/**
 * Given: what the log says about a transfer — the legs the accounts recorded for it and its own
 * events. A refusal is not an event (nothing happened), so a saga that resumes sees a refused
 * leg as pending and asks again: the account decides afresh, on its state of now.
 */
export function progressFromLog(request: TransferRequest, legs: readonly TransferLegEvent[], transferEvents: readonly TransferEvent[]): TransferProgress {
  let progress = startProgress(request);
  for (const leg of legs) {
    if (leg.data.transferId !== request.transferId) continue;
    if (leg.type === "TransferDebited") progress = { ...progress, debit: { status: "done" } };
    if (leg.type === "TransferCredited") progress = { ...progress, credit: { status: "done" } };
    if (leg.type === "TransferRefunded") progress = { ...progress, refund: { status: "done", reason: leg.data.reason } };
  }
  for (const event of transferEvents) {
    if (event.data.transferId !== request.transferId) continue;
    if (event.type === "TransferCompleted") progress = { ...progress, outcome: "completed" };
    if (event.type === "TransferFailed") progress = { ...progress, outcome: "failed" };
  }
  return progress;
}

/** Given: the progress after an account answered a leg. Accepted (even with no events: "already done") is done. */
export function afterAnswer(
  progress: TransferProgress,
  leg: Leg,
  answer: { outcome: "accepted" } | { outcome: "rejected"; rejection: AccountRejection },
): TransferProgress {
  if (leg === "refund") {
    // A refund refused means there was no debit to give back: a bug in the saga, not a domain outcome.
    if (answer.outcome === "rejected") throw new RefundRefused(progress.request, answer.rejection);
    return { ...progress, refund: { status: "done", reason: progress.credit.status === "refused" ? progress.credit.rejection.code : "refunded" } };
  }
  const status: LegStatus = answer.outcome === "accepted" ? { status: "done" } : { status: "refused", rejection: answer.rejection };
  return { ...progress, [leg]: status };
}

/** The refund of a debit was refused: the saga's own bookkeeping is wrong. */
export class RefundRefused extends Error {
  override readonly name = "RefundRefused";

  constructor(
    readonly request: TransferRequest,
    readonly rejection: AccountRejection,
  ) {
    super(`the refund of transfer ${JSON.stringify(request.transferId)} was refused: ${rejection.message}`);
  }
}

/**
 * Task 2 — the saga's next step.
 * From what is known of a transfer, the one thing to do next. In this order: a transfer that
 * has its outcome is finished; a refunded transfer fails (refunded: true, reason: the refund's
 * reason); a credited one completes; a refused credit is compensated by a refund of the source
 * (reason: the credit's rejection code); a debited one is credited to the target; a refused
 * debit fails (refunded: false, reason: the debit's rejection code); anything else starts with
 * the debit of the source. Commands and events carry the request's transfer id, accounts and
 * amount.
 */
export function nextStep(progress: TransferProgress): SagaStep {
  const { request } = progress;
  const { transferId, from, to, amount } = request;
  if (progress.outcome !== "pending") return { type: "finished" };
  if (progress.refund.status === "done") {
    return { type: "fail", event: { type: "TransferFailed", data: { ...request, reason: progress.refund.reason, refunded: true } } };
  }
  if (progress.credit.status === "done") return { type: "complete", event: { type: "TransferCompleted", data: request } };
  if (progress.credit.status === "refused") {
    return { type: "refund", command: { type: "RefundTransfer", data: { accountId: from, transferId, reason: progress.credit.rejection.code } } };
  }
  if (progress.debit.status === "done") return { type: "credit", command: { type: "CreditForTransfer", data: { accountId: to, transferId, amount } } };
  if (progress.debit.status === "refused") {
    return { type: "fail", event: { type: "TransferFailed", data: { ...request, reason: progress.debit.rejection.code, refunded: false } } };
  }
  return { type: "debit", command: { type: "DebitForTransfer", data: { accountId: from, transferId, amount } } };
}
