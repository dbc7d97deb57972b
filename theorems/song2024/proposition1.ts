/**
 * # Proposition 1 (Song & Dhariwal 2024): an EMA teacher breaks consistency training in the continuum limit
 *
 * ## Claim
 * Dirac data p_data = δ_ξ, model f_θ(x, σ) = (σ_min/σ)x + (1 − σ_min/σ)θ (f*: θ = ξ), uniform grid σ₁ = σ_min < … <
 * σ_N = σ_max, λ ≡ 1, squared ℓ₂, shared noise. The noise cancels in the CT difference, which equals
 * (1 − σ_min/σ_{i+1})(θ − ξ) − (1 − σ_min/σ_i)(θ⁻ − ξ). Hence (Eqs. 6–7) [S: report; verified algebraically, D]:
 * (a) θ⁻ ≠ θ (EMA teacher): lim_N L^N = E[(1 − σ_min/σ)²](θ − θ⁻)², σ ~ U[σ_min, σ_max] — independent of ξ, so the loss
 * does not see the data; (b) θ⁻ = stopgrad(θ): lim_N (1/Δσ)∂L^N/∂θ = ∂/∂θ E[(σ_min/σ²)(1 − σ_min/σ)(θ − ξ)²].
 * Letting the gradient flow through the teacher (θ⁻ = θ, no stop-gradient) gives per-term gradients
 * 2(θ − ξ)σ_min²Δσ²/(σ_iσ_{i+1})², so the 1/Δσ-scaled gradient vanishes instead of matching (b).
 *
 * ## Check design
 * Deterministic float64 sums for N ∈ {10², 10³, 10⁴, 10⁵}. The CT difference is evaluated through the model at
 * x = ξ + σz with z = 0: the noise cancels algebraically in the toy (a property of the check's own model, not of a
 * subject, so it is no part of the check — no subject could make it fail; `toyCtLoss`'s spec tests it).
 * Teacher modes: 'ema' (θ⁻ fixed ≠ θ): L^N for ξ ∈ {0, 3} against the closed-form limit; `holds` iff at N = 10⁵ both relative deviations are ≤ 1e-3 and they shrink
 * (local slope in 1/N ≥ 0.5 over the last refinement), `violated` iff the deviation exceeds 0.1 and does not shrink at
 * that order (a large ξ converges late but converges: that is `inconclusive`). 'stop-gradient' / 'no-stop-gradient': the gradient by central
 * differences in θ (exact for a quadratic up to rounding), with θ⁻ held at θ or moved with it, scaled by 1/Δσ,
 * against the closed form 2E[σ_min/σ²(1 − σ_min/σ)](θ − ξ) = (1 − σ_min/σ_max)²(θ − ξ)/(σ_max − σ_min);
 * `holds` iff the relative deviation at N = 10⁵ is ≤ 1e-2 and shrinking, `violated` iff it exceeds 0.5 and is not
 * shrinking at order ≥ ½.
 * σ_min = 0.002, σ_max = 1 (with σ_max = 80 the integrand's mass near σ_min is unresolved until Δσ ≪ σ_min, N ≫ 10⁵).
 *
 * ## Controls
 * holds: `emaTeacher` (θ = 1, θ⁻ = ½: the limit 0.2443 for ξ = 0 and ξ = 3 alike), `stopGradientTeacher`
 * (θ = 1, ξ = ¼: scaled gradient → 0.7485). violated: `noStopGradient` (the gradient through the teacher: scaled
 * gradient 0.0025 at N = 10⁵ → 0, THEORY §6.3 iCT-P1).
 *
 * ## References
 * [song2024] Proposition 1, Eqs. (6)–(7); THEORY §3.7, §6.3 iCT-P1.
 */
import { defineCheck, type Estimate, EvidenceBuilder, exactEstimate, formatNumber } from '../../src/index.ts';

export interface Proposition1Subject {
  /** How the teacher is formed: a fixed EMA copy θ⁻ ≠ θ, stop-gradient of θ, or θ itself with the gradient flowing. */
  readonly teacher: 'ema' | 'stop-gradient' | 'no-stop-gradient';
  readonly theta: number;
  /** Only for 'ema'. */
  readonly thetaMinus?: number;
  /** Data points ξ (two for the ξ-independence test; one suffices for the gradient). */
  readonly xis: readonly number[];
  /** @defaultValue 0.002 */
  readonly sigmaMin?: number;
  /** @defaultValue 1 */
  readonly sigmaMax?: number;
}

const NS = [100, 1000, 10_000, 100_000];
const EMA_RTOL = 1e-3;
const GRAD_RTOL = 1e-2;
const GRAD_FAIL = 0.5;

/** f_θ(x, σ) = (σ_min/σ)x + (1 − σ_min/σ)θ. */
function model(x: number, sigma: number, theta: number, sigmaMin: number): number {
  return (sigmaMin / sigma) * x + (1 - sigmaMin / sigma) * theta;
}

