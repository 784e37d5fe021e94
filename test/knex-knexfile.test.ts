import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SourceFile } from '../src/model.js';
import { dialectOfClient, readKnexfile } from '../src/sources/knex/knexfile.js';

function file(text: string, path = '/p/knexfile.js'): SourceFile {
  return { path, relPath: 'knexfile.js', text };
}

describe('readKnexfile', () => {
  it('reads the fixture knexfile (knex init style)', () => {
    const path = resolve(import.meta.dirname, '../fixtures/knex/basic/knexfile.js');
    expect(readKnexfile(file(readFileSync(path, 'utf8'), path))).toEqual([
      { name: 'development', client: 'pg', dialect: 'postgres', directories: ['migrations'], tableName: 'knex_migrations' },
    ]);
  });

  it('environments, shared configs, path.join(__dirname, ...), TS export default', () => {
    const text = `import path from 'node:path';
import type { Knex } from 'knex';
const shared: Knex.Config = {
  client: 'postgresql',
  migrations: { directory: path.join(__dirname, 'db', 'migrations'), loadExtensions: ['.ts'] },
};
const config: { [key: string]: Knex.Config } = {
  development: { ...shared, connection: process.env.DATABASE_URL },
  test: { client: 'better-sqlite3', connection: { filename: ':memory:' }, useNullAsDefault: true },
  production: { ...shared, migrations: { directory: process.env.MIGRATIONS_DIR } },
};
export default config;`;
    expect(readKnexfile(file(text, '/p/knexfile.ts'))).toEqual([
      { name: 'development', client: 'postgresql', dialect: 'postgres', directories: ['db/migrations'], loadExtensions: ['.ts'] },
      { name: 'test', client: 'better-sqlite3', dialect: 'sqlite', directories: ['migrations'] },
      { name: 'production', client: 'postgresql', dialect: 'postgres', directories: [] },
    ]);
  });

  it('a single config, several directories', () => {
    const text = `module.exports = { client: 'mysql2', migrations: { directory: ['./a', './b/'] } };`;
    expect(readKnexfile(file(text))).toEqual([{ name: '', client: 'mysql2', dialect: 'mysql', directories: ['a', 'b/'] }]);
  });

  it('nothing static to read', () => {
    expect(readKnexfile(file('module.exports = require("./config").knex;'))).toEqual([]);
    expect(readKnexfile(file('this is not JavaScript ('))).toEqual([]);
  });

  it('maps client names to dialects', () => {
    expect(['pg', 'sqlite3', 'mysql', 'mssql'].map(dialectOfClient)).toEqual(['postgres', 'sqlite', 'mysql', undefined]);
  });
});
