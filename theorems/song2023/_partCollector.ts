/**
 * Private helper of the issue-6 checks (song2023/, song2024/, lyu2023/, note/): collects named sub-claims with their
 * verdicts and the first witness of a violation, and builds the Evidence. Not a statement file (leading `_`).
 */
import { combineVerdicts, makeEvidence, provenanceOf, type EvidenceBody, type EvidencePart, type Witness } from '../../src/checks/evidence.ts';
import type { Evidence } from '../../src/checks/evidence.ts';
import type { StatementId, Verdict } from '../../src/checks/statement.ts';
import type { Rng } from '../../src/random/rng.ts';

export class PartCollector {
  readonly parts: EvidencePart[] = [];
  private readonly witnesses: Witness[] = [];

  /** Adds a part; a violated part's witness is kept (the first one becomes the Evidence witness). */
  add(name: string, verdict: Verdict, reason: string, witness?: Witness): void {
    this.parts.push({ name, verdict, reason });
    if (verdict === 'violated') this.witnesses.push(witness ?? { description: `${name}: ${reason}`, value: Number.NaN });
  }

  get verdict(): Verdict {
    return combineVerdicts(this.parts.map((p) => p.verdict));
  }

  named(verdict: Verdict): string[] {
    return this.parts.filter((p) => p.verdict === verdict).map((p) => p.name);
  }

  /** Evidence with the combined verdict; `reason` gets the verdict so it can say why in one sentence. */
  evidence(checkId: StatementId, rng: Rng, body: Omit<EvidenceBody, 'reason' | 'parts'>, reason: (verdict: Verdict) => string): Evidence {
    const verdict = this.verdict;
    const full: EvidenceBody = { ...body, reason: reason(verdict), parts: this.parts };
    const provenance = provenanceOf(rng);
    if (verdict === 'violated') return makeEvidence(checkId, provenance, full, { verdict, witness: sanitize(this.witnesses[0]!) });
    if (verdict === 'inconclusive') return makeEvidence(checkId, provenance, full, { verdict });
    return makeEvidence(checkId, provenance, full, { verdict });
  }
}

/** JSON-safe witness: a NaN value (no number to show) becomes 0 with the description carrying the content. */
function sanitize(w: Witness): Witness {
  return Number.isFinite(w.value) ? w : { ...w, value: 0 };
}

/** A number in a sentence: 4 significant digits, exponent form outside [1e-3, 1e4). */
export function fmt(x: number): string {
  if (x === 0) return '0';
  if (!Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  return a >= 1e-3 && a < 1e4 ? String(Number(x.toPrecision(4))) : x.toExponential(3);
}
