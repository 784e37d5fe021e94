import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const dist = new URL('../../dist/src/confirm/drivers/sqlite.js', import.meta.url);

// A resolve hook that makes better-sqlite3 missing, as for a user who never installed it.
const hook = `data:text/javascript,${encodeURIComponent(`
  export async function resolve(spec, ctx, next) {
    if (spec === 'better-sqlite3') { const e = new Error("Cannot find package 'better-sqlite3'"); e.code = 'ERR_MODULE_NOT_FOUND'; throw e; }
    return next(spec, ctx);
  }`)}`;
const register = `data:text/javascript,${encodeURIComponent(`import { register } from 'node:module'; register(${JSON.stringify(hook)});`)}`;

describe.skipIf(!existsSync(fileURLToPath(dist)))('SQLite confirm without better-sqlite3 installed', () => {
  it('fails with one line naming the install command', () => {
    const script = `import(${JSON.stringify(pathToFileURL(fileURLToPath(dist)).href)}).then((m) => m.openSqlite()).then(
      () => console.log('opened'), (e) => console.log('ERROR ' + e.message))`;
    const out = execFileSync(process.execPath, ['--import', register, '--input-type=module', '-e', script], { cwd: root, encoding: 'utf8' });
    expect(out).toBe('ERROR SQLite confirm needs better-sqlite3 (it is not installed): run `npm install --save-dev better-sqlite3@^12`\n');
  });
});
