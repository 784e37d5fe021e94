/**
 * The parse worker's JSON text of a parse tree (src/sql/pg-json.ts) is the tree libpg-query's
 * parseSync gives, and anything parseSync would not parse cleanly is left to it (undefined).
 */
import { loadModule, parseSync } from 'libpg-query';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadJsonParser, type JsonParser } from '../src/sql/pg-json.js';

let parseJson: JsonParser;
beforeAll(async () => {
  await loadModule();
  parseJson = await loadJsonParser();
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
