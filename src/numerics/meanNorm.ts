/**
 * Mean norms E‖Y‖ through the Laplace transform: for any random vector Y,
 * E‖Y‖ = (1/(2√π))∫₀^∞ (1 − E e^{−s‖Y‖²}) s^{−3/2} ds (from √r = (1/(2√π))∫(1 − e^{−sr}) s^{−3/2} ds). With s = e^u the
 * integrand is smooth and decays like e^{−|u|/2}; the trapezoid rule on u is spectrally accurate (error ~ exp(−2π²/h)
 * for the Gaussian Laplace transforms, whose nearest singularity is at Im u = π).
 */

/**
 * E‖Y‖ from log E e^{−s‖Y‖²} (a function of s > 0) and the second moment E‖Y‖² (which centres the u-grid).
 * Trapezoid rule on u = log s over ±50 around −log E‖Y‖², step 1/4 (400 points).
 */
export function meanNormFromLaplace(logLaplace: (s: number) => number, secondMoment: number): number {
  if (!(secondMoment > 0)) return 0;
  const centre = -Math.log(secondMoment);
  const h = 0.25;
  let total = 0;
  for (let u = centre - 50; u <= centre + 50; u += h) {
    const s = Math.exp(u);
    total += -Math.expm1(logLaplace(s)) * Math.exp(-u / 2);
  }
  return (total * h) / (2 * Math.sqrt(Math.PI));
}

/** E‖N(0, diag σ²)‖, exact (up to the spectrally accurate quadrature) for any variances. */
export function gaussianMeanNorm(variances: ArrayLike<number>): number {
  let m2 = 0;
  for (let i = 0; i < variances.length; i++) m2 += variances[i]!;
  if (variances.length === 1) return Math.sqrt((2 / Math.PI) * m2);
  return meanNormFromLaplace((s) => {
    let l = 0;
    for (let i = 0; i < variances.length; i++) l -= 0.5 * Math.log1p(2 * s * variances[i]!);
    return l;
  }, m2);
}

/** E‖Y‖ for Y with d i.i.d. coordinates whose law is the discrete (quadrature) law Σ_j w_j δ_{y_j}. */
export function iidMeanNorm(weights: ArrayLike<number>, values: ArrayLike<number>, d: number): number {
  return iidMeanNorms(weights, values, [d])[0]!;
}

/**
 * E‖Y‖ for several dimensions d at once (Y with d i.i.d. coordinates of the discrete law Σ_j w_j δ_{y_j}): the Laplace
 * transform E e^{−sY₁²} is computed once on a u-grid wide enough for every d, then raised to the power d.
 */
export function iidMeanNorms(weights: ArrayLike<number>, values: ArrayLike<number>, dims: readonly number[]): number[] {
  let m2 = 0;
  for (let j = 0; j < weights.length; j++) m2 += weights[j]! * values[j]! ** 2;
  if (!(m2 > 0)) return dims.map(() => 0);
  const dMin = Math.min(...dims);
  const dMax = Math.max(...dims);
  const h = 0.25;
  const from = -Math.log(dMax * m2) - 50;
  const to = -Math.log(dMin * m2) + 50;
  const totals = dims.map(() => 0);
  for (let u = from; u <= to; u += h) {
    const s = Math.exp(u);
    let l = 0;
    for (let j = 0; j < weights.length; j++) l += weights[j]! * Math.exp(-s * values[j]! ** 2);
    const logL = Math.log(l);
    const decay = Math.exp(-u / 2);
    dims.forEach((d, k) => (totals[k] = totals[k]! - Math.expm1(d * logL) * decay));
  }
  return totals.map((v) => (v * h) / (2 * Math.sqrt(Math.PI)));
}
