/**
 * A decider, and given/when/then specifications for one (exported by #kit/testing):
 *
 *   const given = specification({ decide, evolve, initialState });
 *   given(opened("alice"), deposited("alice", 100)).when(withdraw("alice", 30)).then(withdrawn("alice", 30));
 *   given().when(deposit("bob", 10)).thenRejects({ code: "ACCOUNT_NOT_FOUND" });
 *
 * The decider's three parts are pure: `decide` turns a command and the current state into new
 * events or a typed rejection, `evolve` applies one event to a state, `initialState` is where
 * every fold starts. They take their state and events Readonly: a decider that changed the
 * state it was given would change the history's fold under a caller's feet, and the compiler
 * refuses it.
 */
import { expect } from "vitest";

/** What a decider answers: the events to append, or why the command is refused. */
export type Decision<Event, Rejection> = { outcome: "accepted"; events: Event[] } | { outcome: "rejected"; rejection: Rejection };

/**
 * `Recorded` is the event as `evolve` reads it, when that is more than what `decide` emits
 * (step 08's evolve needs each event's id, which only the log gives it).
 */
export interface Decider<Command, Event, State, Rejection, Recorded = Event> {
  decide(command: Readonly<Command>, state: Readonly<State>): Decision<Event, Rejection>;
  evolve(state: Readonly<State>, event: Readonly<Recorded>): State;
  initialState: Readonly<State>;
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
    const state = (): State => record(history).reduce<State>((folded, event) => decider.evolve(folded, event), decider.initialState as State);
    return {
      thenState: (expected) => expect(state()).toEqual(expected),
      thenStateIncludes: (expected) => expect(state()).toMatchObject(expected),
      when: (command) => {
        const decision = () => decider.decide(command, state());
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
