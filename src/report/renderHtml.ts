import MarkdownIt from 'markdown-it';

/**
 * The Markdown report as one self-contained HTML page (markdown-it), with every `plots/*.svg` image replaced by
 * the SVG itself, so the page reads without a server or the plots folder.
 */
export function renderHtml(markdown: string, title: string, svgs: ReadonlyMap<string, string>): string {
  const md = new MarkdownIt({ html: true, linkify: false, typographer: false });
  let body = md.render(markdown);
  body = body.replace(/<img src="([^"]+)" alt="([^"]*)">/g, (match, src: string, alt: string) => {
    const svg = svgs.get(src);
    return svg === undefined ? match : `<figure>${svg}<figcaption>${alt}</figcaption></figure>`;
  });
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>
body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;line-height:1.45;color:#222}
table{border-collapse:collapse;margin:.5rem 0}td,th{border:1px solid #ccc;padding:.25rem .5rem;vertical-align:top}
th{background:#f4f4f4}blockquote{border-left:4px solid #ddd;margin:0;padding:0 1rem;color:#444}
code{background:#f4f4f4;padding:0 .2rem}figure{margin:1rem 0}figcaption{font-size:.9rem;color:#555}
</style></head><body>
${body}</body></html>
`;
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
