/** Does an architecture keep a guarantee? */
export type Verdict = "holds" | "broken" | "n/a";

/** What one test claims to prove: in its step, `design` keeps or breaks `guarantee`. */
export interface LedgerClaim {
  guarantee: string;
  design: string;
  verdict: Exclude<Verdict, "n/a">;
}

export interface Guarantee {
  id: string;
  title: string;
}

/** One cell of the ledger: a design of a step, and whether it keeps a guarantee. */
export interface Cell {
  guarantee: string;
  step: string;
  /** The variant of the step's architecture, e.g. "naive read-modify-write" or "atomic update". */
  design: string;
  verdict: Verdict;
  /** For "n/a", why the question does not arise; otherwise one line on why it holds or breaks. */
  why: string;
}

/** One step's column of the ledger: every guarantee answered at least once. */
export interface Column {
  step: string;
  cells: Cell[];
}
