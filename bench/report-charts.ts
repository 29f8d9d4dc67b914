// SVG charts of a suite's metrics, drawn with Vega-Lite and rendered by Vega in Node (no browser,
// no canvas): bars of ratios with their min–max over the runs, or lines for metrics along an axis.
import { parse, View } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

/** One metric over the runs. */
export interface Folded {
  readonly label: string;
  readonly series?: string;
  readonly x?: number;
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly unit: string;
}

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

function barSpec(title: string, rows: readonly Folded[]): TopLevelSpec {
  const grouped = rows.some((r) => r.series !== undefined);
  const unit = rows[0]?.unit ?? '';
  const y = { field: 'label', type: 'nominal', sort: null, title: null, axis: { labelLimit: 460 } } as const;
  const offset = grouped ? { yOffset: { field: 'series', type: 'nominal', sort: null } } : {};
  return {
    $schema: SCHEMA,
    title,
    width: 520,
    height: { step: grouped ? 9 : 16 },
    data: { values: rows.map((r) => ({ ...r, series: r.series ?? '' })) },
    layer: [
      {
        mark: 'bar',
        encoding: {
          y,
          ...offset,
          // Bars grow from 1 (parity): to the right when structsync is ahead, to the left when behind.
          x: { field: 'median', type: 'quantitative', scale: { type: 'log' }, title: `${unit} (log scale; bars start at 1, parity)` },
          x2: { datum: 1 },
          ...(grouped ? { color: { field: 'series', type: 'nominal', sort: null, title: null } } : {}),
        },
      },
      { mark: { type: 'rule', color: 'black' }, encoding: { y, ...offset, x: { field: 'min', type: 'quantitative' }, x2: { field: 'max' } } },
      { mark: { type: 'rule', color: 'gray', strokeDash: [4, 3] }, encoding: { x: { datum: 1 } } },
    ],
  } as TopLevelSpec;
}

function lineSpec(title: string, rows: readonly Folded[], axis: string): TopLevelSpec {
  return {
    $schema: SCHEMA,
    title,
    width: 520,
    height: 300,
    data: { values: rows.map((r) => ({ ...r, series: r.series ?? '' })) },
    mark: { type: 'line', point: true },
    encoding: {
      x: { field: 'x', type: 'quantitative', scale: { type: 'log' }, title: axis },
      y: { field: 'median', type: 'quantitative', scale: { type: 'log' }, title: `${rows[0]?.unit ?? ''} (log scale)` },
      color: { field: 'label', type: 'nominal', sort: null, title: null },
      strokeDash: { field: 'series', type: 'nominal', sort: null, title: null },
    },
  } as TopLevelSpec;
}

/** The chart as SVG text: a line chart when the metrics have x positions, else bars. */
export async function renderChart(title: string, rows: readonly Folded[], axis = ''): Promise<string> {
  const spec = rows.some((r) => r.x !== undefined) ? lineSpec(title, rows, axis) : barSpec(title, rows);
  const view = new View(parse(compile(spec).spec), { renderer: 'none' });
  const svg = await view.toSVG();
  view.finalize();
  return svg;
}
