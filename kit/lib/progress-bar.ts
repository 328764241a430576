/**
 * #kit/progress-bar: what a long replay prints — a progress bar, the rate, and what the rate
 * means for a production-sized log. Used by `npm run seed`, `npm run rebuild` and step 07's
 * benchmark. It is no part of a lesson, so it lives in the kit, not in a step.
 */

/** "at this rate 100 million events take about 2.3 hours" — the meetup's "deploys take hours", from your machine. */
export function extrapolate(eventsPerSecond: number, events = 100_000_000): string {
  // A replay that read nothing measured no rate: there is nothing to extrapolate from.
  if (!(eventsPerSecond > 0) || !Number.isFinite(eventsPerSecond)) return "nothing read, no rate";
  const hours = events / eventsPerSecond / 3600;
  return `at this rate ${events >= 1_000_000 ? `${events / 1_000_000} million` : events.toLocaleString("en-US")} events take about ${hours < 10 ? hours.toFixed(1) : Math.round(hours).toLocaleString("en-US")} hours`;
}

export interface ProgressOutput {
  isTTY?: boolean;
  write(text: string): unknown;
}

/**
 * A bar redrawn in place on a terminal; on anything else (a CI log, a pipe) one line per
 * tenth of the way, so a log never fills with thousands of lines.
 */
export class ProgressBar {
  readonly #started = performance.now();
  #done = 0;
  #lastTenth = 0;
  #lastDraw = 0;

  constructor(
    readonly label: string,
    readonly total: number,
    readonly out: ProgressOutput = process.stdout,
  ) {}

  /** Adds `count` to what is done. */
  advance(count: number): void {
    this.#done += count;
    const now = performance.now();
    if (this.out.isTTY) {
      // A redraw costs a write: ten a second is smooth enough.
      if (now - this.#lastDraw >= 100 || this.#done >= this.total) {
        this.#lastDraw = now;
        this.out.write(`\r${this.line()}`);
      }
      return;
    }
    const tenth = this.total > 0 ? Math.floor((this.#done / this.total) * 10) : 10;
    if (tenth > this.#lastTenth) {
      this.#lastTenth = tenth;
      this.out.write(`${this.line()}\n`);
    }
  }

  /** Ends the bar's line; returns the seconds it took. */
  finish(): number {
    if (this.out.isTTY) this.out.write(`\r${this.line()}\n`);
    return this.seconds();
  }

  seconds(): number {
    return (performance.now() - this.#started) / 1000;
  }

  rate(): number {
    const seconds = this.seconds();
    return seconds > 0 ? this.#done / seconds : 0;
  }

  line(): string {
    const fraction = this.total > 0 ? Math.min(1, this.#done / this.total) : 1;
    const width = 30;
    const filled = Math.round(fraction * width);
    return `${this.label} [${"#".repeat(filled)}${".".repeat(width - filled)}] ${(fraction * 100).toFixed(0).padStart(3)}%  ${this.#done.toLocaleString("en-US")}/${this.total.toLocaleString("en-US")}  ${Math.round(this.rate()).toLocaleString("en-US")} events/s`;
  }
}
