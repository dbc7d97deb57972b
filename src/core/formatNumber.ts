/**
 * Numbers written into reasons, witnesses and report tables: four significant digits, plain decimal notation for
 * magnitudes in [10⁻³, plainBelow), exponent notation (`1.235e+5`) outside; `0` for zero, and `NaN`, `Infinity`,
 * `-Infinity` as JavaScript writes them. Trailing zeros are dropped in plain notation (`0.5`, not `0.5000`).
 */
function fourSignificantDigits(x: number, plainBelow: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return '0';
  const magnitude = Math.abs(x);
  return magnitude >= 1e-3 && magnitude < plainBelow ? String(Number(x.toPrecision(4))) : x.toExponential(3);
}

/** A number in a sentence (reason, witness, diagnostic): plain in [10⁻³, 10⁴), exponent notation outside. */
export function formatNumber(x: number): string {
  return fourSignificantDigits(x, 1e4);
}

/** A number in a report table cell: plain in [10⁻³, 10⁵) (five-digit counts stay readable), exponent notation outside. */
export function formatTableNumber(x: number): string {
  return fourSignificantDigits(x, 1e5);
}

/** An estimate with its interval at fixed decimals, `0.123 [0.100, 0.146]`: for slopes and exponents in study findings. */
export function formatEstimateFixed(e: { readonly value: number; readonly interval: { readonly lower: number; readonly upper: number } }, decimals = 3): string {
  return `${e.value.toFixed(decimals)} [${e.interval.lower.toFixed(decimals)}, ${e.interval.upper.toFixed(decimals)}]`;
}
