/**
 * Where the comments of a file start, skipping string literals, quoted identifiers and dollar
 * quotes (SQL) or template literals (JS/TS), so that `-- migralint-disable` inside a string is not
 * taken for a directive.
 */
export type CommentSyntax = 'sql' | 'js';

export function commentSyntaxOf(path: string): CommentSyntax {
  return /\.(?:[cm]?js|[cm]?ts|jsx|tsx)$/i.test(path) ? 'js' : 'sql';
}

/** Offsets at which a comment (`--`, `//`, `/*`) starts. */
export function commentStarts(text: string, syntax: CommentSyntax): Set<number> {
  const starts = new Set<number>();
  const n = text.length;
  let i = 0;
  const skipQuoted = (quote: string, backslash: boolean): void => {
    i++;
    while (i < n) {
      const c = text[i]!;
      if (backslash && c === '\\') i += 2;
      else if (c === quote) {
        if (!backslash && text[i + 1] === quote) i += 2;
        else {
          i++;
          return;
        }
      } else i++;
    }
  };
  while (i < n) {
    const c = text[i]!;
    const next = text[i + 1];
    if ((c === '-' && next === '-' && syntax === 'sql') || (c === '/' && next === '/' && syntax === 'js')) {
      starts.add(i);
      while (i < n && text[i] !== '\n' && text[i] !== '\r') i++;
    } else if (c === '/' && next === '*') {
      starts.add(i);
      // SQL block comments nest; JS ones do not.
      let depth = 1;
      i += 2;
      while (i < n && depth > 0) {
        if (text[i] === '*' && text[i + 1] === '/') {
          depth--;
          i += 2;
        } else if (syntax === 'sql' && text[i] === '/' && text[i + 1] === '*') {
          depth++;
          i += 2;
        } else i++;
      }
    } else if (c === "'" || c === '"') {
      // SQL doubles the quote to escape it (E'' strings aside); JS uses backslashes.
      const eString = syntax === 'sql' && c === "'" && /[eE]/.test(text[i - 1] ?? '') && !/\w/.test(text[i - 2] ?? '');
      skipQuoted(c, syntax === 'js' || eString);
    } else if (c === '`') {
      // JS template literal, or a MySQL/SQLite quoted identifier.
      skipQuoted('`', syntax === 'js');
    } else if (c === '$' && syntax === 'sql' && !/\w/.test(text[i - 1] ?? '')) {
      const tag = /^\$(?:[A-Za-z_][A-Za-z_0-9]*)?\$/.exec(text.slice(i, i + 64));
      if (tag) {
        const close = text.indexOf(tag[0], i + tag[0].length);
        i = close < 0 ? n : close + tag[0].length;
      } else i++;
    } else i++;
  }
  return starts;
}
