import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromRows, pointBatch } from '../../../src/core/pointBatch.ts';
import { GaussianMixture, gaussian } from '../../../src/distributions/gaussianMixture.ts';
import { rngFromSeed } from '../../../src/random/rng.ts';
import { expectAllClose, expectWithinStandardErrors } from '../../helpers/allClose.ts';
import { gaussianMixtureArb, pointArb } from '../../helpers/arbitraries.ts';

// Central differences with step h = 1e-5 err by h²·M₃/6 + ε·M₀/h. Covariances here have eigenvalues ≥ 0.2 and
// noise scales ≥ 0.3, so |∂³ log p| ≤ ~1e3 and |log p| ≤ ~1e2 on the test box: ≈ 2e-8 + 2e-9. We allow 1e-6
// (relative to max(1, |value|)) — 50× the bound — because M₃ is bounded, not computed.
const FD_STEP = 1e-5;
const FD_TOL = { rtol: 1e-6, atol: 1e-6 };
const noiseArb = fc.tuple(fc.double({ min: 0.2, max: 1.2, noNaN: true }), fc.double({ min: 0.3, max: 2, noNaN: true }));

describe('GaussianMixture', () => {
  it('has a score equal to a central finite difference of logDensity', () => {
    fc.assert(
      fc.property(gaussianMixtureArb(), noiseArb, fc.integer({ min: 0, max: 1000 }), (gmm, [a, s], seed) => {
        const d = gmm.dim;
        const x = fc.sample(pointArb(d), { seed, numRuns: 1 })[0]!;
        const m = gmm.noised(a, s);
        const score = m.score(fromRows([x])).data;
        const fd = x.map((_, j) => {
          const up = [...x], dn = [...x];
          up[j] = up[j]! + FD_STEP;
          dn[j] = dn[j]! - FD_STEP;
          return (m.logDensity(fromRows([up]))[0]! - m.logDensity(fromRows([dn]))[0]!) / (2 * FD_STEP);
        });
        expectAllClose(score, fd, FD_TOL, 'score');
      }),
      { seed: 20261123, numRuns: 60 },
    );
  });

  it('has a score Hessian equal to a central finite difference of the score', () => {
    fc.assert(
      fc.property(gaussianMixtureArb(), noiseArb, fc.integer({ min: 0, max: 1000 }), (gmm, [a, s], seed) => {
        const d = gmm.dim;
        const x = fc.sample(pointArb(d), { seed, numRuns: 1 })[0]!;
        const m = gmm.noised(a, s);
        const H = m.scoreHessian(fromRows([x]));
        const fd = new Float64Array(d * d);
        for (let j = 0; j < d; j++) {
          const up = [...x], dn = [...x];
          up[j] = up[j]! + FD_STEP;
          dn[j] = dn[j]! - FD_STEP;
          const su = m.score(fromRows([up])).data, sd = m.score(fromRows([dn])).data;
          for (let i = 0; i < d; i++) fd[i * d + j] = (su[i]! - sd[i]!) / (2 * FD_STEP);
        }
        expectAllClose(H, fd, FD_TOL, 'Hessian');
      }),
      { seed: 7, numRuns: 60 },
    );
  });

  it('satisfies Tweedie: E[X₀|x] = (x + s²∇log p(x))/a', () => {
    fc.assert(
      fc.property(gaussianMixtureArb(), noiseArb, fc.integer({ min: 0, max: 1000 }), (gmm, [a, s], seed) => {
        const x = fromRows([fc.sample(pointArb(gmm.dim), { seed, numRuns: 1 })[0]!]);
        const m = gmm.noised(a, s);
        const pm = m.posteriorMean(x).data;
        const sc = m.score(x).data;
        const tweedie = Array.from(x.data, (v, j) => (v + s * s * sc[j]!) / a);
        // two float64 evaluations of the same quantity by different formulas: rounding ~ ε·κ(C)·(|x| + s²|score|)/a
        // with κ ≤ 60 here; 1e-12 absolute (relative to the scale ≤ 40) leaves room.
        expectAllClose(pm, tweedie, { rtol: 1e-12, atol: 1e-12 * (1 + 40 / a) }, 'Tweedie');
      }),
      { seed: 11, numRuns: 80 },
    );
  });

  it('satisfies ∇²log p = −I/s² + (a²/s⁴)·Cov(X₀|x)', () => {
    fc.assert(
      fc.property(gaussianMixtureArb(), noiseArb, fc.integer({ min: 0, max: 1000 }), (gmm, [a, s], seed) => {
        const d = gmm.dim;
        const x = fromRows([fc.sample(pointArb(d), { seed, numRuns: 1 })[0]!]);
        const m = gmm.noised(a, s);
        const H = m.scoreHessian(x);
        const cov = m.posteriorCovariance(x);
        const rhs = Array.from(cov, (c, idx) => (Math.floor(idx / d) === idx % d ? -1 / (s * s) : 0) + (a * a * c) / s ** 4);
        // scale of the terms is 1/s⁴ ≤ 123 times O(10): rounding ≤ ~1e-12 absolute.
        expectAllClose(H, rhs, { rtol: 1e-10, atol: 1e-10 }, 'Hessian–covariance identity');
      }),
      { seed: 13, numRuns: 80 },
    );
  });

  it('agrees with an independent numpy/scipy computation (committed fixture)', async () => {
    const fixtures = (await import('../../reference/fixtures/oracleFixtures.json', { with: { type: 'json' } })).default;
    const { spec, x, cases } = fixtures.mixture;
    const d = spec.means[0]!.length;
    const gmm = new GaussianMixture(spec.weights, spec.means, spec.covariances.map((c) => c.flat()));
    const X = fromRows(x);
    for (const c of cases) {
      const m = gmm.noised(c.signal, c.noise);
      // numpy inverts C explicitly and scipy takes its own Cholesky: agreement to ~κ(C)·ε·scale; κ ≤ 40 here.
      const tol = { rtol: 1e-11, atol: 1e-11 };
      expectAllClose(m.logDensity(X), c.logDensity, tol, `logDensity a=${c.signal}`);
      expectAllClose(m.score(X).data, c.score.flat(), tol, `score a=${c.signal}`);
      expectAllClose(m.scoreHessian(X), c.scoreHessian.flat(2), tol, `scoreHessian a=${c.signal}`);
      expectAllClose(m.posteriorMean(X).data, c.posteriorMean.flat(), tol, `posteriorMean a=${c.signal}`);
      expectAllClose(m.posteriorCovariance(X), c.posteriorCovariance.flat(2), tol, `posteriorCovariance a=${c.signal}`);
      expect(d).toBe(3);
    }
  });

  it('samples with the exact mean and second moment (within 5 standard errors)', () => {
    // 5 SE two-sided: false-fail rate ≈ 6e-7 per coordinate.
    const gmm = new GaussianMixture([0.3, 0.7], [[-1, 2], [2, 0]], [[1, 0.5, 0.5, 2], [0.5, 0, 0, 0.25]]);
    const n = 40_000;
    const x = gmm.sample(n, rngFromSeed(5));
    const mean = gmm.mean();
    for (let j = 0; j < 2; j++) {
      let s = 0, s2 = 0;
      for (let i = 0; i < n; i++) {
        s += x.data[i * 2 + j]!;
        s2 += x.data[i * 2 + j]! ** 2;
      }
      const m = s / n;
      const sd = Math.sqrt(s2 / n - m * m);
      expectWithinStandardErrors(m, mean[j]!, sd / Math.sqrt(n), 5, `mean[${j}]`);
    }
    let norm2 = 0;
    const sq = new Float64Array(n);
    for (let i = 0; i < n; i++) sq[i] = x.data[2 * i]! ** 2 + x.data[2 * i + 1]! ** 2;
    sq.forEach((v) => (norm2 += v));
    const m2 = norm2 / n;
    let v2 = 0;
    sq.forEach((v) => (v2 += (v - m2) ** 2));
    expectWithinStandardErrors(m2, gmm.secondMoment(), Math.sqrt(v2 / (n - 1) / n), 5, 'E‖X‖²');
  });

  it('is invariant to the batch size (fixed seed): sample(7) is a prefix of sample(20)', () => {
    const gmm = new GaussianMixture([0.5, 0.5], [[0, 0], [3, 3]], [[1, 0, 0, 1], [2, 1, 1, 2]]);
    const a = gmm.sample(7, rngFromSeed(9).child('s')).data;
    const b = gmm.sample(20, rngFromSeed(9).child('s')).data;
    expect(Array.from(a)).toEqual(Array.from(b.subarray(0, 14)));
    const n1 = gmm.noised(0.5, 0.8).sample(5, rngFromSeed(9)).data;
    const n2 = gmm.noised(0.5, 0.8).sample(9, rngFromSeed(9)).data;
    expect(Array.from(n1)).toEqual(Array.from(n2.subarray(0, 10)));
  });

  it('returns the data law at (a, s) = (1, 0): p₀ itself', () => {
    const g = gaussian([1, 2], [2, 0, 0, 0.5]);
    const x = fromRows([[0.3, 1.1]]);
    const direct = -Math.log(2 * Math.PI) - 0.5 * Math.log(1) - 0.5 * ((0.7 ** 2) / 2 + (0.9 ** 2) / 0.5);
    expectAllClose(g.logDensity(x), [direct], { rtol: 1e-14 }, 'log N');
  });

  describe('validation', () => {
    it.each([
      ['negative weight', () => new GaussianMixture([1.5, -0.5], [[0], [1]], [[1], [1]]), /target\.weights\[1\]: must be ≥ 0/],
      ['weights not summing to 1', () => new GaussianMixture([0.5, 0.6], [[0], [1]], [[1], [1]]), /target\.weights: must sum to 1/],
      ['non-symmetric covariance', () => new GaussianMixture([1], [[0, 0]], [[1, 0.5, 0.4, 1]]), /target\.covariances\[0\]: not symmetric/],
      ['non-PD covariance', () => new GaussianMixture([0.5, 0.5], [[0, 0], [1, 1]], [[1, 0, 0, 1], [1, 2, 2, 1]]), /target\.covariances\[1\]: not positive definite/],
      ['mismatched mean dimension', () => new GaussianMixture([0.5, 0.5], [[0, 0], [1]], [[1, 0, 0, 1], [1, 0, 0, 1]]), /target\.means\[1\]: has dimension 1, expected 2/],
      ['NaN in a mean', () => new GaussianMixture([1], [[0, Number.NaN]], [[1, 0, 0, 1]]), /target\.means\[0\]\[1\]: must be finite/],
      ['Infinity in a covariance', () => new GaussianMixture([1], [[0]], [[Infinity]]), /target\.covariances\[0\]: entry \[0\]\[0\] must be finite/],
      ['too few covariances', () => new GaussianMixture([0.5, 0.5], [[0], [1]], [[1]]), /target\.covariances: has 1 entries but there are 2 weights/],
    ])('names the field for %s', (_name, build, message) => {
      expect(build).toThrow(message);
    });

    it('rejects points of the wrong dimension, naming x', () => {
      const g = gaussian([0, 0], [1, 0, 0, 1]);
      expect(() => g.noised(1, 1).score(pointBatch(1, 3))).toThrow(/^x: points have dimension 3/);
    });
  });
  it('computes posterior means of a block of points as the one-point loop does (to 1e-12 relative)', () => {
    // The blocked kernel (n ≥ 2, d ≥ 4) reassociates one sum per coordinate; against the one-point loop (n = 1) it must
    // agree to rounding. Dense and diagonal components, d with and without a remainder modulo 4, 70 points (two full
    // blocks of 32 and a ragged one), and small noise so that many responsibilities are negligible (skipped rows).
    for (const d of [4, 5, 8, 9, 32]) {
      const rng = rngFromSeed(11).child(`block-${d}`);
      const K = 5;
      const means = Array.from({ length: K }, () => Array.from({ length: d }, () => 3 * rng.normal()));
      const covariances = Array.from({ length: K }, (_, k) => {
        const c = new Float64Array(d * d);
        if (k === K - 1) {
          for (let i = 0; i < d; i++) c[i * d + i] = 0.3 + i / d; // diagonal: no rotation
          return c;
        }
        const A = Array.from({ length: d * d }, () => rng.normal());
        for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) {
          let v = i === j ? 0.2 : 0;
          for (let l = 0; l < d; l++) v += (A[i * d + l]! * A[j * d + l]!) / d;
          c[i * d + j] = v;
        }
        return c;
      });
      const gmm = new GaussianMixture(new Array(K).fill(1 / K), means, covariances);
      for (const [a, s] of [[1, 0.05], [0.8, 1.5]] as const) {
        const m = gmm.noised(a, s);
        const x = m.sample(70, rng.child(`x-${s}`));
        const blocked = new Float64Array(70 * d);
        m.posteriorMeanInto(x.data, 0, 70, blocked, 0);
        const pointwise = new Float64Array(70 * d);
        for (let i = 0; i < 70; i++) m.posteriorMeanInto(x.data, i * d, 1, pointwise, i * d);
        let scale = 1;
        for (const v of pointwise) scale = Math.max(scale, Math.abs(v));
        expectAllClose(blocked, pointwise, { atol: 1e-12 * scale }, `posterior mean d=${d} s=${s}`);
      }
    }
  });
});
