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
 * The tangles of a graph of file → the files it imports: its strongly connected components of two
 * or more files (or one file importing itself), each as its files in name order, the list sorted by
 * first file. A component holds every loop through its files, so comparing components misses none;
 * a depth-first search that reports only back edges does (a→[b,c], b→a, c→b: it sees a→b→a and
 * never c, because b is finished when c reaches it). Tarjan's algorithm, one pass.
 */
export function findTangles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const tangles: string[][] = [];
  const visit = (file: string): void => {
    index.set(file, index.size);
    low.set(file, index.get(file)!);
    stack.push(file);
    onStack.add(file);
    for (const next of graph.get(file) ?? []) {
      if (!graph.has(next)) continue;
      if (!index.has(next)) {
        visit(next);
        low.set(file, Math.min(low.get(file)!, low.get(next)!));
      } else if (onStack.has(next)) low.set(file, Math.min(low.get(file)!, index.get(next)!));
    }
    if (low.get(file) !== index.get(file)) return;
    const component: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      component.push(member);
    } while (member !== file);
    if (component.length > 1 || (graph.get(file) ?? []).includes(file)) tangles.push(component.sort());
  };
  for (const file of [...graph.keys()].sort()) if (!index.has(file)) visit(file);
  return tangles.sort((a, b) => (a[0]! < b[0]! ? -1 : 1));
}
