import { describe, expect, it } from 'vitest';
import { naturalCompare } from '../src/sources/set-builder.js';

/** What naturalCompare promises: the `en` collator's numeric order, ties broken by code units. */
const collator = new Intl.Collator('en', { numeric: true });
const reference = (a: string, b: string): number => Math.sign(collator.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0));

/** A small seeded generator (mulberry32), so that a failure reproduces. */
function random(seed: number): (n: number) => number {
  let s = seed >>> 0;
  return (n) => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
  };
}

let printable = '';
for (let c = 0x20; c < 0x7f; c++) printable += String.fromCharCode(c);

describe('natural order of migration names', () => {
  it('orders numbers by value and names as the collator does', () => {
    const names = ['10_b.sql', '2_a.sql', '0001_init.sql', '1_init.sql', 'V1_2__x.sql', 'V1_10__x.sql', 'add_B', 'add_a', 'Add_a', '20240101120000_x', '20231231235959_y'];
    const sorted = [...names].sort((a, b) => naturalCompare(a, b));
    expect(sorted).toEqual([...names].sort(reference));
    expect(sorted.indexOf('2_a.sql')).toBeLessThan(sorted.indexOf('10_b.sql'));
    expect(sorted.indexOf('V1_2__x.sql')).toBeLessThan(sorted.indexOf('V1_10__x.sql'));
  });

  // Names that share a prefix, as a directory of migrations does, from alphabets heavy in digits.
  for (const [label, alphabet] of [
    ['digits and separators', '0123456789_-.'],
    ['letters of both cases', '0123456789aAbBzZ_'],
    ['all printable ASCII', printable + '0123456789'],
    ['non-ASCII too', '0129aé٣１\u0301 _'],
    ['control characters too', '0139a\u0001\t'],
  ] as const) {
    it(`agrees with the collator on random names: ${label}`, () => {
      const rnd = random(label.length);
      const part = (): string => {
        let s = '';
        for (let k = rnd(7); k > 0; k--) s += alphabet[rnd(alphabet.length)];
        return s;
      };
      for (let t = 0; t < 20_000; t++) {
        const prefix = part();
        const a = prefix + part();
        const b = prefix + part();
        const got = Math.sign(naturalCompare(a, b));
        if (got !== reference(a, b)) expect({ a, b, got }).toEqual({ a, b, got: reference(a, b) });
      }
    });
  }
});
