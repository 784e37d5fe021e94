import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readSourceFile } from '../src/discover/read-file.js';
import type { SourceFile } from '../src/model.js';
import { computeLineHashes, lineHashes, primaryLocationLineHash } from '../src/report/fingerprint.js';

/**
 * A deliberately different formulation of GitHub's line hash: normalise the whole text first with
 * regular expressions, then hash each line's 100-character block directly (no rolling window).
 */
function referenceHashes(text: string): string[] {
  const normalised = text.replace(/\r\n?/g, '\n').replace(/[ \t]/g, '');
  const codes = [...normalised].flatMap((ch) =>
    ch.length === 2 ? [ch.charCodeAt(0), ch.charCodeAt(1)] : [ch.charCodeAt(0)],
  );
  codes.push(0xffff);
  const starts = [0];
  codes.forEach((c, i) => {
    if (c === 10) starts.push(i + 1);
  });
  const mod = 1n << 64n;
  const counts: Record<string, number> = {};
  return starts.map((p) => {
    let h = 0n;
    for (let k = 0; k < 100; k++) {
      const c = BigInt(codes[p + k] ?? 0);
      h += c * 37n ** BigInt(99 - k);
    }
    const hex = (((h % mod) + mod) % mod).toString(16);
    counts[hex] = (counts[hex] ?? 0) + 1;
    return `${hex}:${counts[hex]}`;
  });
}

