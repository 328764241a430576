/**
 * The scoreboard drawn: its table, and three charts as inline SVG made here (no chart library,
 * nothing fetched: the hub's Content-Security-Policy allows none, and the room's wifi may be
 * gone). Each chart is horizontal bars on a logarithmic axis — the figures span four orders of
 * magnitude, from a Redis GET to a transactional write — with the ceilings as dashed lines.
 * The hub's /scoreboard page and the closing deck's ```scoreboard block both use it.
 */
import { escapeXml as esc } from "./diagram.ts";
import { ceilingLabel } from "../scoreboard/ceilings.ts";
import { crashCost, crashSummary } from "../scoreboard/crash.ts";
import { formatFigure, formatNumber, machineSentence, sizeLine } from "../scoreboard/format.ts";
import { unreadableSentence, type ArchitectureResult, type ScoreboardRun, type ScoreboardToShow } from "../scoreboard/record.ts";
import { measures, measureTitles, type Figure, type Measure } from "../scoreboard/run.ts";

interface Bar {
  series: number;
  figure: Figure | undefined;
}

interface BarGroup {
  label: string;
  bars: Bar[];
}

interface ChartSpec {
  title: string;
  unit: string;
  series: string[];
  groups: BarGroup[];
  /** Each line in its own unit (a throughput chart's lines are writes/s and records/s). */
  lines: Array<{ label: string; value: number; unit: string }>;
}

const valueOf = (figure: Figure | undefined) => (figure && "value" in figure ? figure.value : undefined);

/** A horizontal bar chart on a log axis; a zero is written as "0", a missing figure as its reason. */
export function barChart(spec: ChartSpec): string {
  const width = 760;
  const left = 190;
  const right = 90;
  const barHeight = 13;
  const groupGap = 10;
  const top = 34;
  const values = [...spec.groups.flatMap((group) => group.bars.map((bar) => valueOf(bar.figure))), ...spec.lines.map((line) => line.value)].filter(
    (value): value is number => value !== undefined && value > 0 && Number.isFinite(value),
  );
  const low = 10 ** Math.floor(Math.log10(Math.min(...values, 1)));
  const high = 10 ** Math.ceil(Math.log10(Math.max(...values, 1) * 1.05));
  const x = (value: number) => left + ((Math.log10(value) - Math.log10(low)) / (Math.log10(high) - Math.log10(low))) * (width - left - right);
  const groupHeight = spec.series.length * barHeight + groupGap;
  const plotBottom = top + spec.groups.length * groupHeight;
  const height = plotBottom + 30 + spec.lines.length * 14;
  const parts: string[] = [];
  for (let decade = low; decade <= high; decade *= 10) {
    parts.push(`<line class="sb-grid" x1="${x(decade).toFixed(1)}" y1="${top - 4}" x2="${x(decade).toFixed(1)}" y2="${plotBottom}"/>`);
    parts.push(`<text class="sb-tick" x="${x(decade).toFixed(1)}" y="${plotBottom + 12}" text-anchor="middle">${esc(formatNumber(decade))}</text>`);
  }
  spec.groups.forEach((group, g) => {
    const y0 = top + g * groupHeight;
    parts.push(`<text class="sb-label" x="${left - 6}" y="${y0 + (spec.series.length * barHeight) / 2 + 4}" text-anchor="end">${esc(group.label)}</text>`);
    for (const bar of group.bars) {
      const y = y0 + bar.series * barHeight;
      const value = valueOf(bar.figure);
      if (value !== undefined && value > 0) {
        parts.push(`<rect class="sb-bar sb-series-${bar.series}" x="${left}" y="${y}" width="${Math.max(1, x(value) - left).toFixed(1)}" height="${barHeight - 2}"><title>${esc(`${group.label}, ${spec.series[bar.series]}: ${formatFigure(bar.figure)}`)}</title></rect>`);
        parts.push(`<text class="sb-value" x="${(x(value) + 4).toFixed(1)}" y="${y + barHeight - 3}">${esc(formatNumber(value))}</text>`);
      } else {
        const text = value === 0 ? "0" : bar.figure && "missing" in bar.figure ? bar.figure.missing : "—";
        parts.push(`<text class="sb-value" x="${left + 4}" y="${y + barHeight - 3}">${esc(text)}</text>`);
      }
    }
  });
  spec.lines.forEach((line, i) => {
    const lineX = x(line.value).toFixed(1);
    parts.push(`<line class="sb-ceiling sb-ceiling-${i}" x1="${lineX}" y1="${top - 8}" x2="${lineX}" y2="${plotBottom}"><title>${esc(`${line.label}: ${formatNumber(line.value)} ${line.unit}`)}</title></line>`);
    parts.push(`<text class="sb-ceiling-key sb-ceiling-${i}" x="${left}" y="${plotBottom + 28 + i * 14}">┆ ${esc(`${line.label}: ${formatNumber(line.value)} ${line.unit}`)}</text>`);
  });
  const legend = spec.series.map((name, i) => `<rect class="sb-bar sb-series-${i}" x="${left + i * 150}" y="12" width="10" height="10"/><text class="sb-legend" x="${left + i * 150 + 14}" y="21">${esc(name)}</text>`).join("");
  return `<figure class="sb-chart"><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" role="img" aria-label="${esc(spec.title)}"><title>${esc(spec.title)}</title>${legend}<text class="sb-unit" x="${width - 4}" y="21" text-anchor="end">${esc(spec.unit)}, log scale</text>${parts.join("")}</svg><figcaption>${esc(spec.title)}</figcaption></figure>`;
}

