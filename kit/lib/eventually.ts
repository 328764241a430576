/**
 * Polling with a deadline: the only way the kit's tests wait.
 *
 * A fixed sleep is either too short on a slow laptop (a flaky test) or too long on a
 * fast one (a slow suite). `eventually` retries a check until it passes or the deadline
 * is reached, and then fails with the check's own last error, so the message says what
 * was still wrong.
 */
export class DeadlineExceeded extends Error {
  override readonly name = "DeadlineExceeded";

  constructor(what: string, timeoutMs: number, readonly lastError: unknown) {
    super(
      `${what} did not happen within ${timeoutMs} ms` +
        (lastError instanceof Error ? `: ${lastError.message}` : lastError === undefined ? "" : `: ${String(lastError)}`),
    );
  }
}

export interface EventuallyOptions {
  timeoutMs?: number;
  intervalMs?: number;
  /** What we are waiting for, for the error message: "the consumer to join its group". */
  what?: string;
}

export async function eventually<T>(check: () => T | Promise<T>, options: EventuallyOptions = {}): Promise<T> {
  const { timeoutMs = 10_000, intervalMs = 25, what = "the condition" } = options;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) throw new DeadlineExceeded(what, timeoutMs, lastError);
    await pause(intervalMs);
  }
}

/** Waits until `condition` returns true; `eventually` for a plain boolean. */
export async function until(condition: () => boolean | Promise<boolean>, options: EventuallyOptions = {}): Promise<void> {
  await eventually(async () => {
    if (!(await condition())) throw new Error("still false");
  }, options);
}

/** The polling interval, not a way to wait for something to happen: use `eventually` for that. */
function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
