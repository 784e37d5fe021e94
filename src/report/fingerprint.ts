/**
 * `partialFingerprints.primaryLocationLineHash`, computed the way GitHub's `upload-sarif` action
 * computes it when a SARIF file lacks one, so alerts keep their identity whichever side computed
 * the hash (and the REST upload, which computes nothing, still gets one).
 *
 * The algorithm, as documented by the action:
 * - the file is read as a sequence of UTF-16 code units; spaces and tabs are dropped; `\r\n`,
 *   `\r` and `\n` all become one `\n` (a `\n` directly after a `\r` is dropped);
 * - after the last character a marker 65535 is appended, then enough zeros to fill a window;
 * - the hash of a line is the polynomial hash, base 37, in 64-bit wrap-around arithmetic, of the
 *   100 kept characters starting at the line's first kept character:
 *   `sum(c[p + k] * 37^(99 - k))` for k = 0..99, computed as a rolling hash;
 * - it is printed as unsigned hexadecimal, followed by `:n` where n is 1 for the first line in
 *   the file with that hash, 2 for the second, and so on.
 *
 * Line numbering agrees with {@link LineIndex}: every `\n`, `\r\n` or lone `\r` starts a line.
 */
import type { SourceFile } from '../model.js';

const WINDOW = 100;
const BASE = 37n;
const END_OF_FILE = 0xffff;
const SPACE = 0x20;
const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;

/** 37^100 mod 2^64: the weight of the character leaving the window. */
const LEAVING_WEIGHT = (() => {
  let w = 1n;
  for (let i = 0; i < WINDOW; i++) w = BigInt.asUintN(64, w * BASE);
  return w;
})();

/**
 * The hash string of every line of a text; element i belongs to line i + 1.
 */
export function computeLineHashes(text: string): string[] {
  // 1. Normalise: the kept characters, and for each line the position of its first one.
  const chars: number[] = [];
  const lineFirstChar: number[] = [];
  let atLineStart = true;
  let afterCR = false;
  const keep = (code: number): void => {
    let c = code;
    if (c === SPACE || c === TAB || (afterCR && c === LF)) {
      afterCR = false;
      return;
    }
    afterCR = c === CR;
    if (afterCR) c = LF;
    if (atLineStart) {
      lineFirstChar.push(chars.length);
      atLineStart = false;
    }
    if (c === LF) atLineStart = true;
    chars.push(c);
  };
  for (let i = 0; i < text.length; i++) keep(text.charCodeAt(i));
  keep(END_OF_FILE);
  const significant = chars.length;
  for (let i = 0; i < WINDOW; i++) chars.push(0);

  // 2. Rolling hash: windowHash(p) covers chars[p .. p + WINDOW - 1].
  const lineHash: string[] = new Array<string>(lineFirstChar.length);
  const seen = new Map<string, number>();
  let nextLine = 0;
  let h = 0n;
  for (let k = 0; k < WINDOW; k++) h = BigInt.asUintN(64, h * BASE + BigInt(chars[k]!));
  for (let p = 0; p < significant && nextLine < lineFirstChar.length; p++) {
    if (lineFirstChar[nextLine] === p) {
      const hex = h.toString(16);
      const n = (seen.get(hex) ?? 0) + 1;
      seen.set(hex, n);
      lineHash[nextLine] = `${hex}:${n}`;
      nextLine++;
    }
    h = BigInt.asUintN(64, h * BASE + BigInt(chars[p + WINDOW]!) - LEAVING_WEIGHT * BigInt(chars[p]!));
  }
  return lineHash;
}

const cache = new WeakMap<SourceFile, { text: string; hashes: string[] }>();

/**
 * Line hashes of a file, computed once per SourceFile object. GitHub reads the file as stored:
 * a UTF-8 byte order mark (which the reader strips from `text`) is the first character of line 1
 * there (codeql-action decodes the file with Node's `utf8` stream decoder, which keeps U+FEFF),
 * so it is put back before hashing.
 */
export function lineHashes(file: SourceFile): string[] {
  let entry = cache.get(file);
  if (entry === undefined || entry.text !== file.text) {
    entry = { text: file.text, hashes: computeLineHashes(file.bom ? `\ufeff${file.text}` : file.text) };
    cache.set(file, entry);
  }
  return entry.hashes;
}

/** `primaryLocationLineHash` for a result starting on a 1-based line of a file. */
export function primaryLocationLineHash(file: SourceFile, line: number): string {
  const hashes = lineHashes(file);
  const i = Math.min(Math.max(1, Math.trunc(line)), hashes.length) - 1;
  return hashes[i]!;
}
