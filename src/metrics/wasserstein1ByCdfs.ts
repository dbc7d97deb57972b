/**
 * W₁ between two laws on the line from their CDFs: ∫|F − G| over [lo, hi] by the trapezoid rule on `points`
 * equispaced points. The caller chooses [lo, hi] to hold both laws' mass (the tails outside are dropped); the rule's
 * error is O(h²) in the spacing h, also across the kink of |F − G| where the CDFs cross.
 */
export function wasserstein1ByCdfs(F: (y: number) => number, G: (y: number) => number, lo: number, hi: number, points: number): number {
  const h = (hi - lo) / (points - 1);
  let s = 0;
  for (let i = 0; i < points; i++) s += (i === 0 || i === points - 1 ? 0.5 : 1) * Math.abs(F(lo + i * h) - G(lo + i * h));
  return s * h;
}
