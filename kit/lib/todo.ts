/**
 * `todo("…")` marks the code an attendee still has to write.
 *
 * It throws a TodoError, a type of its own, so that the kit can tell an open task
 * ("you have not written this yet") from a real failure ("what you wrote is wrong").
 * The return type `never` lets an unfinished function type-check as it stands.
 */
export class TodoError extends Error {
  override readonly name = "TodoError";

  constructor(readonly task: string) {
    super(`TODO: ${task}`);
  }
}

export function todo(task: string): never {
  throw new TodoError(task);
}

/** True for a TodoError, also after it crossed a worker boundary and lost its prototype. */
export function isTodoError(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { name?: unknown }).name === "TodoError";
}
