import { describe, expect, it } from 'vitest';
import { holmLine } from '../../../src/report/renderMarkdown.ts';

describe('the Holm line of a report entry', () => {
  it('never says a violation survives for a check that reported none', () => {
    // what li2024.scoreSecondMoment (holds) printed: "Holm: p = 3.578e-73, adjusted 7.157e-73 (violation survives multiplicity)"
    const line = holmLine({ pValue: 3.578e-73, adjustedPValue: 1, rejected: false }, 'holds', 1e-3);
    expect(line).toBe("Holm: the check reported *holds*, so it has no violation to adjust; it counts in the battery's family with p = 1.");
    expect(holmLine({ pValue: 0.3, adjustedPValue: 1, rejected: false }, 'inconclusive', 1e-3)).not.toMatch(/surviv/);
  });

  it('states the outcome of a violation against the battery rate', () => {
    expect(holmLine({ pValue: 1e-5, adjustedPValue: 3e-5, rejected: true }, 'violated', 1e-3)).toBe('Holm: p = 1.000e-5, adjusted 3.000e-5 ≤ 0.001: the violation survives multiplicity.');
    expect(holmLine({ pValue: 0.002, adjustedPValue: 0.002, rejected: false }, 'violated', 1e-3)).toBe(
      'Holm: p = 0.002, adjusted 0.002 > 0.001: the violation does not survive multiplicity, so it is reported inconclusive.',
    );
  });
});
