/**
 * The cache's value encoding (src/cache/value-json.ts): Maps, Sets, shared objects and source
 * files come back as they went in; text it did not write is refused. And the schema state a
 * chain builds (kept between commit-hook runs) comes back, restored, as the same state.
 */
import { describe, expect, it } from 'vitest';
import { decodeValue, encodeValue, Malformed } from '../src/cache/value-json.js';
import type { SourceFile } from '../src/model.js';
import { SchemaState } from '../src/engine/schema-state.js';
import { loadParser } from '../src/sql/parser.js';
import { parsePostgresSection } from '../src/sql/postgres.js';

const file = (name: string, text = 'x'): SourceFile => ({ path: `/p/${name}`, relPath: name, text });
const roundTrip = (v: unknown, files: readonly SourceFile[] = []): unknown => decodeValue(encodeValue(v, files)!, files);

describe('value JSON', () => {
  it('keeps Maps and Sets, with their order, their keys and what they share with the rest', () => {
    const shared = { n: 1 };
    const key = { k: true };
    const inner = new Map<unknown, unknown>([['a', shared]]);
    const given = { m: new Map<unknown, unknown>([['x', inner], [key, 2], [3, undefined]]), s: new Set<unknown>([shared, 'y', inner]), shared, key, empty: new Map(), none: new Set() };
    const back = roundTrip(given) as typeof given;
    expect(back).toEqual(given);
    expect([...back.m.keys()]).toEqual(['x', back.key, 3]);
    expect(back.m.get(back.key)).toBe(2);
    expect(back.m.has(3) && back.m.get(3) === undefined).toBe(true);
    const backInner = back.m.get('x') as Map<string, unknown>;
    expect(backInner.get('a')).toBe(back.shared);
    const members = [...back.s];
    expect(members[0]).toBe(back.shared);
    expect(members[2]).toBe(backInner);
    expect(back.empty).toBeInstanceOf(Map);
    expect(back.none).toBeInstanceOf(Set);
  });

  it('names source files by their place in the list it is given, on both sides', () => {
    const a = file('a.sql');
    const b = file('b.sql');
    const text = encodeValue({ spans: [{ file: b, start: 0 }, { file: a, start: 1 }] }, [a, b])!;
    const a2 = file('a.sql');
    const b2 = file('b.sql');
    const back = decodeValue(text, [a2, b2]) as { spans: { file: SourceFile }[] };
    expect(back.spans[0]!.file).toBe(b2);
    expect(back.spans[1]!.file).toBe(a2);
    // A file outside the list is written as the plain object it is.
    expect((roundTrip({ f: a }) as { f: SourceFile }).f).toEqual(a);
  });

  it('tells an array that begins with a marker string from a Map', () => {
    const given = { list: ['\0M', 'k', 'v'], set: ['\0S'], nul: '\0f0' };
    const back = roundTrip(given);
    expect(back).toEqual(given);
    expect(Array.isArray((back as typeof given).list)).toBe(true);
  });

  it('refuses text it did not write', () => {
    const f = file('a.sql');
    const cases: [string, string][] = [
      ['a Map with a key and no value', '["\\u0000M","k"]'],
      ['an unknown marker', '"\\u0000q"'],
      ['a file that is not in the list', '"\\u0000f3"'],
      ['a file without its place', '"\\u0000f"'],
      ['a reference to nothing', '{"a":"\\u0000r9"}'],
    ];
    for (const [what, text] of cases) expect(() => decodeValue(text, [f]), what).toThrow(Malformed);
    expect(() => decodeValue('{"a":', [f])).toThrow(SyntaxError);
    expect(() => decodeValue('{"start":5}', [f], (o) => o.start !== 5)).toThrow(Malformed);
  });

  it('does not write what JSON cannot carry', () => {
    expect(encodeValue({ d: new Date(0) }, [])).toBeUndefined();
    expect(encodeValue({ c: new (class Stamp {})() }, [])).toBeUndefined();
    expect(encodeValue({ f: () => 1 }, [])).toBeUndefined();
    expect(encodeValue(new Map([['b', 1n]]), [])).toBeUndefined();
  });
});

describe('a kept schema state', () => {
  it('is, restored, the state the chain built: tables, columns, fills, renames, drops, copies and marks', async () => {
    await loadParser('postgres');
    const f = file(
      'migrations/001_a.sql',
      [
        'CREATE TABLE users (id bigint PRIMARY KEY, email text, legacy text);',
        "INSERT INTO users (id, email) VALUES (1, 'a');",
        "UPDATE users SET email = '' WHERE email IS NULL;",
        'ALTER TABLE users ADD CONSTRAINT email_nn CHECK (email IS NOT NULL) NOT VALID;',
        'ALTER TABLE users VALIDATE CONSTRAINT email_nn;',
        'ALTER TABLE users DROP COLUMN legacy;',
        'CREATE INDEX users_email ON users (email);',
        'DROP INDEX users_email;',
        'CREATE TABLE users_new (LIKE users);',
        'INSERT INTO users_new SELECT id, email FROM users;',
        'ALTER TABLE orders RENAME TO purchases;',
        'DELETE FROM purchases WHERE total IS NULL;',
        'CREATE SCHEMA audit;',
        'DROP TABLE old_things;',
      ].join('\n'),
    );
    const state = new SchemaState();
    for (const s of parsePostgresSection({ file: f, start: 0, end: f.text.length }).statements) for (const op of s.ops) state.apply(op, '001');
    const text = encodeValue(state.snapshot(), [f]);
    expect(text).toBeDefined();
    const restored = SchemaState.restore(decodeValue(text!, [f]))!;
    expect(restored).toBeInstanceOf(SchemaState);
    expect(restored.snapshot()).toEqual(state.snapshot());
    expect(restored.allTables().map((t) => t.name)).toEqual(['users', 'users_new', 'purchases']);
    expect(restored.column({ name: 'users' }, 'email')!.backfilled).toBe(true);
    expect(restored.goneColumn({ name: 'users' }, 'legacy')?.how).toBe('dropped');
    expect(restored.goneTable({ name: 'orders' })?.how).toBe('renamed to "purchases"');
    expect(restored.goneIndex('users_email')?.how).toBe('dropped');
    expect(restored.isNewSchema('audit', '001')).toBe(true);
    // The copy's marks stay on the same table objects the state holds.
    const marked = [...restored.mayHoldCopies()];
    expect(marked.length).toBeGreaterThan(0);
    for (const t of marked) expect(restored.tableById(t.id)).toBe(t);
    expect(restored.table({ name: 'users_new' })!.copyOf!.span.file).toBe(f);
  });

  it('is refused when it is not what snapshot gave', () => {
    expect(SchemaState.restore(undefined)).toBeUndefined();
    expect(SchemaState.restore({ tables: 5 })).toBeUndefined();
    const snap = new SchemaState().snapshot();
    expect(SchemaState.restore({ ...snap, marked: [] })).toBeUndefined();
    expect(SchemaState.restore({ ...snap, nextId: '1' })).toBeUndefined();
    expect(SchemaState.restore(snap)).toBeInstanceOf(SchemaState);
  });
});
