/**
 * A chain state kept by `check --cache` (src/cache/parse-cache.ts) names the files its spans lie
 * in by their place among the files of the migrations it stands for: a file that is no part of
 * what it stands for (an earlier migration's down, added or removed) shifts nothing.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openParseCache } from '../src/cache/parse-cache.js';
import { SchemaState } from '../src/engine/schema-state.js';
import type { Migration, MigrationSet, SourceFile } from '../src/model.js';
import { loadParser } from '../src/sql/parser.js';
import { parsePostgresSection } from '../src/sql/postgres.js';
import { makeTempDir, removeTempDirs } from './helpers/cli.js';

beforeAll(async () => {
  await loadParser('postgres');
});
afterAll(() => removeTempDirs());

const file = (name: string, text: string): SourceFile => ({ path: `/p/m/${name}`, relPath: `m/${name}`, text });
const whole = (f: SourceFile) => ({ file: f, start: 0, end: f.text.length });

function migration(id: string, up: SourceFile, down?: SourceFile): Migration {
  return { id, name: up.relPath, dialect: 'postgres', transaction: 'none', file: up, up: whole(up), downState: down ? 'present' : 'missing', down: down ? whole(down) : null };
}

describe('a kept chain state', () => {
  it("keeps pointing at the right files when an earlier migration's down file comes or goes", () => {
    const a = file('1_a.up.sql', 'CREATE TABLE old (id int, note text);\n');
    const b = file('2_b.up.sql', 'CREATE TABLE new (id int);\nINSERT INTO new SELECT id FROM old;\n');
    const bDown = file('2_b.down.sql', 'DROP TABLE new;\n');
    const prefix = [migration('1', a), migration('2', b, bDown)];
    const set: MigrationSet = { format: 'golang-migrate', dialect: 'postgres', root: 'm', migrations: [...prefix, migration('3', file('3_c.up.sql', 'SELECT 1;\n'))], findings: [] };
    const state = new SchemaState();
    for (const m of prefix) for (const s of parsePostgresSection(m.up!).statements) for (const op of s.ops) state.apply(op, m.id);
    expect(state.table({ name: 'new' })!.copyOf!.span.file).toBe(b);
    const dir = path.join(makeTempDir('migralint-chain-'), 'cache');
    const cache = openParseCache(dir);
    cache.storeChainState(set, prefix, state);
    expect(cache.save()).toBeUndefined();
    // The next run: 1_a gained a down file, the ups are the same.
    const aDown = file('1_a.down.sql', 'DROP TABLE old;\n');
    const prefix2 = [migration('1', a, aDown), migration('2', b, bDown)];
    const kept = openParseCache(dir).chainState({ ...set, migrations: [...prefix2, set.migrations[2]!] }, prefix2);
    expect(kept?.length).toBe(2);
    expect(kept!.state.table({ name: 'new' })!.copyOf!.span.file).toBe(b);
  });
});
