import { GaussianMixture, lhwSchedule, mixtureIdealisedRecursion, mixtureIdealisedError, mixtureFlowLipschitzLowerBound } from './src/index.ts';
import { mixtureIdealised, mixtureLipschitz } from './studies/_idealised.ts';
const mixes = { mild: { w: [0.5, 0.5], m: [-1, 1], v: [0.5, 0.5] }, sharp: { w: [0.5, 0.5], m: [-1.5, 1.5], v: [0.25, 0.25] } };
for (const [name, mix] of Object.entries(mixes)) for (const T of [64, 256]) {
  const target = new GaussianMixture(mix.w, mix.m.map((m) => [m]), mix.v.map((v) => [v]));
  const s = lhwSchedule({ T, c0: 2, c1: 8 });
  let t0 = Date.now();
  const srcW = mixtureIdealisedError(target, s, mixtureIdealisedRecursion(target, s, 'ct'));
  const srcWhi = mixtureIdealisedError(target, s, mixtureIdealisedRecursion(target, s, 'ct', { nodes: 257, hermite: 24 }), 4001);
  const t1 = Date.now();
  const st = mixtureIdealised(mix, s, 'ct');
  const sthi = mixtureIdealised(mix, s, 'ct', { nodes: 160, inner: 16 });
  const t2 = Date.now();
  console.log(name, T, 'src', srcW, srcWhi, 'study', st.W, sthi.W, 'D', st.D, sthi.D, 'ms', t1 - t0, t2 - t1);
  console.log('  Lf src', mixtureFlowLipschitzLowerBound(target, s), 'study', mixtureLipschitz(mix, s).value);
}