/** L^N(θ, θ⁻; ξ) through the model with x_i = ξ + σ_i z (shared z): uniform average over i = 1…N−1. */
export function toyCtLoss(theta: number, thetaMinus: number, xi: number, N: number, m: number, M: number, z: number): number {
  const ds = (M - m) / (N - 1);
  let s = 0;
  for (let i = 1; i < N; i++) {
    const si = m + (i - 1) * ds;
    const sj = i === N - 1 ? M : m + i * ds;
    const r = model(xi + sj * z, sj, theta, m) - model(xi + si * z, si, thetaMinus, m);
    s += r * r;
  }
  return s / (N - 1);
}

export const proposition1EmaTeacher = defineCheck<Proposition1Subject>({
  id: 'song2024.proposition1',
  kind: 'lemma',
  title: 'EMA teachers break CT: the θ⁻ ≠ θ limit ignores the data; stop-gradient scaled gradients converge',
  claim:
    'On the Dirac/linear toy: with θ⁻ ≠ θ, lim_N L^N = E[(1 − σ_min/σ)²](θ − θ⁻)², independent of ξ; with θ⁻ = stopgrad(θ), ' +
    'lim_N (1/Δσ)dL^N/dθ = d/dθ E[(σ_min/σ²)(1 − σ_min/σ)(θ − ξ)²] (stated in the source, Eqs. (6)–(7); algebra verified [D]).',
  source: { paper: 'song2024', label: 'Proposition 1', equation: '(6)–(7)' },
  dependsOn: ['song2024.schedules'],
  constants: [
    { symbol: 'L_inf', meaning: 'closed-form limit E[(1 − σ_min/σ)²](θ − θ⁻)² (EMA teacher)', role: 'bound' },
    { symbol: 'xi_gap', meaning: 'relative |L^N(ξ₁) − L^N(ξ₂)|/L_inf at N = 10⁵ (EMA teacher)', role: 'estimated' },
    { symbol: 'G_inf', meaning: 'closed-form limit of the scaled gradient (stop-gradient)', role: 'bound' },
    { symbol: 'G_N', meaning: '(1/Δσ)dL^N/dθ at N = 10⁵ for the subject’s gradient path', role: 'estimated' },
  ],
  subject: 'training-run',
  design: { estimand: 'continuum limits of the toy CT loss and its scaled gradient', decision: 'equality', falseFailRate: 1e-12 },
  controls: [
    { name: 'emaTeacher', description: 'θ = 1, θ⁻ = ½, ξ ∈ {0, 3}: the limit loss is the same for both data points', expected: 'holds', build: () => ({ teacher: 'ema' as const, theta: 1, thetaMinus: 0.5, xis: [0, 3] }) },
    { name: 'stopGradientTeacher', description: 'θ⁻ = stopgrad(θ), θ = 1, ξ = ¼: (1/Δσ)dL/dθ → (1 − σ_min/σ_max)²(θ − ξ)/(σ_max − σ_min)', expected: 'holds', build: () => ({ teacher: 'stop-gradient' as const, theta: 1, xis: [0.25] }) },
    { name: 'noStopGradient', description: 'θ⁻ = θ with the gradient through the teacher: the scaled gradient vanishes like 1/N', expected: 'violated', build: () => ({ teacher: 'no-stop-gradient' as const, theta: 1, xis: [0.25] }) },
  ],
  async run(s, ctx) {
    const m = s.sigmaMin ?? 0.002;
    const M = s.sigmaMax ?? 1;
    const parts = new EvidenceBuilder('song2024.proposition1');
    const estimates: Record<string, Estimate> = {};
    const thetaMinus = s.teacher === 'ema' ? s.thetaMinus ?? s.theta : s.theta;

    const series: { name: string; x: number[]; y: number[] }[] = [];
    let reason = '';
    if (s.teacher === 'ema') {
      const Linf = (((M - m) - 2 * m * Math.log(M / m) + m - (m * m) / M) / (M - m)) * (s.theta - thetaMinus) ** 2;
      estimates['L_inf'] = exactEstimate(Linf);
      const devs: number[] = [];
      const gaps: number[] = [];
      for (const N of NS) {
        ctx.checkBudget();
        const ls = s.xis.map((xi) => toyCtLoss(s.theta, thetaMinus, xi, N, m, M, 0));
        devs.push(Math.max(...ls.map((l) => Math.abs(l - Linf))) / Linf);
        gaps.push((Math.max(...ls) - Math.min(...ls)) / Linf);
        // Stryker disable next-line ObjectLiteral: the EMA branch draws no plot (plots: [] below), so these series are never read
        series.push(...s.xis.map((xi, k) => ({ name: `ξ = ${xi}, N = ${N}`, x: [N], y: [ls[k]!] })));
      }
      const last = NS.length - 1;
      const slope = Math.log(devs[last - 1]! / devs[last]!) / Math.log(NS[last]! / NS[last - 1]!);
      estimates['xi_gap'] = exactEstimate(gaps[last]!);
      const ok = devs[last]! <= EMA_RTOL && gaps[last]! <= EMA_RTOL && slope >= 0.5;
      // Stryker disable next-line EqualityOperator: > vs ≥ differ only at a relative deviation of exactly 0.1, which no subject reaches
      // violated only where the deviation is large and not shrinking: a large deviation that still falls at order ≥ ½
      // (large ξ converges late: ξ = 3000 is 0.55 off at N = 10⁵, falling at order 2) does not contradict the limit
      parts.add('θ⁻ ≠ θ: limit independent of ξ', ok ? 'holds' : devs[last]! > 0.1 && !(slope >= 0.5) ? 'violated' : 'inconclusive', `relative deviation from E[(1 − σ_min/σ)²](θ − θ⁻)² = ${formatNumber(Linf)}: ${devs.map(formatNumber).join(', ')} at N = ${NS.join(', ')} (order ${formatNumber(slope)}); ξ-gap ${formatNumber(gaps[last]!)}`, {
        description: `L^N at N = ${NS[last]} deviates from the ξ-free limit by ${formatNumber(devs[last]!)} (relative)`,
        value: devs[last]!,
      });
      reason = `With an EMA teacher (θ − θ⁻ = ${s.theta - thetaMinus}) the CT loss tends to ${formatNumber(Linf)} for ξ = ${s.xis.join(' and ξ = ')} alike (relative gap ${formatNumber(gaps[last]!)} at N = 10⁵): the loss no longer sees the data, so its minimiser is θ = θ⁻ whatever ξ is.`;
    } else {
      const xi = s.xis[0]!;
      const Ginf = ((1 - m / M) ** 2 * (s.theta - xi)) / (M - m);
      estimates['G_inf'] = exactEstimate(Ginf);
      const devs: number[] = [];
      const grads: number[] = [];
      const h = 1e-3;
      for (const N of NS) {
        ctx.checkBudget();
        const ds = (M - m) / (N - 1);
        // Stop-gradient: only the student's θ moves; no stop-gradient: the teacher's θ moves with it.
        const moveTeacher = s.teacher === 'no-stop-gradient' ? 1 : 0;
        const gradient = (toyCtLoss(s.theta + h, s.theta + moveTeacher * h, xi, N, m, M, 0) - toyCtLoss(s.theta - h, s.theta - moveTeacher * h, xi, N, m, M, 0)) / (2 * h) / ds;
        grads.push(gradient);
        devs.push(Math.abs(gradient - Ginf) / Math.abs(Ginf));
      }
      series.push({ name: s.teacher, x: NS, y: grads });
      const last = NS.length - 1;
      const slope = Math.log(devs[last - 1]! / devs[last]!) / Math.log(NS[last]! / NS[last - 1]!);
      estimates['G_N'] = exactEstimate(grads[last]!);
      const verdict = devs[last]! <= GRAD_RTOL && slope >= 0.5 ? 'holds' : devs[last]! > GRAD_FAIL && !(slope >= 0.5) ? 'violated' : 'inconclusive';
      parts.add('scaled gradient → Eq. (7)', verdict, `(1/Δσ)dL^N/dθ = ${grads.map(formatNumber).join(', ')} at N = ${NS.join(', ')} vs the limit ${formatNumber(Ginf)} (relative deviation ${formatNumber(devs[last]!)}, order ${formatNumber(slope)})`, {
        description: `with the gradient through the teacher the scaled gradient is ${formatNumber(grads[last]!)} at N = 10⁵, not ${formatNumber(Ginf)}: it vanishes like 1/N`,
        value: grads[last]!,
      });
      reason =
        s.teacher === 'stop-gradient'
          ? `With θ⁻ = stopgrad(θ) the 1/Δσ-scaled gradient converges to ${formatNumber(Ginf)} (${formatNumber(grads[last]!)} at N = 10⁵), the gradient of E[(σ_min/σ²)(1 − σ_min/σ)(θ − ξ)²]: training still pulls θ to ξ.`
          : `Without stop-gradient the scaled gradient is ${formatNumber(grads[last]!)} at N = 10⁵ (→ 0 like 1/N) instead of ${formatNumber(Ginf)}: the learning signal vanishes in the continuum limit.`;
    }
    return parts.evidence(
      ctx.rng,
      {
        estimates,
        diagnostics: [{ kind: 'note', message: `uniform grid on [${m}, ${M}], λ ≡ 1, squared ℓ₂; gradients by central differences in θ (step 1e-3, exact for the quadratic loss up to rounding)` }],
        plots: s.teacher === 'ema' ? [] : [{ id: 'prop1-gradient', title: 'scaled gradient (1/Δσ)dL^N/dθ against N', mark: 'line', x: { label: 'N', scale: 'log' }, y: { label: 'scaled gradient', scale: 'log' }, series }],
      },
      () => reason,
    );
  },
});
