import { describe, expect, it } from 'vitest';
import { EvidenceBuilder } from '../../../src/checks/evidenceBuilder.ts';
import { rngFromSeed } from '../../../src/random/rng.ts';

const rng = rngFromSeed(7).child('li2024.schedule');
const estimates = { c: { value: 1, interval: { lower: 1, upper: 1, level: 1 }, method: 'exact' as const, n: 1 } };

describe('EvidenceBuilder', () => {
  it('combines the parts: holds only when every part holds, with the id typed once and the provenance of the stream', () => {
    const builder = new EvidenceBuilder('li2024.schedule');
    builder.add('(27a)', 'holds', 'fine');
    builder.add('(27b)', 'holds', 'fine too');
    const evidence = builder.evidence(rng, { estimates }, (verdict) => `all parts: ${verdict}`);
    expect(evidence.verdict).toBe('holds');
    expect(evidence.checkId).toBe('li2024.schedule');
    expect(evidence.reason).toBe('all parts: holds');
    expect(evidence.parts.map((p) => p.name)).toEqual(['(27a)', '(27b)']);
    expect(evidence.provenance).toEqual({ seed: 7, rngPath: ['li2024.schedule'] });
    expect(evidence).not.toHaveProperty('witness');
  });

  it('is violated when any part is, with the first violated part\'s witness (not a later one)', () => {
    const builder = new EvidenceBuilder('li2024.schedule');
    builder.add('(27a)', 'inconclusive', 'too few draws');
    builder.add('(27b)', 'violated', 'spike at t = 3', { description: 'first', time: 3, value: 2.5 });
    builder.add('(27c)', 'violated', 'spike at t = 9', { description: 'second', time: 9, value: 7 });
    const evidence = builder.evidence(rng, { estimates }, 'fails');
    expect(builder.named('violated')).toEqual(['(27b)', '(27c)']);
    expect(evidence.verdict).toBe('violated');
    expect(evidence.verdict === 'violated' && evidence.witness).toEqual({ description: 'first', time: 3, value: 2.5 });
  });

  it('writes a JSON-safe witness from the part when none is given (value 0 in place of NaN)', () => {
    const builder = new EvidenceBuilder('li2024.schedule');
    builder.add('rate', 'violated', 'slope 1.2 > 0.5');
    const evidence = builder.evidence(rng, { estimates }, 'fails');
    expect(evidence.verdict === 'violated' && evidence.witness).toEqual({ description: 'rate: slope 1.2 > 0.5', value: 0 });
    expect(JSON.parse(JSON.stringify(evidence))).toEqual(evidence);
  });

  it('uses a witness given to `evidence` in place of the parts\' and passes samplesNeeded on an inconclusive verdict', () => {
    const violated = new EvidenceBuilder('li2024.schedule');
    violated.add('exact', 'violated', 'χ² tail too heavy', { description: 'part', value: 1 });
    const overridden = violated.evidence(rng, { estimates }, 'fails', { witness: { description: 'worst step', time: 4, value: 0.3 } });
    expect(overridden.verdict === 'violated' && overridden.witness).toEqual({ description: 'worst step', time: 4, value: 0.3 });

    const undecided = new EvidenceBuilder('li2024.schedule');
    undecided.add('Monte Carlo', 'inconclusive', 'interval straddles the bound');
    const evidence = undecided.evidence(rng, { estimates }, 'undecided', { samplesNeeded: 4000, witness: { description: 'ignored', value: 1 } });
    expect(evidence.verdict).toBe('inconclusive');
    expect(evidence.verdict === 'inconclusive' && evidence.samplesNeeded).toBe(4000);
    expect(evidence).not.toHaveProperty('witness');
  });

  it('holds with no parts (a statement with nothing to refute says so in its reason)', () => {
    expect(new EvidenceBuilder('li2024.schedule').evidence(rng, { estimates }, 'nothing to check').verdict).toBe('holds');
  });
});
