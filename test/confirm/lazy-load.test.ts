/**
 * A run without --confirm loads neither PGlite nor pg nor better-sqlite3 (nor the replay): the
 * CLI is spawned with a module hook that records every module it resolves, ESM and CommonJS. The
 * CLI runs from its bundle (dist/bundle/): the bundle's metafile says which compiled sources each
 * loaded file holds.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BIN, REPO, withoutDialectNotice } from '../helpers/cli.js';
import { dbmate, tree } from './helpers.js';

function loadedBy(args: string[], cwd: string): string[] {
  const log = path.join(cwd, 'loaded.log');
  writeFileSync(log, '');
  const hooks = path.join(cwd, 'hooks.mjs');
  writeFileSync(
    hooks,
    `import { register, createRequire } from 'node:module';
import { appendFileSync } from 'node:fs';
const log = ${JSON.stringify(log)};
register('data:text/javascript,' + encodeURIComponent(\`
import { appendFileSync } from 'node:fs';
export async function resolve(spec, ctx, next) { const r = await next(spec, ctx); appendFileSync(\${JSON.stringify(log)}, r.url + '\\\\n'); return r; }
\`));
const Module = createRequire(import.meta.url)('node:module');
const original = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) { const f = original.call(this, request, ...rest); appendFileSync(log, f + '\\n'); return f; };
`,
  );
  const r = spawnSync(process.execPath, ['--import', hooks, BIN, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  expect(withoutDialectNotice(r.stderr)).toBe('');
  return readFileSync(log, 'utf8').split('\n').filter((l) => l !== '');
}

/** The loaded files, each bundle file replaced by the sources (dist/src/..., dist/rules/...) it holds. */
function withBundleSources(loaded: string[]): string[] {
  const meta = JSON.parse(readFileSync(path.join(REPO, 'dist', 'bundle', 'metafile.json'), 'utf8')) as { outputs: Record<string, { inputs: Record<string, unknown> }> };
  return loaded.flatMap((l) => {
    const file = l.startsWith('file:') ? fileURLToPath(l) : l;
    const output = meta.outputs[path.relative(REPO, file).split(path.sep).join('/')];
    return output ? [file, ...Object.keys(output.inputs).map((i) => path.join(REPO, i))] : [file];
  });
}

const HEAVY = /[\\/]node_modules[\\/](@electric-sql[\\/]pglite|pg|pg-[a-z-]+|better-sqlite3)[\\/]|[\\/]dist[\\/]src[\\/]confirm[\\/](?!$)/;

describe('start-up without --confirm', () => {
  it('loads no database driver and no part of the replay', () => {
    const dir = tree({ 'db/migrations/001_users.sql': dbmate('CREATE TABLE users (id int);', 'DROP TABLE users;') });
    const loaded = withBundleSources(loadedBy(['check', '.', '--format', 'json'], dir));
    // The hook does see the CLI's own modules (the test can fail).
    expect(loaded).toContain(path.join(REPO, 'dist', 'src', 'cli', 'main.js'));
    expect(loaded).toContain(path.join(REPO, 'dist', 'src', 'engine', 'lint.js'));
    expect(loaded.filter((l) => HEAVY.test(l))).toEqual([]);
  });
});
