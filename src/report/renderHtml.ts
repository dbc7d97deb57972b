import * as markdownItKatexModule from '@vscode/markdown-it-katex';
import katex from 'katex';
import MarkdownIt from 'markdown-it';
import { mathAsPlainText } from './plainMath.ts';

type MarkdownItPlugin = (md: InstanceType<typeof MarkdownIt>, options: Record<string, unknown>) => void;
// a CommonJS module compiled from TypeScript: its function is `exports.default`, which ESM loaders expose either as
// the default export or as the default export's `default` field
const markdownItKatex = ((m: { default?: unknown }): MarkdownItPlugin => {
  const inner = m.default as { default?: unknown } | undefined;
  return (typeof inner === 'function' ? inner : inner?.default) as MarkdownItPlugin;
})(markdownItKatexModule as { default?: unknown });

/**
 * How mathematics is marked in report texts (claims, titles, reasons, findings): between single dollars, `$Φ_{1000→1}$`,
 * in KaTeX's TeX dialect, which reads Unicode symbols (Φ, →, ‖, ≤, ², ₄, combining hats) as their commands; so
 * report.md stays readable as plain text and the HTML shows typeset formulas.
 *
 * KaTeX renders to MathML only (`output: 'mathml'`): browsers lay out MathML natively, so the page needs neither
 * KaTeX's stylesheet nor its fonts and stays one self-contained file. A formula KaTeX cannot parse is shown as its
 * source in a `katex-error` span (never an exception: a report is always written).
 */
export const KATEX_OPTIONS = { output: 'mathml', throwOnError: false, strict: 'ignore' } as const;

/** The verdict marks of report.md (emoji) and the CSS-styled text marks that replace them in HTML. */
const VERDICT_MARKS: readonly (readonly [string, string])[] = [
  ['✅ holds', 'holds'],
  ['❌ violated', 'violated'],
  ['❔ inconclusive', 'inconclusive'],
];

/** A markdown-it instance that renders `$…$` (inline) and `$$…$$` (block) mathematics with KaTeX as MathML. */
export function reportMarkdownIt(): InstanceType<typeof MarkdownIt> {
  const md = new MarkdownIt({ html: true, linkify: false, typographer: false });
  md.use(markdownItKatex, { ...KATEX_OPTIONS, katex });
  return md;
}

/**
 * The Markdown report as one self-contained HTML page (markdown-it), with every `plots/*.svg` image replaced by
 * the SVG itself, so the page reads without a server or the plots folder. Mathematics marked `$…$` is typeset as
 * MathML; verdict marks are text with CSS colours, so they need no emoji font.
 */
export function renderHtml(markdown: string, title: string, svgs: ReadonlyMap<string, string>): string {
  const md = reportMarkdownIt();
  const captions = new Map<string, string>();
  for (const m of markdown.matchAll(/!\[([^\]]*)\]\(([^)\s]+)\)/g)) captions.set(m[2]!, m[1]!);
  let body = md.render(markdown);
  body = body.replace(/<img src="([^"]+)" alt="([^"]*)">/g, (match: string, src: string, alt: string) => {
    const svg = svgs.get(src);
    if (svg === undefined) return match;
    const caption = captions.get(src);
    return `<figure>${svg}<figcaption>${caption === undefined ? alt : md.renderInline(caption)}</figcaption></figure>`;
  });
  for (const [mark, verdict] of VERDICT_MARKS) body = body.split(mark).join(`<span class="verdict verdict-${verdict}">${verdict}</span>`);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(mathAsPlainText(title))}</title>
<style>
body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;line-height:1.45;color:#222}
table{border-collapse:collapse;margin:.5rem 0}td,th{border:1px solid #ccc;padding:.25rem .5rem;vertical-align:top}
th{background:#f4f4f4}blockquote{border-left:4px solid #ddd;margin:0;padding:0 1rem;color:#444}
code{background:#f4f4f4;padding:0 .2rem}figure{margin:1rem 0}figcaption{font-size:.9rem;color:#555}
figure svg{max-width:100%;height:auto}
math{font-size:1.05em}.katex-error{color:#b00020;font-family:monospace}
.verdict{display:inline-block;padding:0 .45em;border-radius:.6em;font-weight:600;font-size:.9em;white-space:nowrap;border:1px solid}
.verdict::before{display:inline-block;width:.55em;height:.55em;margin-right:.35em;border-radius:50%;background:currentColor;content:""}
.verdict-holds{color:#1b5e20;background:#e8f5e9}.verdict-violated{color:#b71c1c;background:#ffebee}
.verdict-inconclusive{color:#6d4c00;background:#fff8e1}
</style></head><body>
${body}</body></html>
`;
}


function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
