/**
 * Architecture diagrams as inline SVG, from a few lines of text, so a deck needs no network
 * and no JavaScript library to draw them:
 *
 *   ```diagram
 *   api: Wallet API [service]
 *   pg: Postgres [db]
 *   redis: Redis [cache] @1,1
 *   api -> pg: UPDATE … RETURNING
 *   api --> redis: DEL (after commit)
 *   api -x> redis: lost on a crash
 *   ```
 *
 * A node is `id: label [kind]`, optionally placed at `@column,row`; without a place, its column
 * is its distance from the sources (left to right) and its row its order in the column.
 * An edge is `from -> to: label`; `-->` is asynchronous (dashed), `-x>` is a message that is lost.
 */

export type NodeKind = "service" | "client" | "db" | "cache" | "log" | "relay" | "projection" | "note";
const kinds: readonly NodeKind[] = ["service", "client", "db", "cache", "log", "relay", "projection", "note"];

export type EdgeStyle = "sync" | "async" | "lost";

export interface DiagramNode {
  id: string;
  label: string;
  kind: NodeKind;
  place?: { column: number; row: number };
}

export interface DiagramEdge {
  from: string;
  to: string;
  label: string;
  style: EdgeStyle;
}

export interface Diagram {
  nodes: DiagramNode[];
  edges: DiagramEdge[];
}

/** A diagram that cannot be drawn: the line and what is wrong with it. */
export class DiagramError extends Error {
  override readonly name = "DiagramError";
  constructor(
    readonly line: number,
    readonly reason: string,
  ) {
    super(`diagram line ${line}: ${reason}`);
  }
}

const nodeLine = /^([A-Za-z][\w-]*)\s*:\s*(.+?)\s*(?:\[([a-z]+)\])?\s*(?:@(\d+)\s*,\s*(\d+))?\s*$/;
const edgeLine = /^([A-Za-z][\w-]*)\s*(->|-->|-x>)\s*([A-Za-z][\w-]*)\s*(?::\s*(.*))?$/;
const edgeStyles: Record<string, EdgeStyle> = { "->": "sync", "-->": "async", "-x>": "lost" };

export function parseDiagram(source: string): Diagram {
  const nodes: DiagramNode[] = [];
  const edges: DiagramEdge[] = [];
  source.split("\n").forEach((raw, index) => {
    const line = raw.trim();
    const number = index + 1;
    if (!line || line.startsWith("#")) return;
    const edge = edgeLine.exec(line);
    if (edge) {
      edges.push({ from: edge[1]!, to: edge[3]!, style: edgeStyles[edge[2]!]!, label: (edge[4] ?? "").trim() });
      return;
    }
    const node = nodeLine.exec(line);
    if (!node) throw new DiagramError(number, `"${line}" is neither a node (id: label [kind]) nor an edge (a -> b: label)`);
    const kind = (node[3] ?? "service") as NodeKind;
    if (!kinds.includes(kind)) throw new DiagramError(number, `unknown kind [${node[3]}]; the kinds are ${kinds.join(", ")}`);
    if (nodes.some((existing) => existing.id === node[1])) throw new DiagramError(number, `node "${node[1]}" is declared twice`);
    nodes.push({
      id: node[1]!,
      label: node[2]!,
      kind,
      ...(node[4] !== undefined ? { place: { column: Number(node[4]), row: Number(node[5]) } } : {}),
    });
  });
  const ids = new Set(nodes.map((node) => node.id));
  for (const edge of edges) {
    for (const end of [edge.from, edge.to]) {
      if (!ids.has(end)) throw new DiagramError(lineOf(source, end), `edge ${edge.from} → ${edge.to} names "${end}", which is not a node`);
    }
  }
  if (nodes.length === 0) throw new DiagramError(1, "a diagram needs at least one node");
  return { nodes, edges };
}

function lineOf(source: string, id: string): number {
  const index = source.split("\n").findIndex((line) => new RegExp(`(^|[\\s>])${id}(\\s|$|:)`).test(line) && edgeLine.test(line.trim()));
  return index + 1;
}

