import { distance } from 'fastest-levenshtein';
import type { AnyCheck } from '../checks/defineCheck.ts';
import { ConfigError } from '../core/errors.ts';

/**
 * The ids among `known` closest to `id`: those that contain it or that it contains (ignoring case), then those
 * within an edit distance of a third of its length (at least 2), nearest first; at most `limit`.
 */
export function closestIds(id: string, known: readonly string[], limit = 3): string[] {
  const lower = id.toLowerCase();
  const scored = known.map((k) => {
    const kl = k.toLowerCase();
    const contains = kl.includes(lower) || lower.includes(kl) || kl.split('.').pop() === lower;
    return { k, score: contains ? 0 : distance(lower, kl) };
  });
  const cutoff = Math.max(2, Math.floor(id.length / 3));
  return scored
    .filter((s) => s.score <= cutoff)
    .sort((a, b) => a.score - b.score || a.k.localeCompare(b.k))
    .slice(0, limit)
    .map((s) => s.k);
}

/**
 * The checks named in `ids` and, transitively, the checks of `checks` they depend on (a dependency outside the
 * battery is not run, as in a full battery), in the battery's order.
 * @throws ConfigError naming `--check` for an id that is not in the battery, with the closest ids.
 */
export function selectChecks<C extends Pick<AnyCheck, 'id' | 'dependsOn'>>(checks: readonly C[], ids: readonly string[], batteryName: string): C[] {
  const byId = new Map<string, C>(checks.map((c) => [c.id, c]));
  const known = [...byId.keys()];
  for (const id of ids) {
    if (byId.has(id)) continue;
    const close = closestIds(id, known);
    throw new ConfigError('E_INVALID_INPUT', `no check '${id}' in the ${batteryName}${close.length > 0 ? `; did you mean ${close.map((c) => `'${c}'`).join(' or ')}?` : `; its checks: ${known.join(', ')}`}`, '--check');
  }
  const wanted = new Set<string>();
  const visit = (id: string): void => {
    const c = byId.get(id);
    if (c === undefined || wanted.has(id)) return;
    wanted.add(id);
    for (const dep of c.dependsOn) visit(dep);
  };
  for (const id of ids) visit(id);
  return checks.filter((c) => wanted.has(c.id));
}
