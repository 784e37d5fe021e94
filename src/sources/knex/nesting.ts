/**
 * oxc-parser is recursive native code: a few thousand nested brackets or tens of thousands of
 * chained operators (`[[[[...]]]]`, `1+1+...+1`, `!!!!...x`) overflow its stack and the whole
 * process dies with SIGSEGV, no report at all. Before a JS/TS file is parsed, this linear scan
 * estimates how deep its syntax tree goes, and a file far deeper than any real code is refused
 * with a finding instead.
 *
 * Measured here (Node 20, oxc-parser 0.159, main thread): crashes from about 5,500 nested
 * parentheses, 9,000 nested arrays, 20,000 unary operators, 60,000 terms of a sum. The estimate
 * counts every open bracket 4 times and every operator in the expression under way once;
 * MAX_ESTIMATED_DEPTH keeps more than a factor 2 from every one of those (worker threads have a
 * smaller stack), and is still hundreds of times what hand-written or generated migrations reach.
 */

export const MAX_ESTIMATED_DEPTH = 2000;
const BRACKET_WEIGHT = 4;

/** Characters of operators that nest the tree (binary, unary, ternary, assignment, arrow). */
const OPERATOR = new Set(['+', '-', '*', '/', '%', '&', '|', '^', '!', '~', '<', '>', '=', '?', ':']);

/**
 * The estimated depth of the deepest point of `text`, stopping early once over `limit`. Strings,
 * template text and comments are skipped (roughly: a regex literal counts as code).
 */
export function estimatedDepth(text: string, limit = MAX_ESTIMATED_DEPTH): number {
  // Operators counted at each open bracket level; templates push a marker (-1) for `${`.
  const runs: number[] = [0];
  let inRun = 0;
  let max = 0;
  const templates: number[] = [];
  const n = text.length;
  let i = 0;
  const skipString = (q: string): void => {
    i++;
    while (i < n && text[i] !== q && text[i] !== '\n') i += text[i] === '\\' ? 2 : 1;
    i++;
  };
  // Scans template text from i (just after ` or }) to the closing ` or to `${`.
  const templateText = (): boolean => {
    while (i < n) {
      const ch = text[i]!;
      if (ch === '\\') i += 2;
      else if (ch === '`') {
        i++;
        return false;
      } else if (ch === '$' && text[i + 1] === '{') {
        i += 2;
        return true;
      } else i++;
    }
    return false;
  };
  while (i < n) {
    const ch = text[i]!;
    if (ch === '/' && text[i + 1] === '/') {
      while (i < n && text[i] !== '\n') i++;
      continue;
    }
    if (ch === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? n : end + 2;
      continue;
    }
    if (ch === '"' || ch === "'") {
      skipString(ch);
      continue;
    }
    if (ch === '`') {
      i++;
      if (templateText()) {
        templates.push(runs.length);
        runs.push(0);
      }
      continue;
    }
    if (ch === '(' || ch === '[' || ch === '{') {
      runs.push(0);
      i++;
    } else if (ch === ')' || ch === ']' || ch === '}') {
      if (ch === '}' && templates.length > 0 && templates[templates.length - 1] === runs.length - 1) {
        templates.pop();
        inRun -= runs.pop()!;
        i++;
        if (templateText()) {
          templates.push(runs.length);
          runs.push(0);
        }
        continue;
      }
      if (runs.length > 1) inRun -= runs.pop()!;
      i++;
    } else if (ch === ';' || ch === ',') {
      inRun -= runs[runs.length - 1]!;
      runs[runs.length - 1] = 0;
      i++;
    } else if (OPERATOR.has(ch)) {
      runs[runs.length - 1]!++;
      inRun++;
      i++;
      // `a ** b`, `a === b`, `=>`: one operator, one level.
      while (i < n && OPERATOR.has(text[i]!) && text[i] !== '!' && text[i] !== '~') i++;
    } else {
      i++;
      continue;
    }
    const depth = (runs.length - 1) * BRACKET_WEIGHT + inRun;
    if (depth > max) {
      max = depth;
      if (max > limit) return max;
    }
  }
  return max;
}

/** Why `text` is not given to the JS parser, or null when it may be. */
export function tooDeeplyNested(text: string): string | null {
  const depth = estimatedDepth(text);
  if (depth <= MAX_ESTIMATED_DEPTH) return null;
  return `too deeply nested to analyse (brackets or chained operators far deeper than real code; the JavaScript parser would overflow its stack): not parsed`;
}