/** Column = longest path from a source, ignoring the edges that close a cycle; row = order within the column. */
export function layout(diagram: Diagram): Map<string, { column: number; row: number }> {
  // Walk from the nodes in the order they are declared: an edge back to a node still on the
  // walk closes a cycle (a reply, a poll) and does not push its target to the right.
  const backEdges = new Set<DiagramEdge>();
  const walk = new Map<string, "active" | "done">();
  const visit = (id: string): void => {
    walk.set(id, "active");
    for (const edge of diagram.edges.filter((candidate) => candidate.from === id)) {
      const state = walk.get(edge.to);
      if (state === "active") backEdges.add(edge);
      else if (state === undefined) visit(edge.to);
    }
    walk.set(id, "done");
  };
  for (const node of diagram.nodes) if (!walk.has(node.id)) visit(node.id);

  const column = new Map<string, number>();
  const depth = (id: string): number => {
    const known = column.get(id);
    if (known !== undefined) return known;
    const fixed = diagram.nodes.find((node) => node.id === id)?.place;
    const value = fixed ? fixed.column : Math.max(0, ...diagram.edges.filter((edge) => edge.to === id && !backEdges.has(edge)).map((edge) => depth(edge.from) + 1));
    column.set(id, value);
    return value;
  };
  const places = new Map<string, { column: number; row: number }>();
  const rowsUsed = new Map<number, Set<number>>();
  for (const node of diagram.nodes.filter((candidate) => candidate.place)) {
    places.set(node.id, node.place!);
    rowsUsed.set(node.place!.column, (rowsUsed.get(node.place!.column) ?? new Set()).add(node.place!.row));
  }
  for (const node of diagram.nodes.filter((candidate) => !candidate.place)) {
    const col = depth(node.id);
    const used = rowsUsed.get(col) ?? new Set<number>();
    let row = 0;
    while (used.has(row)) row += 1;
    used.add(row);
    rowsUsed.set(col, used);
    places.set(node.id, { column: col, row });
  }
  return places;
}

const box = { width: 156, height: 62, gapX: 140, gapY: 34, pad: 14 };

export function renderDiagram(source: string, { title = "architecture diagram", id = "dg" }: { title?: string; id?: string } = {}): string {
  const diagram = parseDiagram(source);
  const places = layout(diagram);
  const columns = Math.max(...[...places.values()].map((place) => place.column)) + 1;
  const rows = Math.max(...[...places.values()].map((place) => place.row)) + 1;
  const width = box.pad * 2 + columns * box.width + (columns - 1) * box.gapX;
  const height = box.pad * 2 + rows * box.height + (rows - 1) * box.gapY + 8;
  const centre = (id: string) => {
    const place = places.get(id)!;
    return { x: box.pad + place.column * (box.width + box.gapX) + box.width / 2, y: box.pad + 8 + place.row * (box.height + box.gapY) + box.height / 2 };
  };

  // Lines under the boxes, labels over them: a long label stays readable where it crosses a box.
  const edges = diagram.edges.map((edge) => drawEdge(id, edge, centre(edge.from), centre(edge.to), diagram.edges.some((other) => other.from === edge.to && other.to === edge.from)));
  const parts = [...edges.map((edge) => edge.line), ...diagram.nodes.map((node) => drawNode(node, centre(node.id))), ...edges.map((edge) => edge.label)];
  return [
    `<svg class="diagram" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeXml(title)}">`,
    // Each diagram has its own marker id: Chrome draws no marker whose definition sits in a hidden slide.
    `<defs><marker id="${id}-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" class="dg-head"/></marker></defs>`,
    ...parts,
    `</svg>`,
  ].join("\n");
}

