import { describe, expect, it } from 'vitest';
import { gaussian, multistepRoundErrors, oneStepErrorAt, operatorNormAndDirection, ornsteinUhlenbeck } from '../../src/index.ts';

describe('multistepRoundErrors (1-D Gaussian, affine maps)', () => {
  it('matches the rounds written out by hand: W₂ = √((m − m_δ)² + (s − s_δ)²) after each re-noise and map', () => {
    const process = ornsteinUhlenbeck({ tMax: 2 });
    const [mu, lambda] = [0.7, 0.5];
    const target = gaussian([mu], [lambda]);
    const a = (t: number): number => Math.exp(-t);
    const sd = (t: number): number => Math.sqrt(a(t) ** 2 * lambda - Math.expm1(-2 * t));
    const delta = process.tMin;
    const tau = 0.5;
    // a slightly wrong map at τ (gain 0.9 of the exact slope) and the exact map at T
    const mapOf = (t: number, gain: number) => {
      const slope = (gain * sd(delta)) / sd(t);
      return { A: Float64Array.of(slope), b: Float64Array.of(a(delta) * mu - slope * a(t) * mu), residual: 0 };
    };
    const start = mapOf(2, 1);
    const atTau = mapOf(tau, 0.9);
    const e = multistepRoundErrors(target, process, start, atTau, tau, 4);
    let mean = start.b[0]!;
    let variance = start.A[0]! ** 2;
    const decay = Math.exp(-(tau - delta));
    const byHand = [Math.hypot(mean - a(delta) * mu, Math.sqrt(variance) - sd(delta))];
    for (let k = 1; k <= 4; k++) {
      mean = atTau.A[0]! * decay * mean + atTau.b[0]!;
      variance = atTau.A[0]! ** 2 * (decay ** 2 * variance + 1 - decay ** 2);
      byHand.push(Math.hypot(mean - a(delta) * mu, Math.sqrt(variance) - sd(delta)));
    }
    for (let k = 0; k <= 4; k++) expect(Math.abs(e[k]! - byHand[k]!)).toBeLessThan(1e-12);
    // E(τ): the map at τ applied to p_τ itself, sd off by the factor 0.9
    expect(Math.abs(oneStepErrorAt(target, process, tau, atTau) - 0.1 * sd(delta))).toBeLessThan(1e-12);
  });
});

describe('operatorNormAndDirection', () => {
  it('returns ‖J‖_op and a unit direction it stretches by that much', () => {
    const J = Float64Array.of(1, 2, -0.5, 3);
    const { norm, direction } = operatorNormAndDirection(J, 0, 2);
    const image = [J[0]! * direction[0]! + J[1]! * direction[1]!, J[2]! * direction[0]! + J[3]! * direction[1]!];
    expect(Math.abs(Math.hypot(direction[0]!, direction[1]!) - 1)).toBeLessThan(1e-12);
    expect(Math.abs(Math.hypot(image[0]!, image[1]!) - norm)).toBeLessThan(1e-12);
    // ‖J‖²_op = top eigenvalue of JᵀJ = [[1.25, 0.5], [0.5, 13]]: (14.25 + √(11.75² + 1))/2
    expect(Math.abs(norm ** 2 - (14.25 + Math.sqrt(11.75 ** 2 + 1)) / 2)).toBeLessThan(1e-12);
  });
});
