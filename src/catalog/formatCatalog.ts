import type { CatalogEntry } from './buildCatalog.ts';

/** Narrowest and widest layouts `formatCatalogTable` produces; a terminal outside this range gets the nearest. */
export const CATALOG_MIN_WIDTH = 60;
export const CATALOG_MAX_WIDTH = 120;
/** The width used when the output is not a terminal (a pipe, a file, CI logs). */
export const CATALOG_DEFAULT_WIDTH = 100;

const KIND_WIDTH = 'assumption'.length;
const INDENT = '    ';

/**
 * The statements as a table that fits `width` columns: one row per statement with its id, kind and source (the
 * source wraps inside its column), then an indented line, wrapped to the width, with its dependencies, its controls
 * (how many expect `holds` / `violated`) and its file:line. No line is longer than `width` unless a single word
 * (an id or a path) is longer than the space left for it.
 */
export function formatCatalogTable(entries: readonly CatalogEntry[], width: number = CATALOG_DEFAULT_WIDTH): string {
  const total = Math.min(CATALOG_MAX_WIDTH, Math.max(CATALOG_MIN_WIDTH, Math.floor(width)));
  const idWidth = Math.max('statement'.length, ...entries.map((e) => e.id.length));
  const sourceColumn = idWidth + 2 + KIND_WIDTH + 2;
  const sourceWidth = Math.max(20, total - sourceColumn);
  const lines: string[] = [];
  lines.push(`${'statement'.padEnd(idWidth)}  ${'kind'.padEnd(KIND_WIDTH)}  source`.trimEnd());
  lines.push(`${INDENT}file:line · controls (holds/violated) · depends on`);
  lines.push('-'.repeat(Math.min(total, sourceColumn + sourceWidth)));
  for (const e of entries) {
    const source = `${e.source.paper} ${e.source.label}${e.source.equation ? ` ${e.source.equation}` : ''}`;
    const wrapped = wrapWords(source, sourceWidth);
    wrapped.forEach((text, i) => {
      const left = i === 0 ? `${e.id.padEnd(idWidth)}  ${e.kind.padEnd(KIND_WIDTH)}  ` : ' '.repeat(sourceColumn);
      lines.push(`${left}${text}`.trimEnd());
    });
    const details = [`${e.file}:${e.line}`, `controls ${e.controls.holds}/${e.controls.violated}`, `depends on ${e.dependsOn.join(', ') || 'nothing'}`];
    for (const text of wrapGroups(details, total - INDENT.length)) lines.push(`${INDENT}${text}`);
  }
  return lines.join('\n');
}

/** Joins groups with ` · ` into lines of at most `width`, breaking between groups; a group too long for a line is word-wrapped. */
export function wrapGroups(groups: readonly string[], width: number): string[] {
  const lines: string[] = [];
  let current = '';
  for (const group of groups) {
    if (current.length > 0 && current.length + 3 + group.length <= width) {
      current += ` · ${group}`;
      continue;
    }
    if (current.length > 0) lines.push(current);
    const wrapped = wrapWords(group, width);
    lines.push(...wrapped.slice(0, -1));
    current = wrapped[wrapped.length - 1]!;
  }
  lines.push(current);
  return lines;
}

/** Greedy word wrap at spaces; a word longer than `width` stands alone on its line. */
export function wrapWords(text: string, width: number): string[] {
  const lines: string[] = [];
  let current = '';
  for (const word of text.split(/\s+/).filter((w) => w.length > 0)) {
    if (current.length === 0) current = word;
    else if (current.length + 1 + word.length <= width) current += ` ${word}`;
    else {
      lines.push(current);
      current = word;
    }
  }
  lines.push(current);
  return lines;
}
