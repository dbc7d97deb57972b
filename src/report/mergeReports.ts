import { holmAcrossBattery, rawResultOf } from '../checks/runBattery.ts';
import { ValidationError } from '../core/errors.ts';
import type { AuditReport } from './auditReport.ts';

/**
 * Combines the results of the shards of one run (`cmbounds run --shard i/n`) into the results of the whole
 * battery: entries in the battery's dependency order, and Holm re-applied across all of them from each check's
 * raw Evidence — so the merge equals an unsharded run with the same seed (every check draws from the stream
 * labelled by its own id, whichever shard runs it).
 * The Findings paragraph is recomputed from the merged results with `findings` (the suite's own function); without
 * it the merged report has none — never the paragraph of one shard, which describes only that shard.
 * @throws ValidationError when the inputs are not shards of one run (different configuration, seed, shard
 * count or suite), a shard is missing or repeated, or a check appears twice.
 */
export function mergeReports(shards: readonly AuditReport[], command: string, findings?: (report: AuditReport) => string): AuditReport {
  if (shards.length === 0) throw new ValidationError('E_INVALID_INPUT', 'needs at least one results file', 'results');
  const first = shards[0]!;
  shards.forEach((s, i) => {
    const field = `results[${i}]`;
    if (s.shard === undefined) throw new ValidationError('E_INVALID_INPUT', 'is not the result of a sharded run (no shard field)', field);
    if (s.provenance.configHash !== first.provenance.configHash) {
      throw new ValidationError('E_INVALID_INPUT', `has configuration ${s.provenance.configHash}, the first file has ${first.provenance.configHash}`, field);
    }
    if (s.shard.count !== first.shard!.count) throw new ValidationError('E_INVALID_INPUT', `is shard ${s.shard.index}/${s.shard.count}, expected ?/${first.shard!.count}`, field);
    if (s.falseFailRate !== first.falseFailRate) throw new ValidationError('E_INVALID_INPUT', `has false-fail rate ${s.falseFailRate}, expected ${first.falseFailRate}`, field);
  });
  const count = first.shard!.count;
  const indices = shards.map((s) => s.shard!.index).sort((a, b) => a - b);
  const expected = Array.from({ length: count }, (_, i) => i + 1);
  if (indices.join(',') !== expected.join(',')) {
    throw new ValidationError('E_INVALID_INPUT', `got shards ${indices.join(', ')} of ${count}; need each of 1..${count} exactly once`, 'results');
  }
  const order = first.shard!.order;
  const entries = shards.flatMap((s) => s.entries);
  const seen = new Set<string>();
  for (const e of entries) {
    if (seen.has(e.statement.id)) throw new ValidationError('E_INVALID_INPUT', `check ${e.statement.id} appears in more than one shard`, 'results');
    seen.add(e.statement.id);
  }
  entries.sort((a, b) => order.indexOf(a.statement.id) - order.indexOf(b.statement.id));
  const { results, summary } = holmAcrossBattery(entries.map((e) => rawResultOf(e.result)), first.falseFailRate);
  const { shard: _shard, findings: _shardFindings, ...rest } = first;
  const merged: AuditReport = {
    ...rest,
    entries: entries.map((e, i) => ({ statement: e.statement, result: results[i]! })),
    summary,
    provenance: {
      ...first.provenance,
      command,
      durationMs: shards.reduce((s, r) => s + r.provenance.durationMs, 0),
      startedAt: shards.map((s) => s.provenance.startedAt).sort()[0]!,
    },
  };
  return findings === undefined ? merged : { ...merged, findings: findings(merged) };
}
