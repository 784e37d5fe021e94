/**
 * Character classes tested one UTF-16 code unit at a time, as the regular expressions they
 * replace match them (`/\s/`, `/[\p{L}\p{N}_$]/u`), with ASCII decided without a regex: the
 * lowering runs them on every character it skips.
 */

const WIDE_IDENT = /[\p{L}\p{N}_$]/u;

/** What `/\s/` matches: ASCII and Unicode white space, line terminators and U+FEFF. */
export function isSpace(c: number): boolean {
  if (c < 0x80) return c === 32 || (c >= 9 && c <= 13);
  return c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

/** What `/[\p{L}\p{N}_$]/u` matches at `text[i]` (one code unit, as that regex sees `text[i]`). */
export function isWordChar(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  if (c < 0x80) return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 36;
  return WIDE_IDENT.test(text[i]!);
}
