import { describe, expect, it } from 'vitest';
import picomatch from 'picomatch';
import { DEFAULT_IGNORES } from '../src/discover/discover.js';
import { globTest } from '../src/discover/walk.js';

/** Globs of every kind discovery meets: its own patterns and ignores, and config `ignore` entries. */
const GLOB_LISTS: readonly (readonly string[])[] = [
  ['**/*.sql', '**/meta/_journal.json', '**/migration_lock.toml', '**/metadata.toml', '**/snapshot.json', '**/*.{js,cjs,mjs,ts,cts,mts}'],
  [...DEFAULT_IGNORES, '**/*.d.ts', '**/*.d.mts', '**/*.d.cts'],
  ['migrations/old_*.sql', 'migrations/old_*.sql/**', 'db/legacy', 'db/legacy/**'],
  ['!(keep)*.sql', '**/[0-9][0-9]_*.sql', 'a/**/b/*.js', '**/*.@(sql|SQL)', '?.sql', 'x{1..3}.sql', '**/.hidden/**'],
  ['**/*.sql', '**/*.sql'],
  // A path equal to a glob as written matches it, even where the glob's expression does not.
  ['x{1..3}.sql', '**/[0-9][0-9]_*.sql'],
];

const SEGMENTS = ['migrations', 'db', 'legacy', 'node_modules', 'dist', 'meta', '.hidden', 'a', 'b', 'keep', '.git'];
const NAMES = ['0001_init.sql', 'old_1.sql', '12_x.sql', 'x.SQL', 'a.sql', 'x2.sql', '_journal.json', 'migration_lock.toml', 'snapshot.json', 'knexfile.ts', 'types.d.ts', 'm.mjs', 'keep.sql', '.env', 'migrations/old_*.sql', 'x'];

describe('globTest', () => {
  it('answers as picomatch does, for every list of globs and path tried', () => {
    const paths: string[] = [''];
    for (const name of NAMES) {
      paths.push(name);
      for (const s of SEGMENTS) {
        paths.push(`${s}/${name}`);
        for (const t of SEGMENTS) paths.push(`${s}/${t}/${name}`);
      }
    }
    for (const s of SEGMENTS) paths.push(s, `${s}/x`);
    paths.push(...GLOB_LISTS.flat());
    for (const globs of GLOB_LISTS) {
      for (const dot of [false, true]) {
        const ours = globTest(globs, { dot });
        const theirs = picomatch([...globs], { dot });
        const differ = paths.filter((p) => ours(p) !== theirs(p));
        expect({ globs, dot, differ }).toEqual({ globs, dot, differ: [] });
        // The comparison has both answers to compare.
        expect(paths.some((p) => theirs(p))).toBe(true);
      }
    }
  });
});
