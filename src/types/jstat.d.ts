// jstat ships no type declarations. This declares only the members cmbounds calls; extend it when a new one is
// needed rather than loosening it to `any`.
declare module 'jstat' {
  interface JStatContinuous {
    cdf(x: number, ...parameters: number[]): number;
    pdf(x: number, ...parameters: number[]): number;
    inv(p: number, ...parameters: number[]): number;
  }
  interface JStatDiscrete {
    cdf(k: number, ...parameters: number[]): number;
    pdf(k: number, ...parameters: number[]): number;
  }
  interface JStat {
    /** Student t: `studentt.inv(p, dof)`, `studentt.cdf(x, dof)`, `studentt.pdf(x, dof)`. */
    readonly studentt: JStatContinuous;
    /** Beta: `beta.inv(p, a, b)`, `beta.cdf(x, a, b)`, `beta.pdf(x, a, b)`. */
    readonly beta: JStatContinuous;
    /** Binomial: `binomial.cdf(k, n, p)`, `binomial.pdf(k, n, p)`. */
    readonly binomial: JStatDiscrete;
    /** Regularised incomplete beta I_x(a, b). */
    ibeta(x: number, a: number, b: number): number;
  }
  const jStat: JStat;
  export default jStat;
}
