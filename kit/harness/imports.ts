/**
 * The project's import graph, read from the source text: what each TypeScript file imports,
 * resolved to a file of the project. kit/tests/dependencies.test.ts uses it to hold two rules:
 * kit/ never imports a step (exercises/ or solutions/), and no two modules import each other,
 * directly or round a longer loop.
 */
import path from "node:path";

/**
 * Every module specifier in `source`: `import … from "x"`, `import "x"`, `export … from "x"`,
 * `import("x")` and `typeof import("x")`, type-only imports included (a cycle of types is
 * still two modules that cannot be read one without the other). Comments are skipped.
 */
export function importSpecifiers(source: string): string[] {
  const code = source.replace(/\/\*[\s\S]*?\*\//g, "").replace(/(^|[^:"'`\\])\/\/.*$/gm, "$1");
  const found = [
    ...code.matchAll(/(?:^|;)\s*(?:import|export)\s[^;"'`]*?\bfrom\s*["']([^"']+)["']/gm),
    ...code.matchAll(/(?:^|;)\s*import\s*["']([^"']+)["']/gm),
    ...code.matchAll(/\bimport\(\s*["']([^"']+)["']\s*\)/g),
  ];
  return found.map((match) => match[1]!);
}

/**
 * The project file `specifier` names when imported from `from` (both relative to the root),
 * or undefined for a package. `#kit/x` is kit/lib/x.ts (package.json's "imports").
 */
export function resolveSpecifier(from: string, specifier: string): string | undefined {
  if (specifier.startsWith("#kit/")) return `kit/lib/${specifier.slice("#kit/".length)}.ts`;
  if (!specifier.startsWith(".")) return undefined;
  return path.posix.normalize(path.posix.join(path.posix.dirname(from), specifier));
}

/**
 * The loops in a graph of file → the files it imports: each as the files in order, the first
 * repeated at the end, starting from its first file in name order (so a loop reads the same
 * whichever file the search met first).
 */
export function findCycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const cycles: string[][] = [];
  const state = new Map<string, "visiting" | "done">();
  const trail: string[] = [];
  const visit = (file: string): void => {
    state.set(file, "visiting");
    trail.push(file);
    for (const next of graph.get(file) ?? []) {
      if (state.get(next) === "visiting") cycles.push(fromSmallest(trail.slice(trail.indexOf(next))));
      else if (!state.has(next) && graph.has(next)) visit(next);
    }
    trail.pop();
    state.set(file, "done");
  };
  for (const file of [...graph.keys()].sort()) if (!state.has(file)) visit(file);
  return cycles;
}

function fromSmallest(loop: string[]): string[] {
  const start = loop.indexOf([...loop].sort()[0]!);
  const turned = [...loop.slice(start), ...loop.slice(0, start)];
  return [...turned, turned[0]!];
}
