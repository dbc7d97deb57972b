/**
 * Statement texts mark their mathematics as `$…$` so that the HTML report typesets it (KaTeX): a TeX sub- or
 * superscript `_{…}`/`^{…}` outside a `$…$` span would be shown literally. Checked for the title and claim of every
 * statement in theorems/ and studies/, the texts every report prints.
 */
import { describe, expect, it } from 'vitest';
import { allChecks } from '../../../theorems/index.ts';
import { ctTrainedBudget } from '../../../studies/_ctTrained.ts';
import { constantsInT } from '../../../studies/constants.ts';
import { ctLossModeWeight } from '../../../studies/ctVsCd.ts';
import { multistepBestTimes } from '../../../studies/multistep.ts';
import { pdeBoundTrained } from '../../../studies/pdeResidual.ts';
import { theorem1TrainedInT } from '../../../studies/theorem1Rates.ts';
import { renderHtml } from '../../../src/report/renderHtml.ts';

/** The TeX scripts of `text` that are not inside a `$…$` span. */
export function unmarkedScripts(text: string): string[] {
  return text.replace(/\$[^$]+\$/g, ' ').match(/\S*[_^]\{[^}]*\}\S*/g) ?? [];
}

const statements = [...allChecks, ctTrainedBudget, constantsInT, ctLossModeWeight, multistepBestTimes, pdeBoundTrained, theorem1TrainedInT];

describe('mathematics in statement texts', () => {
  it('finds unmarked scripts (the detector itself)', () => {
    expect(unmarkedScripts('at Φ_{1000→1} and $T^{−c₄d}$, x^{2}')).toEqual(['Φ_{1000→1}', 'x^{2}']);
    expect(unmarkedScripts('$‖R(u, ·)‖_{L²(p_u)}$ du')).toEqual([]);
  });

  it.each(statements.map((c) => [c.id, c] as const))('%s marks every sub- and superscript of its title and claim as $…$, and KaTeX parses it', (_id, check) => {
    for (const text of [check.title, check.claim]) {
      expect(unmarkedScripts(text)).toEqual([]);
      expect(renderHtml(text, '', new Map())).not.toContain('class="katex-error');
    }
  });
});
