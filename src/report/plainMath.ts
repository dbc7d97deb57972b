/**
 * Report text with its mathematics as plain text, for places that cannot typeset (a terminal, SVG text): the `$`
 * delimiters are dropped and the few TeX commands report texts use become what they print (`\log` → `log`,
 * `\{` → `{`, `\,` → a space). The rest of the formula is already Unicode (`Φ_{1000→1}`, `T^{−c₄d}`) and stays.
 */
export function mathAsPlainText(text: string): string {
  return text.replace(/\$([^$]+)\$/g, (_match, math: string) =>
    math
      .replace(/\\(log|max|min|sup|inf|exp|det|tr)(?![A-Za-z])/g, '$1')
      .replace(/\\([{}])/g, '$1')
      .replace(/\\[,;:!]/g, ' ')
      .replace(/\\vert\b ?/g, '|'),
  );
}
