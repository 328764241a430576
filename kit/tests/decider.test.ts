/**
 * #kit/testing's decider and its given/when/then, on a counter small enough to read at a
 * glance: each specification passes when the decider does what it says, and fails when it
 * does not. The compile-time half — a decider may not change the state or event it is
 * given — is checked by the type-check (`npm test` runs tsc over this file).
 */
import { describe, expect, test } from "vitest";
import { specification, type Decider, type Decision } from "../lib/decider.ts";

type Command = { type: "Add"; amount: number };
type Event = { type: "Added"; amount: number };
type State = { total: number };
type Refusal = { code: "TOO_MUCH"; message: string; limit: number };

const counter: Decider<Command, Event, State, Refusal> = {
  initialState: { total: 0 },
  evolve: (state, event) => ({ total: state.total + event.amount }),
  decide: (command, state): Decision<Event, Refusal> =>
    state.total + command.amount > 10
      ? { outcome: "rejected", rejection: { code: "TOO_MUCH", message: `the total may not pass 10`, limit: 10 } }
      : { outcome: "accepted", events: [{ type: "Added", amount: command.amount }] },
};

const given = specification(counter);
const added = (amount: number): Event => ({ type: "Added", amount });
const add = (amount: number): Command => ({ type: "Add", amount });

describe("given/when/then for a decider", () => {
  test("GIVEN a history WHEN it is folded THEN thenState checks the whole state and thenStateIncludes the fields named", () => {
    given(added(2), added(3)).thenState({ total: 5 });
    given(added(2), added(3)).thenStateIncludes({ total: 5 });
    expect(() => given(added(2)).thenState({ total: 5 })).toThrow();
  });

  test("GIVEN a command WHEN decided THEN then checks the events exactly, thenRejects the refusal", () => {
    given(added(4)).when(add(6)).then(added(6));
    given(added(4)).when(add(7)).thenRejects({ code: "TOO_MUCH", limit: 10 });
    expect(() => given(added(4)).when(add(6)).then(added(5))).toThrow();
    expect(() => given(added(4)).when(add(6)).thenRejects({ code: "TOO_MUCH" })).toThrow(/expected a rejection/);
    expect(() => given(added(4)).when(add(7)).then(added(7))).toThrow();
  });

  test("GIVEN a decider whose evolve reads recorded events WHEN specified THEN record turns the written history into them", () => {
    type Recorded = Event & { position: number };
    const positions: number[] = [];
    const recorded: Decider<Command, Event, State, Refusal, Recorded> = {
      ...counter,
      evolve: (state, event) => (positions.push(event.position), { total: state.total + event.amount }),
    };
    specification(recorded, (history) => history.map((event, position) => ({ ...event, position })))(added(1), added(1)).thenState({ total: 2 });
    expect(positions).toEqual([0, 1]);
  });

  test("GIVEN a decider that changes the state or the event it is given THEN it does not compile (checked by the type-check)", () => {
    const mutating: Decider<Command, Event, State, Refusal> = {
      ...counter,
      evolve: (state, event) => {
        // @ts-expect-error the state a decider is given is Readonly
        state.total += event.amount;
        // @ts-expect-error so is the event
        event.amount = 0;
        return state;
      },
    };
    expect(typeof mutating.evolve).toBe("function");
  });

  test("GIVEN events and state with nested data WHEN a decider changes a nested field THEN it does not compile either (checked by the type-check)", () => {
    // The steps' events carry their fields in `data`: Readonly<T> would protect only `event.data`
    // itself, and `event.data.amount = 0` would compile. Decider's parameters are DeepReadonly.
    type Deposited = { type: "Deposited"; data: { accountId: string; amount: number } };
    type Account = { balance: number; history: { amount: number }[] };
    const mutating: Decider<Deposited, Deposited, Account, Refusal> = {
      initialState: { balance: 0, history: [] },
      decide: (command) => ({ outcome: "accepted", events: [{ type: "Deposited", data: { ...command.data } }] }),
      evolve: (state, event) => {
        // @ts-expect-error a nested field of the event is readonly
        event.data.amount = 0;
        // @ts-expect-error a nested array of the state is readonly
        state.history.push({ amount: event.data.amount });
        // @ts-expect-error and so are its elements
        state.history[0]!.amount = 1;
        return { balance: state.balance + event.data.amount, history: [...state.history, { amount: event.data.amount }] };
      },
    };
    expect(typeof mutating.evolve).toBe("function");
  });
});