describe('primaryLocationLineHash', () => {
  // Published expectations from the test suite of github/codeql-action (src/fingerprints.test.ts).
  const published: [string, string[]][] = [
    ['', ['c129715d7a2bc9a3:1']],
    [' a\nb\n  \t\tc\n d', ['271789c17abda88f:1', '54703d4cd895b18:1', '180aee12dab6264:1', 'a23a3dc5e078b07b:1']],
    [
      ' hello; \t\nworld!!!\n\n\n  \t\tGreetings\n End',
      ['8b7cf3e952e7aeb2:1', 'b1ae1287ec4718d9:1', 'bff680108adb0fcc:1', 'c6805c5e1288b612:1', 'b86d3392aea1be30:1', 'e6ceba753e1a442:1'],
    ],
    [
      ' hello; \t\nworld!!!\r\n\n\r  \t\tGreetings\r End\r\n',
      [
        'e9496ae3ebfced30:1',
        'fb7c023a8b9ccb3f:1',
        'ce8ba1a563dcdaca:1',
        'e20e36e16fcb0cc8:1',
        'b3edc88f2938467e:1',
        'c8e28b0b4002a3a0:1',
        'c129715d7a2bc9a3:1',
      ],
    ],
    [
      'Lorem ipsum dolor sit amet.\n'.repeat(10),
      [
        'a7f2ff13bc495cf2:1',
        'a7f2ff13bc495cf2:2',
        'a7f2ff13bc495cf2:3',
        'a7f2ff13bc495cf2:4',
        'a7f2ff13bc495cf2:5',
        'a7f2ff13bc495cf2:6',
        'a7f2ff1481e87703:1',
        'a9cf91f7bbf1862b:1',
        '55ec222b86bcae53:1',
        'cc97dc7b1d7d8f7b:1',
        'c129715d7a2bc9a3:1',
      ],
    ],
  ];

  it.each(published)('matches the values GitHub publishes for %j', (text, expected) => {
    expect(computeLineHashes(text)).toEqual(expected);
  });

  const samples = [
    'CREATE TABLE users (\n\tid serial PRIMARY KEY,\n\temail text NOT NULL\n);\n\nDROP TABLE legacy;\n',
    "-- 日本語のコメント 😀\r\nALTER TABLE t ADD COLUMN c int NOT NULL DEFAULT 0;\r\n\r\nUPDATE t SET c = 1;\r\n",
    'x'.repeat(250) + '\n' + 'y\n'.repeat(120) + 'end',
    'a\r \nb\r\t\r\nc',
  ];

  it.each(samples.map((s) => [s]))('agrees with a direct, non-rolling computation on %j', (text) => {
    expect(computeLineHashes(text)).toEqual(referenceHashes(text));
  });

  it('gives one hash per line, numbered like the line index', () => {
    for (const text of samples) {
      expect(computeLineHashes(text)).toHaveLength(text.split(/\r\n|\r|\n/).length);
    }
  });

  it('numbers identical hashes :1, :2, ... in file order', () => {
    // Identical 100-character windows: the repeated line continues well past line 3's window.
    const text = 'DROP TABLE a;\n'.repeat(20);
    const hashes = computeLineHashes(text);
    const base = hashes[0]!.split(':')[0];
    expect(hashes.slice(0, 3)).toEqual([`${base}:1`, `${base}:2`, `${base}:3`]);
  });

  it('ignores spaces and tabs and treats CRLF and CR like LF', () => {
    const lf = 'CREATE INDEX i ON t (c);\nDROP TABLE t;\n';
    expect(computeLineHashes('  CREATE\tINDEX i ON t(c);\n   DROP TABLE   t;\n')).toEqual(computeLineHashes(lf));
    expect(computeLineHashes(lf.replaceAll('\n', '\r\n'))).toEqual(computeLineHashes(lf));
    expect(computeLineHashes(lf.replaceAll('\n', '\r'))).toEqual(computeLineHashes(lf));
    expect(computeLineHashes('DROP TABLE u;\n')).not.toEqual(computeLineHashes('DROP TABLE t;\n'));
  });

  it('depends on the text up to 100 significant characters after the line start', () => {
    const head = 'DROP TABLE t;\n';
    const near = computeLineHashes(`${head}${'a'.repeat(80)}`)[0];
    const nearChanged = computeLineHashes(`${head}${'a'.repeat(79)}b`)[0];
    const far = computeLineHashes(`${head}${'a'.repeat(200)}`)[0];
    const farChanged = computeLineHashes(`${head}${'a'.repeat(199)}b`)[0];
    expect(nearChanged).not.toBe(near);
    expect(farChanged).toBe(far);
  });

  it('looks up the hash of a 1-based line and caches per file', () => {
    const file: SourceFile = { path: '/r/a.sql', relPath: 'a.sql', text: 'SELECT 1;\nDROP TABLE t;\n' };
    expect(primaryLocationLineHash(file, 2)).toBe(computeLineHashes(file.text)[1]);
    expect(lineHashes(file)).toBe(lineHashes(file));
  });

  it('hashes a file with a UTF-8 BOM as GitHub does: over the file as stored, BOM included', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'migralint-bom-'));
    try {
      const sql = 'DROP TABLE t;\nDROP TABLE u;\n';
      const bomPath = path.join(dir, 'bom.sql');
      writeFileSync(bomPath, `\ufeff${sql}`, 'utf8');
      const read = readSourceFile(bomPath, dir);
      if (!read.ok) throw new Error(read.problem.reason);
      // The reader strips the BOM from the text the rules and reporters see...
      expect(read.file.text).toBe(sql);
      // ...but codeql-action decodes the file with Node's utf8 decoder, which keeps U+FEFF.
      const asGithubReadsIt = readFileSync(bomPath, 'utf8');
      expect(asGithubReadsIt.charCodeAt(0)).toBe(0xfeff);
      const github = referenceHashes(asGithubReadsIt);
      expect(primaryLocationLineHash(read.file, 1)).toBe(github[0]);
      expect(primaryLocationLineHash(read.file, 2)).toBe(github[1]);
      expect(primaryLocationLineHash(read.file, 1)).not.toBe(computeLineHashes(sql)[0]);
      // Without a BOM, nothing changes.
      const plainPath = path.join(dir, 'plain.sql');
      writeFileSync(plainPath, sql, 'utf8');
      const plain = readSourceFile(plainPath, dir);
      if (!plain.ok) throw new Error(plain.problem.reason);
      expect(plain.file.bom).toBeUndefined();
      expect(primaryLocationLineHash(plain.file, 1)).toBe(computeLineHashes(sql)[0]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
