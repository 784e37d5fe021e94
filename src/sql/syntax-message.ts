/**
 * Syntax error messages in words. PEG parsers (sql-parser-cst, node-sql-parser) list what they
 * expected as literals and character classes (`[0-9]`, `[A-Z,a-z,_]`) and name the character
 * they found, even a space: this turns both into what a reader of a migration understands
 * (`unexpected space after "$"; expected a digit or a letter`).
 */

/** Names of character classes as the parsers print them. */
function className(cls: string): string {
  const body = cls.slice(1, -1);
  const parts = new Set(body.split(','));
  const digits = parts.has('0-9');
  const letters = parts.has('A-Z') || parts.has('a-z');
  const hex = parts.has('a-f') || parts.has('A-F');
  if (digits && hex) return 'a hexadecimal digit';
  if (letters && digits) return 'a letter, digit or _';
  if (letters) return parts.has('_') ? 'a letter or _' : 'a letter';
  if (digits) return 'a digit';
  if (body === ' \\t\\n\\r' || body === '\\t\\n\\r ') return 'whitespace';
  return `one of ${[...parts].map((p) => `"${p}"`).join(', ')}`;
}

/** Splits "A, B, or C" (items may be quoted strings or [classes] holding commas) into items. */
export function splitExpectedList(list: string): string[] {
  const items: string[] = [];
  let i = 0;
  const n = list.length;
  while (i < n) {
    while (i < n && (list[i] === ' ' || list[i] === ',')) i++;
    if (list.startsWith('or ', i)) i += 3;
    if (i >= n) break;
    let j = i;
    if (list[i] === '"') {
      j++;
      while (j < n && list[j] !== '"') j += list[j] === '\\' ? 2 : 1;
      j++;
    } else if (list[i] === '[') {
      j++;
      while (j < n && list[j] !== ']') j += list[j] === '\\' ? 2 : 1;
      j++;
    } else {
      while (j < n && list[j] !== ',') j++;
      while (j > i && list[j - 1] === ' ') j--;
      // "x or y" without a comma: the last two items.
      const tail = list.slice(i, j);
      const or = tail.indexOf(' or ');
      if (or > 0 && !tail.startsWith('end of')) j = i + or;
    }
    items.push(list.slice(i, j).trim());
    i = j;
  }
  return items.filter((x) => x !== '');
}

/** "a, b or c" */
function joinOr(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

/** What the parser expected, in words: whitespace left out, classes named, duplicates merged. */
export function describeExpected(items: readonly string[]): string {
  const named = new Set(items.filter((x) => x !== 'whitespace').map((x) => (x.startsWith('[') && x.endsWith(']') ? className(x) : x)));
  // A name's first character and the rest of it: one phrase.
  if (named.has('a digit') && (named.has('a letter or _') || named.has('a letter, digit or _'))) {
    named.delete('a digit');
    named.delete('a letter or _');
    named.add('a letter, digit or _');
  }
  return joinOr([...named]);
}

const SIGILS = new Set(['$', ':', '@', '?', '.', '-', '+', "'", '"']);

/**
 * What the parser found, in words: a quoted token, or "space"/"line break"/"tab" (never `" "`),
 * followed by `after "$"` where the character before it is what made the parser wait for more.
 */
export function describeFound(found: string, text: string, offset: number): string {
  const unquoted = /^"(.*)"$/s.exec(found)?.[1];
  const ch = unquoted?.replace(/\\n/g, '\n').replace(/\\t/g, '\t').replace(/\\r/g, '\r');
  const quote = ch === '\\"' ? '"' : ch === "'" || ch === '`' ? ch : undefined;
  if (quote !== undefined) {
    const unclosed = !text.slice(offset + 1).includes(quote);
    return `${unclosed ? 'unclosed quote ' : ''}${quote === "'" ? `"'"` : `'${quote}'`}`;
  }
  const what = ch === ' ' ? 'space' : ch === '\n' || ch === '\r' ? 'line break' : ch === '\t' ? 'tab' : found;
  const before = text[offset - 1];
  return before !== undefined && SIGILS.has(before) && (what === 'space' || what === 'line break' || what === 'tab' || what === 'end of input') ? `${what} after "${before}"` : what;
}
