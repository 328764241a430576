/**
 * A decider, and given/when/then specifications for one (exported by #kit/testing):
 *
 *   const given = specification({ decide, evolve, initialState });
 *   given(opened("alice"), deposited("alice", 100)).when(withdraw("alice", 30)).then(withdrawn("alice", 30));
 *   given().when(deposit("bob", 10)).thenRejects({ code: "ACCOUNT_NOT_FOUND" });
 *
 * The decider's three parts are pure: `decide` turns a command and the current state into new
 * events or a typed rejection, `evolve` applies one event to a state, `initialState` is where
 * every fold starts. A decider that changed the state or an event it was given would change the
 * history's fold under a caller's feet, so a function typed through `Decider` gets them
 * DeepReadonly: assigning to any field, nested ones (`event.data.amount`) included, does not
 * compile. That is all the compiler enforces: a step's own `evolve(state: State, …)` declared
 * with mutable types, then assigned to a Decider, is accepted (method parameters are bivariant),
 * which is why steps 05–08 declare their events' and commands' `data` readonly too.
 */
import { expect } from "vitest";

/** T with every field, at every depth, readonly (arrays become readonly arrays). */
export type DeepReadonly<T> = T extends (...args: never[]) => unknown
  ? T
  : T extends readonly (infer Item)[]
    ? readonly DeepReadonly<Item>[]
    : T extends object
      ? { readonly [Key in keyof T]: DeepReadonly<T[Key]> }
      : T;

/** What a decider answers: the events to append, or why the command is refused. */
export type Decision<Event, Rejection> = { outcome: "accepted"; events: Event[] } | { outcome: "rejected"; rejection: Rejection };

/**
 * `Recorded` is the event as `evolve` reads it, when that is more than what `decide` emits
 * (step 08's evolve needs each event's id, which only the log gives it).
 */
export interface Decider<Command, Event, State, Rejection, Recorded = Event> {
  decide(command: DeepReadonly<Command>, state: DeepReadonly<State>): Decision<Event, Rejection>;
  evolve(state: DeepReadonly<State>, event: DeepReadonly<Recorded>): State;
  initialState: DeepReadonly<State>;
}

/** A rejection names its reason with a code, and says it in words. */
export interface Rejection {
  code: string;
  message: string;
}

export interface Given<Command, Event, State, R extends Rejection> {
  /** The state the history folds into, exactly. */
  thenState(expected: State): void;
  /** The state the history folds into, checked only on the fields given. */
  thenStateIncludes(expected: Partial<State> | Record<string, unknown>): void;
  when(command: Command): {
    /** The command is accepted with exactly these events. */
    then(...expected: Event[]): void;
    /** The command is refused with this code (and these fields), a message in words, and no event. */
    thenRejects(expected: Partial<R> & Pick<R, "code">): void;
  };
}

/** Specifications for a decider whose evolve reads the events decide emits. */
export function specification<Command, Event, State, R extends Rejection>(
  decider: Decider<Command, Event, State, R>,
): (...history: Event[]) => Given<Command, Event, State, R>;
/** Specifications for a decider whose evolve reads recorded events: `record` turns a written history into them. */
export function specification<Command, Event, State, R extends Rejection, Recorded>(
  decider: Decider<Command, Event, State, R, Recorded>,
  record: (history: readonly Event[]) => readonly Recorded[],
): (...history: Event[]) => Given<Command, Event, State, R>;
export function specification<Command, Event, State, R extends Rejection, Recorded>(
  decider: Decider<Command, Event, State, R, Recorded>,
  // The default serves the first overload only, where Recorded is Event: the cast changes no value.
  record: (history: readonly Event[]) => readonly Recorded[] = (history) => history as readonly unknown[] as readonly Recorded[],
): (...history: Event[]) => Given<Command, Event, State, R> {
  return (...history) => {
    // A value is its own DeepReadonly view: TypeScript cannot see that for a generic type, so the
    // views are cast (no value changes; the decider only reads them).
    const view = <T>(value: T) => value as DeepReadonly<T>;
    const state = (): State =>
      record(history).reduce<State>((folded, event) => decider.evolve(view(folded), view(event)), decider.initialState as State);
    return {
      thenState: (expected) => expect(state()).toEqual(expected),
      thenStateIncludes: (expected) => expect(state()).toMatchObject(expected),
      when: (command) => {
        const decision = () => decider.decide(view(command), view(state()));
        return {
          then: (...expected) => expect(decision()).toEqual({ outcome: "accepted", events: expected }),
          thenRejects: (expected) => {
            const answer = decision();
            expect(answer.outcome, `expected a rejection, got ${JSON.stringify(answer)}`).toBe("rejected");
            expect(answer).toMatchObject({ rejection: expected });
            if (answer.outcome === "rejected") expect(answer.rejection.message.trim()).not.toBe("");
          },
        };
      },
    };
  };
}
