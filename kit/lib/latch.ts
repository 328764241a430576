/**
 * Tools to force an interleaving between concurrent operations, so that a race
 * happens on every run instead of once in a while.
 */

/** A one-shot gate: `wait()` blocks until someone calls `open()`. */
export class Latch {
  #open = false;
  readonly #waiters: Array<() => void> = [];

  get isOpen(): boolean {
    return this.#open;
  }

  open(): void {
    this.#open = true;
    for (const wake of this.#waiters.splice(0)) wake();
  }

  wait(): Promise<void> {
    if (this.#open) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push(resolve));
  }
}

/**
 * A meeting point for `parties` operations: each `arrive()` waits until all have
 * arrived, then all go on together. Two readers that both arrive after reading and
 * before writing have both read the old value: the lost update is then certain.
 */
export class Barrier {
  #arrived = 0;
  readonly #allHere = new Latch();

  constructor(readonly parties: number) {
    if (!Number.isInteger(parties) || parties < 1) throw new RangeError(`a barrier needs at least one party, got ${parties}`);
  }

  get arrived(): number {
    return this.#arrived;
  }

  async arrive(): Promise<void> {
    this.#arrived += 1;
    if (this.#arrived >= this.parties) this.#allHere.open();
    await this.#allHere.wait();
  }
}

/**
 * A signal one side sends and the other awaits, with the moment recorded:
 * "the reader has read" → the test may now run the writer.
 */
export class Signal {
  readonly #latch = new Latch();

  get sent(): boolean {
    return this.#latch.isOpen;
  }

  send(): void {
    this.#latch.open();
  }

  received(): Promise<void> {
    return this.#latch.wait();
  }
}
