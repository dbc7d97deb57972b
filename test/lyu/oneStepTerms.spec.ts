import { describe, expect, it } from 'vitest';
import { exactConsistencyFunction, finalTimeLipschitz, gaussian, oneStepFixedTerms, ornsteinUhlenbeck, referenceFlow, rngFromSeed } from '../../src/index.ts';

describe('oneStepFixedTerms', () => {
  it('is the exact 1-D Gaussian W₂ √((m₁ − m₂)² + (s₁ − s₂)²) for both terms on one Gaussian', () => {
    const process = ornsteinUhlenbeck({ tMax: 1 });
    const terms = oneStepFixedTerms(gaussian([4], [1]), process);
    const a = (t: number): number => Math.exp(-t);
    const s = (t: number): number => Math.sqrt(-Math.expm1(-2 * t));
    const T = process.tMax;
    const delta = process.tMin;
    const prior = Math.hypot(4 * a(T), s(T) - Math.hypot(a(T), s(T)));
    const earlyStop = Math.hypot(4 * a(delta) - 4, Math.hypot(a(delta), s(delta)) - 1);
    // Bures on 1×1 covariances: rounding only
    expect(Math.abs(terms.priorW2 - prior)).toBeLessThan(1e-12);
    expect(Math.abs(terms.earlyStop - earlyStop)).toBeLessThan(1e-12);
    expect(terms.method).toBe('Bures (exact)');
  });
});

describe('finalTimeLipschitz', () => {
  it('is exact for the affine flow map of a Gaussian: the slope √(c_δ/c_T), c_t = a_t²λ + s_t²', () => {
    const process = ornsteinUhlenbeck({ tMax: 1 });
    const target = gaussian([0.5], [2]);
    const model = exactConsistencyFunction(referenceFlow(target, process));
    const rng = rngFromSeed(7);
    const result = finalTimeLipschitz(model, target, process, 16, rng.child('run'), rng.child('constants'));
    const c = (t: number): number => Math.exp(-2 * t) * 2 - Math.expm1(-2 * t);
    expect(result.affine).toBeDefined();
    expect(result.lip.interval.lower).toBe(result.lip.value);
    // the affine fit reproduces f(·, T) to AFFINE_RTOL; the slope from 5 probes is exact to ~1e-9 of the flow's accuracy
    expect(Math.abs(result.lip.value - Math.sqrt(c(process.tMin) / c(process.tMax)))).toBeLessThan(1e-6);
  });
});
