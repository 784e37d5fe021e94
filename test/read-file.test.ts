import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readSourceFile, readTextFile, relativePath } from '../src/discover/read-file.js';

const dir = mkdtempSync(path.join(tmpdir(), 'migralint-read-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A text of `n` characters whose every line differs, so that a misplaced chunk shows. */
function textOf(n: number, seed: string): string {
  let s = '';
  for (let i = 0; s.length < n; i++) s += `-- ${seed} line ${i}\n`;
  return s.slice(0, n);
}

describe('reading migration files', () => {
  it('reads every size whole, one file after another (small, around 64 KiB and 1 MiB, larger)', () => {
    const sizes = [0, 1, 65_535, 65_536, 65_537, 10, 1_048_575, 1_048_576, 1_048_577, 7, 2 * 1_048_576 + 3, 65_536, 3];
    const written = sizes.map((n, i) => {
      const file = path.join(dir, `size-${i}.sql`);
      const text = textOf(n, `f${i}`);
      writeFileSync(file, text);
      return { file, text };
    });
    const read = written.map(({ file }) => readSourceFile(file, dir, { allowedRoots: [dir] }));
    // Texts read earlier are intact after the later reads.
    read.forEach((r, i) => expect(r.ok && r.file.text).toBe(written[i]!.text));
  });

  it('keeps the size limit: a file of exactly the limit is read, one byte more is refused', () => {
    const at = path.join(dir, 'at-limit.sql');
    const over = path.join(dir, 'over-limit.sql');
    writeFileSync(at, 'x'.repeat(100));
    writeFileSync(over, 'x'.repeat(101));
    expect(readTextFile(at, { maxBytes: 100 })).toEqual({ ok: true, text: 'x'.repeat(100) });
    expect(readTextFile(over, { maxBytes: 100 })).toEqual({ ok: false, reason: 'too large to lint (0 MiB, over the size limit of 0 MiB (raise "maxFileSizeMiB" in the config to lint it))' });
  });

  it.skipIf(!existsSync('/proc/self/status'))('reads a file that reports size 0 but has content (/proc) to its end', () => {
    const r = readTextFile('/proc/self/status');
    expect(r.ok && r.text).toMatch(/^Name:[\s\S]*\nPid:\s+\d+\n[\s\S]*\n$/);
  });

  it.skipIf(process.platform === 'win32')('follows a symbolic link that stays inside the allowed roots, refuses one that leads out, names a dangling one', () => {
    const inside = path.join(dir, 'inside');
    const outside = path.join(dir, 'outside');
    mkdirSync(inside);
    mkdirSync(outside);
    writeFileSync(path.join(inside, 'real.sql'), 'SELECT 1;');
    writeFileSync(path.join(outside, 'secret.sql'), 'SELECT 2;');
    symlinkSync('real.sql', path.join(inside, 'link.sql'));
    symlinkSync('../outside/secret.sql', path.join(inside, 'out.sql'));
    symlinkSync('nowhere.sql', path.join(inside, 'dangling.sql'));
    const opts = { allowedRoots: [inside] };
    expect(readTextFile(path.join(inside, 'link.sql'), opts)).toEqual({ ok: true, text: 'SELECT 1;' });
    expect(readTextFile(path.join(inside, 'out.sql'), opts)).toEqual({ ok: false, reason: "a symbolic link that leads outside the checked paths (and the config's directory): not read" });
    expect(readTextFile(path.join(inside, 'dangling.sql'), opts)).toEqual({ ok: false, reason: 'no such file or directory' });
    // Without roots to keep to, a link is read wherever it leads.
    expect(readTextFile(path.join(inside, 'out.sql'))).toEqual({ ok: true, text: 'SELECT 2;' });
  });
});

describe.skipIf(path.sep !== '/')('paths relative to the working directory', () => {
  it.each([
    ['/a/x', '/a/x/c.sql', 'c.sql'],
    ['/a/x', '/a/x/y/z/d.sql', 'y/z/d.sql'],
    ['/a/x', '/a/b/c.sql', '../b/c.sql'],
    ['/a/x', '/c.sql', '../../c.sql'],
    ['/a/x/', '/a/x/c.sql', 'c.sql'],
    ['/', '/a/x/c.sql', 'a/x/c.sql'],
    ['/a/x', '/a/xx/c.sql', '../xx/c.sql'],
    ['/a/x', '/a/x/./c.sql', 'c.sql'],
    ['/a/x', '/a/x/../c.sql', '../c.sql'],
    // The working directory itself and its parents.
    ['/a/x', '/a/x', 'x'],
    ['/a/x/', '/a/x', 'x'],
    ['/a/x/y', '/a/x', '..'],
  ])('from %s, %s is %s (the same again from the directory memo)', (cwd, file, rel) => {
    expect(relativePath(cwd, file)).toBe(rel);
    expect(relativePath(cwd, file)).toBe(rel);
  });
});

