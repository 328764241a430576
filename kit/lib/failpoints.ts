/**
 * Named points in the code where a test can inject a failure or a pause.
 *
 * Production code calls `await points.reach("after-commit")` at the places where a
 * crash matters. By default nothing happens. A test arms a point to throw (a crash
 * exactly there) or to run a hook (wait on a latch, record the moment).
 */
export class InjectedFailure extends Error {
  override readonly name = "InjectedFailure";

  constructor(readonly point: string) {
    super(`injected failure at "${point}"`);
  }
}

type Action = () => void | Promise<void>;

export class Failpoints {
  readonly #actions = new Map<string, Action>();
  readonly #reached = new Map<string, number>();

  /** The next time (and every time) code reaches `point`, it throws an InjectedFailure. */
  failAt(point: string): this {
    this.#actions.set(point, () => {
      throw new InjectedFailure(point);
    });
    return this;
  }

  /** Only the first time code reaches `point` does it fail; later passes go through. */
  failOnceAt(point: string): this {
    this.#actions.set(point, () => {
      this.#actions.delete(point);
      throw new InjectedFailure(point);
    });
    return this;
  }

  /** Runs `action` whenever code reaches `point` (await a latch, send a signal, …). */
  on(point: string, action: Action): this {
    this.#actions.set(point, action);
    return this;
  }

  clear(point: string): this {
    this.#actions.delete(point);
    return this;
  }

  /** How many times code reached `point`, armed or not. */
  timesReached(point: string): number {
    return this.#reached.get(point) ?? 0;
  }

  async reach(point: string): Promise<void> {
    this.#reached.set(point, this.timesReached(point) + 1);
    await this.#actions.get(point)?.();
  }
}

/** The default for code that takes failpoints: every point is a no-op. */
export const noFailpoints: Pick<Failpoints, "reach"> = { reach: async () => {} };

export type FailpointHook = Pick<Failpoints, "reach">;