function drawNode(node: DiagramNode, { x, y }: { x: number; y: number }): string {
  const left = x - box.width / 2;
  const top = y - box.height / 2;
  const lines = node.label.split("\\n");
  const text = lines
    .map((line, index) => `<tspan x="${x}" dy="${index === 0 ? -(lines.length - 1) * 8 : 16}">${escapeXml(line)}</tspan>`)
    .join("");
  const label = `<text x="${x}" y="${y + 5}" text-anchor="middle" class="dg-label">${text}</text>`;
  const kind = `dg-node dg-${node.kind}`;
  switch (node.kind) {
    case "db":
    case "cache": {
      const rim = 8;
      const shape = `<path class="${kind}" d="M${left},${top + rim} a${box.width / 2},${rim} 0 0,0 ${box.width},0 a${box.width / 2},${rim} 0 0,0 ${-box.width},0 v${box.height - 2 * rim} a${box.width / 2},${rim} 0 0,0 ${box.width},0 v${-(box.height - 2 * rim)}"/>`;
      return `<g data-node="${node.id}">${shape}${label}</g>`;
    }
    case "log": {
      // A log: a row of cells, appended at the right.
      const cells = [1, 2, 3, 4, 5].map((cell) => `<line class="dg-cell" x1="${left + (box.width / 6) * cell}" y1="${top}" x2="${left + (box.width / 6) * cell}" y2="${top + 12}"/>`).join("");
      return `<g data-node="${node.id}"><rect class="${kind}" x="${left}" y="${top}" width="${box.width}" height="${box.height}" rx="3"/>${cells}${label}</g>`;
    }
    case "service":
    case "client":
    case "relay":
    case "projection":
    case "note":
      return `<g data-node="${node.id}"><rect class="${kind}" x="${left}" y="${top}" width="${box.width}" height="${box.height}" rx="${node.kind === "client" ? 29 : 8}"/>${label}</g>`;
    default:
      return assertNever(node.kind);
  }
}

function drawEdge(id: string, edge: DiagramEdge, from: { x: number; y: number }, to: { x: number; y: number }, hasReverse: boolean): { line: string; label: string } {
  const dx = to.x - from.x;
  const dy = to.y - from.y;
  const length = Math.hypot(dx, dy) || 1;
  // Two edges between the same nodes, one each way: move each to its own side.
  const shift = hasReverse ? 7 : 0;
  const nx = (-dy / length) * shift;
  const ny = (dx / length) * shift;
  const clip = (half: { w: number; h: number }) => Math.min(dx === 0 ? Infinity : half.w / Math.abs(dx), dy === 0 ? Infinity : half.h / Math.abs(dy));
  const t = clip({ w: box.width / 2 + 3, h: box.height / 2 + 3 });
  const start = { x: from.x + dx * t + nx, y: from.y + dy * t + ny };
  const end = { x: to.x - dx * t + nx, y: to.y - dy * t + ny };
  const mid = { x: (start.x + end.x) / 2, y: (start.y + end.y) / 2 };
  const cls = `dg-edge dg-${edge.style}`;
  const parts = [`<line class="${cls}" x1="${round(start.x)}" y1="${round(start.y)}" x2="${round(end.x)}" y2="${round(end.y)}" marker-end="url(#${id}-arrow)"/>`];
  if (edge.style === "lost") parts.push(`<text class="dg-lost-mark" x="${round(mid.x)}" y="${round(mid.y + 6)}" text-anchor="middle">✗</text>`);
  const line = `<g data-edge="${edge.from}-${edge.to}">${parts.join("")}</g>`;
  const labelParts: string[] = [];
  if (edge.label) {
    const labelY = mid.y + (Math.abs(dy) < 1 ? -8 : 0) + (edge.style === "lost" ? -14 : 0) + (shift && Math.abs(dy) < 1 ? (ny > 0 ? 20 : -4) : 0);
    const labelWidth = edge.label.length * 6.4 + 8;
    labelParts.push(
      `<rect class="dg-edge-label-bg" x="${round(mid.x - labelWidth / 2)}" y="${round(labelY - 11)}" width="${round(labelWidth)}" height="15" rx="3"/>`,
      `<text class="dg-edge-label" x="${round(mid.x)}" y="${round(labelY)}" text-anchor="middle">${escapeXml(edge.label)}</text>`,
    );
  }
  return { line, label: labelParts.length > 0 ? `<g data-edge-label="${edge.from}-${edge.to}">${labelParts.join("")}</g>` : "" };
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

export function escapeXml(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll('"', "&quot;");
}

function assertNever(value: never): never {
  throw new Error(`unexpected node kind ${String(value)}`);
}
