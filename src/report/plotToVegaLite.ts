import type { PlotSpec } from '../checks/evidence.ts';
import { mathAsPlainText } from './plainMath.ts';

/**
 * A check's PlotSpec as a vega-lite specification (pure data → data). Series become a colour encoding; intervals
 * (`lower`/`upper`) become error bars; `bounds` become dashed horizontal rules in the legend; log axes stay log
 * axes, so a rate reads as a slope. Legend labels are never truncated (a user's variant name is shown whole).
 * Mathematics marked `$…$` in titles and labels is shown as plain Unicode text (SVG text cannot typeset it).
 */
export function plotToVegaLite(plot: PlotSpec): Record<string, unknown> {
  const values = plot.series.flatMap((s) =>
    s.x.map((x, i) => ({
      series: plainText(s.name),
      x,
      y: s.y[i],
      ...(s.lower !== undefined && s.upper !== undefined ? { lower: s.lower[i], upper: s.upper[i] } : {}),
    })),
  );
  const bounds = (plot.bounds ?? []).map((b) => ({ series: plainText(b.name), y: b.y }));
  const diagonal = plot.diagonal === undefined ? undefined : diagonalEnds(plot, values);
  const names = [...plot.series.map((s) => plainText(s.name)), ...bounds.map((b) => b.series), ...(diagonal === undefined ? [] : [diagonal[0].series])];
  const x = { field: 'x', type: 'quantitative', title: plainText(plot.x.label), scale: scale(plot.x.scale) };
  const y = { field: 'y', type: 'quantitative', title: plainText(plot.y.label), scale: scale(plot.y.scale) };
  const color = { field: 'series', type: 'nominal', title: null, scale: { domain: names }, legend: { labelLimit: 0, orient: names.some((n) => n.length > 24) ? 'bottom' : 'right', columns: 1 } };
  const layer: Record<string, unknown>[] = [
    { data: { values }, mark: plot.mark === 'line' ? { type: 'line', point: true } : { type: 'point', filled: true }, encoding: { x, y, color } },
  ];
  if (values.some((v) => 'lower' in v)) {
    // a log axis cannot show an interval end at or below 0: such bars are left out rather than drawn wrongly
    const positive = (v: number | undefined): boolean => v !== undefined && Number.isFinite(v) && (plot.y.scale !== 'log' || v > 0);
    const bars = values.filter((v) => 'lower' in v && positive(v.lower) && positive(v.upper));
    layer.push({
      data: { values: bars },
      mark: { type: 'rule' },
      encoding: { x, y: { ...y, field: 'lower' }, y2: { field: 'upper' }, color },
    });
  }
  if (bounds.length > 0) {
    layer.push({ data: { values: bounds }, mark: { type: 'rule', strokeDash: [6, 4] }, encoding: { y: { ...y, field: 'y' }, color } });
  }
  if (diagonal !== undefined) {
    layer.push({ data: { values: diagonal }, mark: { type: 'line', strokeDash: [6, 4] }, encoding: { x, y, color } });
  }
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: plainText(plot.title),
    width: 420,
    height: 260,
    layer,
  };
}

/** The ends of the diagonal y = x over the range of every x and y shown (positive values only on a log axis). */
function diagonalEnds(plot: PlotSpec, values: readonly { x: number; y: number | undefined }[]): [{ series: string; x: number; y: number }, { series: string; x: number; y: number }] | undefined {
  const log = plot.x.scale === 'log' || plot.y.scale === 'log';
  const all = values.flatMap((v) => [v.x, v.y ?? Number.NaN]).filter((v) => Number.isFinite(v) && (!log || v > 0));
  if (all.length === 0) return undefined;
  const series = plainText(plot.diagonal!.name);
  const lo = Math.min(...all);
  const hi = Math.max(...all);
  return [
    { series, x: lo, y: lo },
    { series, x: hi, y: hi },
  ];
}

/** Linear axes do not force zero into view; log axes cannot contain it. */
function scale(type: 'linear' | 'log'): Record<string, unknown> {
  return type === 'log' ? { type: 'log' } : { type: 'linear', zero: false };
}

const SUPERSCRIPTS: Record<string, string> = { '0': '⁰', '1': '¹', '2': '²', '3': '³', '4': '⁴', '5': '⁵', '6': '⁶', '7': '⁷', '8': '⁸', '9': '⁹', '+': '⁺', '-': '⁻', '−': '⁻', '=': '⁼', '(': '⁽', ')': '⁾', n: 'ⁿ', i: 'ⁱ', t: 'ᵗ', d: 'ᵈ', k: 'ᵏ', p: 'ᵖ', T: 'ᵀ' };
const SUBSCRIPTS: Record<string, string> = { '0': '₀', '1': '₁', '2': '₂', '3': '₃', '4': '₄', '5': '₅', '6': '₆', '7': '₇', '8': '₈', '9': '₉', '+': '₊', '-': '₋', '−': '₋', '=': '₌', '(': '₍', ')': '₎', a: 'ₐ', e: 'ₑ', h: 'ₕ', i: 'ᵢ', j: 'ⱼ', k: 'ₖ', l: 'ₗ', m: 'ₘ', n: 'ₙ', o: 'ₒ', p: 'ₚ', r: 'ᵣ', s: 'ₛ', t: 'ₜ', u: 'ᵤ', v: 'ᵥ', x: 'ₓ' };

/**
 * Report text as plain Unicode for SVG text, which cannot typeset: mathematics as plain text (`mathAsPlainText`),
 * and `_{…}`/`^{…}` (and `_x`/`^x`) turned into Unicode sub-/superscripts when every character has one, else kept.
 */
export function plainText(text: string): string {
  const script = (body: string, table: Record<string, string>, marker: string): string => {
    const chars = [...body];
    return chars.every((c) => table[c] !== undefined) ? chars.map((c) => table[c]).join('') : `${marker}${chars.length === 1 ? body : `{${body}}`}`;
  };
  return mathAsPlainText(text)
    .replace(/_\{([^{}]+)\}|_([A-Za-z0-9])(?![A-Za-z0-9])/g, (_m, braced: string | undefined, single: string | undefined) => script(braced ?? single!, SUBSCRIPTS, '_'))
    .replace(/\^\{([^{}]+)\}|\^([A-Za-z0-9])(?![A-Za-z0-9])/g, (_m, braced: string | undefined, single: string | undefined) => script(braced ?? single!, SUPERSCRIPTS, '^'));
}
