/**
 * Files a step carries over from an earlier one. A step's folder is self-contained, so the
 * envelope, the event log, `inTransaction` and others exist in several steps; a fix to one
 * must reach every copy. Each copy says where it comes from in its first line,
 *
 *   // Copy of exercises/05-event-sourcing/src/envelope.ts: keep the two equal (the kit checks it).
 *
 * and kit/tests/copies.test.ts checks that the rest of the file is its source, byte for byte.
 */

export const copyHeader = /^\/\/ Copy of (exercises\/\d\d-[a-z0-9-]+\/src\/[\w./-]+\.ts): keep the two equal \(the kit checks it\)\.$/;

/** The source a file says it is a copy of, or undefined if its first line is no copy header. */
export function copySource(text: string): string | undefined {
  return copyHeader.exec(text.split("\n", 1)[0] ?? "")?.[1];
}

/** A file's text without its copy header, if it has one: a copy may itself be copied. */
export function withoutHeader(text: string): string {
  return copySource(text) === undefined ? text : text.slice(text.indexOf("\n") + 1);
}

export interface CopyProblem {
  file: string;
  message: string;
}

/**
 * The problems of one copy. `read` gives a project file's text, or undefined if it is not
 * there. The source as attendees see it is exercises/…; a copy is given, finished code, so a
 * copy of a task file may equal its finished form in solutions/ instead.
 */
export function checkCopy(file: string, read: (file: string) => string | undefined): CopyProblem[] {
  const text = read(file);
  const source = text === undefined ? undefined : copySource(text);
  if (text === undefined || source === undefined) return [];
  const candidates = [source, source.replace(/^exercises\//, "solutions/")].map(read).filter((found) => found !== undefined);
  if (candidates.length === 0) return [{ file, message: `says it is a copy of ${source}, which does not exist` }];
  const body = withoutHeader(text);
  if (candidates.some((candidate) => withoutHeader(candidate) === body)) return [];
  return [{ file, message: `differs from ${source}, of which it says it is a copy: make the two equal (a fix to one belongs in both), or remove the header if the copy was changed on purpose` }];
}

/**
 * A file's code without its comments and with its spacing collapsed: two files with the same
 * code but their own comments are still one piece of code that a fix must reach in both, so the
 * search for unmarked copies compares this, not the bytes. (A `//` inside a string after `:`,
 * a quote or a backslash, as in a URL, is kept: the same rule as the import reader's.)
 */
export function codeOf(text: string): string {
  return text
    .replace(/\/\*[\s\S]*?\*\//g, "")
    .replace(/(^|[^:"'`\\])\/\/.*$/gm, "$1")
    .replace(/\s+/g, " ")
    .trim();
}
