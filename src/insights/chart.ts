/**
 * Server-rendered SVG charts (pure): a stacked bar chart of counts by month and series, laid out
 * with d3-scale and d3-shape and written by the escaping template. No script: a title and a
 * description for screen readers, and the same numbers in a table beside it (collapsed).
 */
import { scaleBand, scaleLinear } from "d3-scale";
import { stack } from "d3-shape";
import { type H, h } from "../lib/html.ts";

/** One bar's counts by series ({ month: "2026-11", Pricing: 3, Craft: 1 }). */
export type Row = { month: string } & Record<string, number | string>;

// Eight colours told apart in light and dark, and by people with the common colour blindnesses.
const PALETTE = ["#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#f0e442", "#7f7f7f"];

/**
 * A stacked bar chart of `rows` by `series`, with its table. `id` names its title and description;
 * `note` follows the description (what a count means), and is shown under the chart.
 */
export function stackedBars(id: string, title: string, series: string[], rows: Row[], note = ""): H {
  // Drawn small, so that its text stays readable when a phone scales it down to ~340 px.
  const width = 400;
  const height = 200;
  const font = "14";
  const m = { top: 10, right: 8, bottom: 30, left: 36 };
  const x = scaleBand<string>()
    .domain(rows.map((r) => r.month))
    .range([m.left, width - m.right])
    .padding(0.2);
  const layers = stack<Row, string>()
    .keys(series)
    .value((r, k) => Number(r[k] ?? 0))(rows);
  const max = Math.max(1, ...rows.map((r) => series.reduce((n, k) => n + Number(r[k] ?? 0), 0)));
  const y = scaleLinear()
    .domain([0, max])
    .nice()
    .range([height - m.bottom, m.top]);
  const total = rows.reduce((n, r) => n + series.reduce((s, k) => s + Number(r[k] ?? 0), 0), 0);
  const desc = `${total} in all over ${rows.length} months; ${series
    .map((k) => `${k} ${rows.reduce((n, r) => n + Number(r[k] ?? 0), 0)}`)
    .join(", ")}.${note ? ` ${note}` : ""}`;
  const bars = layers.map(
    (layer, i) =>
      h`<g fill="${PALETTE[i % PALETTE.length]}">${layer.map((d) =>
        d[1] > d[0]
          ? h`<rect x="${String(x(d.data.month) ?? 0)}" y="${String(y(d[1]))}" width="${String(x.bandwidth())}" height="${String(y(d[0]) - y(d[1]))}"><title>${d.data.month} · ${layer.key}: ${String(d[1] - d[0])}</title></rect>`
          : "",
      )}</g>`,
  );
  // Counts are whole: no ticks between them (an empty chart's axis is 0 and 1, not 0.2 steps).
  const ticks = y
    .ticks(Math.min(4, max))
    .filter(Number.isInteger)
    .map(
      (t) =>
        h`<g><line x1="${String(m.left)}" x2="${String(width - m.right)}" y1="${String(y(t))}" y2="${String(y(t))}" stroke="currentColor" stroke-opacity="0.15"/><text x="${String(m.left - 4)}" y="${String(y(t) + 5)}" text-anchor="end" font-size="${font}" fill="currentColor">${String(t)}</text></g>`,
    );
  const months = rows.map(
    (r, i) =>
      h`${i % Math.ceil(rows.length / 4) === 0 ? h`<text x="${String((x(r.month) ?? 0) + x.bandwidth() / 2)}" y="${String(height - 8)}" text-anchor="middle" font-size="${font}" fill="currentColor">${r.month}</text>` : ""}`,
  );
  const legend = series.map(
    // A presentation attribute, not a style: the pages' CSP allows no inline styles.
    (k, i) =>
      h`<li><svg width="12" height="12" aria-hidden="true"><rect width="12" height="12" fill="${PALETTE[i % PALETTE.length]}"/></svg> ${k}</li>`,
  );
  return h`<figure class="chart">
<div class="plot" tabindex="0"><svg class="plot-svg" viewBox="0 0 ${String(width)} ${String(height)}" role="img" aria-labelledby="${id}-title ${id}-desc">
<title id="${id}-title">${title}</title><desc id="${id}-desc">${desc}</desc>
${ticks}${bars}${months}
</svg></div>
<ul class="legend">${legend}</ul>${note ? h`<p class="hint">${note}</p>` : ""}
<details><summary>The numbers</summary>
<table><thead><tr><th scope="col">Month</th>${series.map((k) => h`<th scope="col">${k}</th>`)}</tr></thead>
<tbody>${rows.map((r) => h`<tr><th scope="row">${r.month}</th>${series.map((k) => h`<td>${String(r[k] ?? 0)}</td>`)}</tr>`)}</tbody></table>
</details>
</figure>`;
}