const label = (row: ArchitectureResult) => `${row.step.slice(0, 2)} ${row.architecture}`;

export function scoreboardCharts(run: ScoreboardRun): string {
  const lines = (chart: "latency" | "throughput" | "staleness") => run.ceilings.filter((ceiling) => ceiling.chart === chart).map((ceiling) => ({ label: ceilingLabel(ceiling), value: ceiling.value, unit: ceiling.unit }));
  const groups = (picked: Measure[]) => run.architectures.map((row) => ({ label: label(row), bars: picked.map((measure, series) => ({ series, figure: row.figures[measure] })) }));
  return [
    barChart({ title: "Latency per architecture (median), with the services' own round trips as ceilings", unit: "ms", series: ["write median", "read median"], groups: groups(["writeMedian", "readMedian"]), lines: lines("latency") }),
    barChart({ title: `Throughput: writes a second from ${run.size.concurrency} clients at once`, unit: "writes/s", series: ["writes/s"], groups: groups(["throughput"]), lines: lines("throughput") }),
    barChart({ title: "Staleness: from a write's acknowledgement to the first read that shows it, with a record's trip from the send's call for reference (not a floor)", unit: "ms", series: ["stale p95", "stale max"], groups: groups(["staleP95", "staleMax"]), lines: lines("staleness") }),
  ].join("\n");
}

/** The columns a slide has room for. */
export const slideMeasures: readonly Measure[] = ["writeMedian", "throughput", "readMedian", "staleP95"];

export function scoreboardTable(run: ScoreboardRun, columns: readonly Measure[] = measures): string {
  const head = `<tr><th>architecture</th>${columns.map((measure) => `<th>${esc(measureTitles[measure])}</th>`).join("")}<th>crash in the middle</th></tr>`;
  // The crash cell as the ledger and the last run of the solutions on this machine say now, not as they were when the figures were taken.
  const rows = run.architectures.map((measured) => ({ ...measured, crash: crashCost(measured.step, measured.crash.design) })).map(
    (row) =>
      `<tr><th scope="row" title="${esc(row.path)}">${esc(label(row))}</th>${columns.map((measure) => `<td>${esc(formatFigure(row.figures[measure]))}</td>`).join("")}<td class="sb-crash ${row.crash.verdict === "n/a" ? "na" : row.crash.verdict}" title="${esc(`${row.crash.design}: ${row.crash.why}${row.crash.proof ? ` (${row.crash.proof.file})` : ""}`)}">${esc(crashSummary(row.crash))}</td></tr>`,
  );
  return `<table class="scoreboard">${head}${rows.join("")}</table>`;
}

/** Whose figures these are: this machine's latest run, or the kit's reference run, said plainly. */
export function scoreboardProvenance(run: ScoreboardRun): string {
  const whose =
    run.kind === "reference"
      ? `<strong>Reference figures</strong>, measured by the kit's authors (no scoreboard has run on this machine yet: <code>npm run bench -- --quick</code> takes under a minute)`
      : "This machine's latest run";
  return `<p class="sb-provenance">${whose}: ${esc(machineSentence(run))} · ${esc(sizeLine(run))}.</p>`;
}

/** The slide's version (the ```scoreboard block): the table in the columns a slide has room for, and whose figures they are. */
export function scoreboardSlide(shown: ScoreboardToShow): string {
  if (!shown) return `<div class="${scoreboardSlideClass}"><p class="sb-provenance">No scoreboard yet: <code>npm run bench -- --quick</code> measures one.</p></div>`;
  if ("unreadable" in shown) return `<div class="${scoreboardSlideClass}">${scoreboardUnreadable(shown)}</div>`;
  return `<div class="${scoreboardSlideClass}">${scoreboardTable(shown.run, slideMeasures)}${scoreboardProvenance(shown.run)}</div>`;
}

/** The class of the slide's block: a deck that holds one reloads when a run is kept. */
export const scoreboardSlideClass = "sb-slide";

/** A run file that does not read, said in place of its figures (never the reference silently in its place). */
export function scoreboardUnreadable(shown: Extract<ScoreboardToShow, { unreadable: string }>): string {
  return `<p class="sb-provenance sb-unreadable">${esc(unreadableSentence(shown))}: <code>npm run bench -- --quick</code> measures a new one.</p>`;
}
