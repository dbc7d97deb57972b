import { ValidationError } from '../../core/errors.ts';
import type { ExactTarget } from '../../distributions/exactTarget.ts';
import { referenceFlow, type ReferenceFlow } from '../../flows/referenceFlow.ts';
import { pfOdeStep, type PfOdeSolver } from '../../flows/solvers/pfOdeStep.ts';
import type { ForwardProcess } from '../../processes/forwardProcess.ts';
import { squaredL2Loss, type ConsistencyLoss } from '../losses/consistencyLoss.ts';
import { uniformIndexSampler } from '../schedules/indexSamplers.ts';
import { karrasSchedule } from '../schedules/karrasSchedule.ts';
import type { TrainingPairs, TrainingVariant } from '../trainingVariant.ts';

/**
 * The teacher's one step from t_{n+1} to t_n with the EXACT score:
 * 'euler' / 'heun': one Euler / Heun step of the PF-ODE (Song et al. 2023, Eq. 6);
 * 'exact': the exact flow map Φ_{t_{n+1}→t_n} of the reference flow (the ideal solver, zero local error);
 * 'euler-missing-t-factor': NEGATIVE CONTROL — the handwritten note's step x + (t_{n+1}−t_n)·∇log p without the
 * factor t_{n+1} (THEORY §5.1 item 2), an inconsistent scheme.
 */
export type TeacherSolver = PfOdeSolver | 'exact';

export interface ConsistencyDistillationOptions {
  readonly solver: TeacherSolver;
  /** Fixed grid size N. @defaultValue 18 (CIFAR-10 CD) */
  readonly N?: number;
  /** Teacher EMA rate μ. @defaultValue 0.95 */
  readonly mu?: number;
  /** @defaultValue 7 */
  readonly rho?: number;
  /** @defaultValue squaredL2Loss() */
  readonly loss?: ConsistencyLoss;
}

/**
 * Consistency distillation with an exact teacher (Song et al. 2023, Algorithm 2; THEORY §3.4): x_{t_{n+1}} = x + t_{n+1}z
 * (a_t x + s_t z on other processes), n ~ U{1, …, N−1}, the teacher input is one solver step of the PF-ODE driven by the
 * target's exact score, EMA teacher with fixed μ. Steps are taken in the VE-equivalent variables y = x/a, σ = s/a
 * (dy/dσ = (y − E[X₀ | y])/σ), which is the exact PF-ODE of every Gaussian-path process (THEORY §0.2).
 */
export function consistencyDistillationVariant(process: ForwardProcess, options: ConsistencyDistillationOptions): TrainingVariant {
  const N = options.N ?? 18;
  const mu = options.mu ?? 0.95;
  if (!(mu >= 0 && mu <= 1)) throw new ValidationError('E_INVALID_INPUT', `must be in [0, 1], got ${mu}`, 'mu');
  if (!['euler', 'heun', 'exact', 'euler-missing-t-factor'].includes(options.solver)) {
    throw new ValidationError('E_INVALID_INPUT', `must be euler, heun, exact or euler-missing-t-factor, got '${options.solver}'`, 'solver');
  }
  const schedule = karrasSchedule({ N, tMin: process.tMin, tMax: process.tMax, ...(options.rho === undefined ? {} : { rho: options.rho }) });
  const loss = options.loss ?? squaredL2Loss();
  const flows = new WeakMap<ExactTarget, ReferenceFlow>();
  const flowFor = (target: ExactTarget, p: ForwardProcess): ReferenceFlow => {
    let f = flows.get(target);
    if (f === undefined || f.process !== p) {
      f = referenceFlow(target, p);
      flows.set(target, f);
    }
    return f;
  };
  return {
    id: options.solver === 'euler-missing-t-factor' ? 'cd-euler-missing-t-factor' : `cd-${options.solver}`,
    title: `Consistency distillation (Song et al. 2023, Alg. 2) with an exact-score teacher, ${options.solver} step`,
    schedule,
    indexSampler: uniformIndexSampler(),
    loss,
    teacherEmaRate: () => mu,
    makePairs: (x0, times, indices, ctx, rng): TrainingPairs => {
      const { n, d } = x0;
      const p = ctx.process;
      const z = rng.fillNormal(new Float64Array(n * d));
      const studentX = new Float64Array(n * d);
      const teacherX = new Float64Array(n * d);
      const studentT = new Float64Array(n);
      const teacherT = new Float64Array(n);
      const weights = new Float64Array(n);
      const groups = new Map<number, number[]>();
      for (let q = 0; q < n; q++) {
        const i = indices[q]!;
        const hi = times[i + 1]!;
        const a = p.signalScale(hi);
        const s = p.noiseScale(hi);
        for (let j = 0; j < d; j++) studentX[q * d + j] = a * x0.data[q * d + j]! + s * z[q * d + j]!;
        studentT[q] = hi;
        teacherT[q] = times[i]!;
        weights[q] = loss.weighting.weight(times[i]!, hi);
        const group = groups.get(i);
        if (group === undefined) groups.set(i, [q]);
        else group.push(q);
      }
      for (const [i, members] of groups) {
        const lo = times[i]!;
        const hi = times[i + 1]!;
        const m = members.length;
        const xs = new Float64Array(m * d);
        members.forEach((q, k) => xs.set(studentX.subarray(q * d, (q + 1) * d), k * d));
        const stepped = options.solver === 'exact' ? flowFor(ctx.target, p).map({ n: m, d, data: xs }, hi, lo).y.data : pfOdeStep(ctx.target, p, { n: m, d, data: xs }, hi, lo, options.solver).data;
        members.forEach((q, k) => teacherX.set(stepped.subarray(k * d, (k + 1) * d), q * d));
      }
      return { studentX: { n, d, data: studentX }, studentT, teacherX: { n, d, data: teacherX }, teacherT, weights, indices, gridSize: times.length };
    },
  };
}
