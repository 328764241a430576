import { describe, expect, test } from "vitest";
import { DeadlineExceeded, eventually, until } from "../lib/eventually.ts";
import { Failpoints, InjectedFailure, noFailpoints } from "../lib/failpoints.ts";
import { Barrier, Latch, Signal } from "../lib/latch.ts";
import { isTodoError, todo, TodoError } from "../lib/todo.ts";

describe("todo()", () => {
  test("throws a TodoError that names the task", () => {
    expect(() => todo("write the deposit")).toThrow(TodoError);
    expect(() => todo("write the deposit")).toThrow("TODO: write the deposit");
  });

  test("is recognised by name, also once it has crossed a worker boundary as a plain object", () => {
    expect(isTodoError({ name: "TodoError", message: "TODO: x" })).toBe(true);
    expect(isTodoError(new Error("TODO: x"))).toBe(false);
  });
});

describe("eventually()", () => {
  test("returns the check's value once it passes", async () => {
    let calls = 0;
    const value = await eventually(() => {
      calls += 1;
      if (calls < 3) throw new Error("not yet");
      return "ready";
    }, { intervalMs: 1 });
    expect(value).toBe("ready");
    expect(calls).toBe(3);
  });

  test("fails at the deadline with the check's last error in the message", async () => {
    const attempt = eventually(() => {
      throw new Error("balance is 100, expected 150");
    }, { timeoutMs: 50, intervalMs: 5, what: "the projection to catch up" });
    await expect(attempt).rejects.toThrow(DeadlineExceeded);
    await expect(attempt).rejects.toThrow("the projection to catch up did not happen within 50 ms: balance is 100, expected 150");
  });

  test("until() waits for a boolean", async () => {
    let flag = false;
    queueMicrotask(() => (flag = true));
    await until(() => flag, { timeoutMs: 1_000, intervalMs: 1 });
    expect(flag).toBe(true);
  });
});

describe("Latch, Barrier, Signal", () => {
  test("a latch holds every waiter until it opens, and lets later ones straight through", async () => {
    const latch = new Latch();
    const order: string[] = [];
    const waiting = latch.wait().then(() => order.push("released"));
    await Promise.resolve();
    order.push("before open");
    latch.open();
    await waiting;
    await latch.wait();
    expect(order).toEqual(["before open", "released"]);
  });

  test("a barrier releases no party until all have arrived", async () => {
    const barrier = new Barrier(2);
    const order: string[] = [];
    const first = barrier.arrive().then(() => order.push("first passed"));
    await Promise.resolve();
    expect(barrier.arrived).toBe(1);
    expect(order).toEqual([]);
    const second = barrier.arrive().then(() => order.push("second passed"));
    await Promise.all([first, second]);
    expect(order.sort()).toEqual(["first passed", "second passed"]);
  });

  test("a barrier needs at least one party", () => {
    expect(() => new Barrier(0)).toThrow(RangeError);
  });

  test("a signal is received after it is sent", async () => {
    const signal = new Signal();
    expect(signal.sent).toBe(false);
    signal.send();
    await signal.received();
    expect(signal.sent).toBe(true);
  });
});

describe("Failpoints", () => {
  test("an armed point throws an InjectedFailure naming the point, every time", async () => {
    const points = new Failpoints().failAt("after-commit");
    await expect(points.reach("after-commit")).rejects.toThrow(InjectedFailure);
    await expect(points.reach("after-commit")).rejects.toThrow('injected failure at "after-commit"');
    await points.reach("before-commit");
    expect(points.timesReached("after-commit")).toBe(2);
    expect(points.timesReached("before-commit")).toBe(1);
  });

  test("failOnceAt fails the first pass only", async () => {
    const points = new Failpoints().failOnceAt("publish");
    await expect(points.reach("publish")).rejects.toThrow(InjectedFailure);
    await expect(points.reach("publish")).resolves.toBeUndefined();
  });

  test("a hook runs at its point, and clear() disarms it", async () => {
    const seen: string[] = [];
    const points = new Failpoints().on("after-read", () => void seen.push("hook"));
    await points.reach("after-read");
    points.clear("after-read");
    await points.reach("after-read");
    expect(seen).toEqual(["hook"]);
  });

  test("noFailpoints does nothing", async () => {
    await expect(noFailpoints.reach("anything")).resolves.toBeUndefined();
  });
});
