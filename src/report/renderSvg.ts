import * as vega from 'vega';
import * as vegaLite from 'vega-lite';
import type { PlotSpec } from '../checks/evidence.ts';
import { plotToVegaLite } from './plotToVegaLite.ts';

/** Renders a PlotSpec to a standalone SVG with vega's headless SVG renderer (no browser, no canvas). */
export async function renderPlotSvg(plot: PlotSpec): Promise<string> {
  const compiled = vegaLite.compile(plotToVegaLite(plot) as unknown as vegaLite.TopLevelSpec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
