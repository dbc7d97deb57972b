/**
 * The one way a statement turns its sub-claims into Evidence: collect named parts with their verdicts (and the
 * witness of each violated part), then build the Evidence with the combined verdict, a reason sentence that knows
 * that verdict, the first witness, and the check id typed once, when the builder is made.
 */
import type { Rng } from '../random/rng.ts';
import { combineVerdicts, makeEvidence, provenanceOf, type Evidence, type EvidenceBody, type EvidencePart, type Witness } from './evidence.ts';
import type { StatementId, Verdict } from './statement.ts';

/** What `EvidenceBuilder.evidence` may add beyond the parts. */
export interface EvidenceExtras {
  /** The witness of a `violated` verdict, in place of the first violated part's witness. */
  readonly witness?: Witness;
  /** For an `inconclusive` verdict: the samples a decision would need. */
  readonly samplesNeeded?: number;
}

export class EvidenceBuilder {
  readonly parts: EvidencePart[] = [];
  private readonly witnesses: Witness[] = [];

  constructor(readonly checkId: StatementId) {}

  /**
   * Adds a part. A violated part's witness is kept (the first one becomes the Evidence witness); without one, the
   * part's name and reason stand as the witness's description.
   */
  add(name: string, verdict: Verdict, reason: string, witness?: Witness): void {
    this.parts.push({ name, verdict, reason });
    if (verdict === 'violated') this.witnesses.push(witness ?? { description: `${name}: ${reason}`, value: Number.NaN });
  }

  /** violated if any part is, else inconclusive if any part is, else holds (also with no parts). */
  get verdict(): Verdict {
    return combineVerdicts(this.parts.map((p) => p.verdict));
  }

  /** The names of the parts with this verdict, in the order they were added. */
  named(verdict: Verdict): string[] {
    return this.parts.filter((p) => p.verdict === verdict).map((p) => p.name);
  }

  /** Evidence with the combined verdict and the parts; `reason` is the sentence, or a function of the verdict that writes it. */
  evidence(rng: Rng, body: Omit<EvidenceBody, 'reason' | 'parts'>, reason: string | ((verdict: Verdict) => string), extras: EvidenceExtras = {}): Evidence {
    const verdict = this.verdict;
    const full: EvidenceBody = { ...body, reason: typeof reason === 'string' ? reason : reason(verdict), parts: this.parts };
    const provenance = provenanceOf(rng);
    if (verdict === 'violated') {
      const witness = extras.witness ?? this.witnesses[0];
      return makeEvidence(this.checkId, provenance, full, witness === undefined ? { verdict } : { verdict, witness: jsonSafe(witness) });
    }
    if (verdict === 'inconclusive') return makeEvidence(this.checkId, provenance, full, extras.samplesNeeded === undefined ? { verdict } : { verdict, samplesNeeded: extras.samplesNeeded });
    return makeEvidence(this.checkId, provenance, full, { verdict });
  }
}

/** JSON-safe witness: a NaN value (no number to show) becomes 0, the description carrying the content. */
function jsonSafe(witness: Witness): Witness {
  return Number.isFinite(witness.value) ? witness : { ...witness, value: 0 };
}
