/**
 * Parsers written in C (libpg-query) report UTF-8 byte offsets; spans are UTF-16 string indices.
 * `byteOffsetMapper(text)` converts one into the other, with a free path for pure-ASCII text.
 */

// eslint-disable-next-line no-control-regex
const NON_ASCII = /[^\x00-\x7f]/;

export type ByteToIndex = (byteOffset: number) => number;

export function byteOffsetMapper(text: string): ByteToIndex {
  if (!NON_ASCII.test(text)) return (b) => Math.min(b, text.length);
  // byteStarts[i] = UTF-8 byte offset of string index i; binary search on it.
  const byteStarts = new Uint32Array(text.length + 1);
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    byteStarts[i] = bytes;
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      // surrogate pair: 4 bytes for both code units; the low half gets a value strictly between
      // the pair's start and the next character so that lookups land on the high half.
      byteStarts[i + 1] = bytes + 2;
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  byteStarts[text.length] = bytes;
  return (b) => {
    let lo = 0;
    let hi = text.length;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (byteStarts[mid]! <= b) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
}
