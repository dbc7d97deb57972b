import type { PlotSpec } from '../checks/evidence.ts';

/**
 * A check's PlotSpec as a vega-lite specification (pure data → data). Series become a colour encoding;
 * log axes stay log axes, so a rate reads as a slope.
 */
export function plotToVegaLite(plot: PlotSpec): Record<string, unknown> {
  const values = plot.series.flatMap((s) => s.x.map((x, i) => ({ series: s.name, x, y: s.y[i] })));
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: plot.title,
    width: 420,
    height: 260,
    data: { values },
    mark: plot.mark === 'line' ? { type: 'line', point: true } : { type: 'point', filled: true },
    encoding: {
      x: { field: 'x', type: 'quantitative', title: plot.x.label, scale: scale(plot.x.scale) },
      y: { field: 'y', type: 'quantitative', title: plot.y.label, scale: scale(plot.y.scale) },
      color: { field: 'series', type: 'nominal', title: null },
    },
  };
}

/** Linear axes do not force zero into view; log axes cannot contain it. */
function scale(type: 'linear' | 'log'): Record<string, unknown> {
  return type === 'log' ? { type: 'log' } : { type: 'linear', zero: false };
}
