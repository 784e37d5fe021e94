/**
 * The character classes of src/sql/chars.ts answer as the regular expressions they replace, for
 * every UTF-16 code unit (spans found by skipping characters stay where they were).
 */
import { describe, expect, it } from 'vitest';
import { isSpace, isWordChar } from '../src/sql/chars.js';

describe('character classes without a regex per character', () => {
  it('isSpace is /\\s/ on every code unit', () => {
    const wrong: number[] = [];
    for (let c = 0; c <= 0xffff; c++) if (isSpace(c) !== /\s/.test(String.fromCharCode(c))) wrong.push(c);
    expect(wrong).toEqual([]);
  });

  it('isWordChar is /[\\p{L}\\p{N}_$]/u on every code unit', () => {
    const wrong: number[] = [];
    for (let c = 0; c <= 0xffff; c++) {
      const ch = String.fromCharCode(c);
      if (isWordChar(`a${ch}`, 1) !== /[\p{L}\p{N}_$]/u.test(ch)) wrong.push(c);
    }
    expect(wrong).toEqual([]);
  });
});
