/**
 * The parse worker's JSON text of a parse tree (src/sql/pg-json.ts) is the tree libpg-query's
 * parseSync gives, and anything parseSync would not parse cleanly is left to it (undefined).
 */
import { loadModule, parsePlPgSQLSync, parseSync } from 'libpg-query';
import { beforeAll, describe, expect, it } from 'vitest';
import { doBlockTrees, loadJsonParsers, type JsonParser } from '../src/sql/pg-json.js';
import { lowerParsedSection, parsePostgresSection } from '../src/sql/postgres.js';

let parseJson: JsonParser;
beforeAll(async () => {
  await loadModule();
  parseJson = (await loadJsonParsers()).sql;
});

describe('libpg-query parse trees as JSON text', () => {
  it.each([
    ['plain DDL', 'CREATE TABLE t (id bigint PRIMARY KEY);\nALTER TABLE t ADD COLUMN c int NOT NULL DEFAULT 0;'],
    ['multibyte text and an emoji (a surrogate pair)', "COMMENT ON TABLE t IS 'ünïcödé 日本語 😀';\nINSERT INTO t (note) VALUES ('😀😀');"],
    ['comments only', '-- nothing here\n/* at all */'],
    ['a last statement without a semicolon', 'SELECT 1;\nSELECT 2'],
  ])('%s: the tree parseSync gives', (_name, sql) => {
    const json = parseJson(sql);
    expect(json).toBeDefined();
    expect(JSON.parse(json!)).toEqual(parseSync(sql));
  });

  it.each([
    ['a syntax error', 'ALTER TABLE t ADD COLUMN oops integer NOT NULL DEFAULT;'],
    ['a lone surrogate', "SELECT '\ud83d';"],
    ['nothing', ''],
  ])('%s: left to parseSync', (_name, sql) => {
    expect(parseJson(sql)).toBeUndefined();
  });

  it('keeps working after a syntax error and on input that grows the WebAssembly memory', () => {
    expect(parseJson('SELECT FROM WHERE;')).toBeUndefined();
    const big = `INSERT INTO t (a) VALUES ${Array.from({ length: 40_000 }, (_, i) => `(${i})`).join(', ')};`;
    expect(JSON.parse(parseJson(big)!)).toEqual(parseSync(big));
    expect(JSON.parse(parseJson('SELECT 1;')!)).toEqual(parseSync('SELECT 1;'));
  });
});

describe("the PL/pgSQL trees of a section's DO blocks, parsed ahead by the worker", () => {
  const sql = [
    "CREATE TABLE t (id int);",
    "DO $$\nBEGIN\n  ALTER TABLE t ADD COLUMN n int NOT NULL; -- ünïcödé 😀\nEND\n$$;   ",
    "do language PLPGSQL $b$ BEGIN EXECUTE 'DROP TABLE t'; END $b$;",
    "DO LANGUAGE plv8 $$ plv8.execute('DROP TABLE t') $$;",
    "DO $$ BEGIN this is not PL/pgSQL; END $$;",
    "DO $$ BEGIN TRUNCATE t; END $$",
  ].join('\n');
  const file = { path: '/x/1.sql', relPath: '1.sql', text: `-- lead ✓\n${sql}\n` };
  const section = { file, start: file.text.indexOf('CREATE'), end: file.text.length };

  it("are keyed by each statement's text as lowering slices it, with the tree parsePlPgSQLSync gives", async () => {
    const { plpgsql } = await loadJsonParsers();
    const trees = doBlockTrees(sql, parseJson(sql)!, plpgsql)!;
    // The plv8 block, the body PL/pgSQL rejects and the last statement without `;` are left to lowering.
    expect(trees.map(([text]) => text)).toEqual([
      "DO $$\nBEGIN\n  ALTER TABLE t ADD COLUMN n int NOT NULL; -- ünïcödé 😀\nEND\n$$",
      "do language PLPGSQL $b$ BEGIN EXECUTE 'DROP TABLE t'; END $b$",
    ]);
    for (const [text, json] of trees) expect(JSON.parse(json)).toEqual(parsePlPgSQLSync(text));
    // Lowering with them gives what lowering without them does (the spans inside the bodies too).
    const ahead = lowerParsedSection(section, parseJson(sql)!, new Map(trees));
    const alone = parsePostgresSection(section);
    const ops = (o: typeof alone) => o.statements.map((s) => ({ type: s.type, span: [s.span.start, s.span.end], ops: s.ops.map((op) => ({ ...op, span: [op.span.start, op.span.end] })) }));
    expect(ops(ahead)).toEqual(ops(alone));
    expect(ahead.statements.flatMap((s) => s.ops.map((op) => op.kind))).toEqual(['create-table', 'add-column', 'drop-table', 'unanalyzable', 'other', 'truncate']);
    expect(file.text.slice(ahead.statements[1]!.ops[0]!.span.start, ahead.statements[1]!.ops[0]!.span.end)).toBe('ADD COLUMN n int NOT NULL');
  });

  it('are not looked for in a section without a DO block, even one whose strings spell the key', async () => {
    const { plpgsql } = await loadJsonParsers();
    const text = `SELECT '{"DoStmt":{}}';`;
    expect(doBlockTrees(text, parseJson(text)!, plpgsql)).toBeUndefined();
  });
});
