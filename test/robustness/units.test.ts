/**
 * The pieces behind the robustness suite, in process: the SQL splitter used for large and
 * truncated input, the stdout guard around libpg-query, non-Error throws, the nesting prescan,
 * and the reader's decoding rules.
 */
import { describe, expect, it } from 'vitest';
import { decodeText } from '../../src/discover/read-file.js';
import { escapeInline, escapeMultiline } from '../../src/report/escape.js';
import { estimatedDepth, MAX_ESTIMATED_DEPTH } from '../../src/sources/knex/nesting.js';
import { describeThrown, quietly } from '../../src/sql/postgres.js';
import { groupPieces, splitPostgres } from '../../src/sql/postgres-split.js';

const texts = (sql: string): string[] => splitPostgres(sql).map(([s, e]) => sql.slice(s, e).trim());

describe('splitPostgres', () => {
  it('cuts at top-level semicolons only', () => {
    expect(texts("SELECT ';'; SELECT \"a;b\"; SELECT $$;$$; SELECT $x$ ; $x$; -- c;\nSELECT /* ; /* ; */ */ 1; SELECT (1;2); SELECT E'\\';'")).toEqual([
      "SELECT ';';",
      'SELECT "a;b";',
      'SELECT $$;$$;',
      'SELECT $x$ ; $x$;',
      '-- c;\nSELECT /* ; /* ; */ */ 1;',
      'SELECT (1;2);',
      "SELECT E'\\';'",
    ]);
  });

  it('keeps a BEGIN ATOMIC body whole, and $1 is not a dollar quote', () => {
    expect(texts('CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT CASE WHEN true THEN 1 END; END; SELECT $1;')).toEqual([
      'CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT CASE WHEN true THEN 1 END; END;',
      'SELECT $1;',
    ]);
  });

  it('an unterminated construct runs to the end: the statements before it stay separate', () => {
    expect(texts("DROP TABLE a; INSERT INTO t VALUES ('x; DROP TABLE b;")).toEqual(['DROP TABLE a;', "INSERT INTO t VALUES ('x; DROP TABLE b;"]);
    expect(texts('DROP TABLE a; SELECT $q$ never')).toEqual(['DROP TABLE a;', 'SELECT $q$ never']);
  });

  it('pieces cover the text; groups never cut a piece', () => {
    const sql = 'SELECT 1; SELECT 22; SELECT 333;';
    const pieces = splitPostgres(sql);
    expect(pieces.map(([s, e]) => sql.slice(s, e)).join('')).toBe(sql);
    expect(groupPieces(pieces, 12).map(([s, e]) => sql.slice(s, e))).toEqual(['SELECT 1; SELECT 22;', ' SELECT 333;']);
  });
});

describe('libpg-query guards', () => {
  it('quietly() keeps what the WASM prints off stdout and stderr, and restores both', () => {
    const before = process.stdout.write;
    const r = quietly(() => {
      console.log('Terminating process due to FATAL error');
      process.stdout.write('x');
      console.error('TopMemoryContext: ...');
      return 42;
    });
    expect(r).toBe(42);
    expect(process.stdout.write).toBe(before);
    expect(() => quietly(() => { throw new Error('boom'); })).toThrow('boom');
    expect(process.stdout.write).toBe(before);
  });

  it('describeThrown never says [object Object]', () => {
    expect(describeThrown(new Error('e'))).toBe('e');
    expect(describeThrown('s')).toBe('s');
    expect(describeThrown({ message: 'm' })).toBe('m');
    expect(describeThrown({ code: 7 })).toBe('{"code":7}');
    expect(describeThrown({})).not.toContain('[object Object]');
    expect(describeThrown({})).toContain('no message');
  });
});

describe('estimatedDepth', () => {
  it('real code is far below the limit; pathological nesting far above', () => {
    expect(estimatedDepth("exports.up = (knex) => knex.schema.createTable('t', (t) => { t.increments(); t.string('a').notNullable(); });")).toBeLessThan(40);
    expect(estimatedDepth(`x = ${'['.repeat(MAX_ESTIMATED_DEPTH)}${']'.repeat(MAX_ESTIMATED_DEPTH)}`)).toBeGreaterThan(MAX_ESTIMATED_DEPTH);
    expect(estimatedDepth(`x = ${Array(MAX_ESTIMATED_DEPTH + 2).fill('1').join(' + ')}`)).toBeGreaterThan(MAX_ESTIMATED_DEPTH);
    // Brackets inside strings, templates and comments do not count.
    expect(estimatedDepth(`x = '${'['.repeat(5000)}'; // ${'('.repeat(5000)}\ny = \`${'{'.repeat(5000)}\`;`)).toBeLessThan(20);
    // A long flat list is not deep.
    expect(estimatedDepth(`x = [${Array(50_000).fill('1').join(', ')}];`)).toBeLessThan(20);
  });
});

describe('decodeText', () => {
  it('UTF-16 with a BOM is decoded; a NUL anywhere is binary; bad UTF-8 names its offset', () => {
    expect(decodeText(Buffer.from('\ufeffDROP TABLE a;', 'utf16le'))).toEqual({ ok: true, text: 'DROP TABLE a;' });
    const be = Buffer.from('\ufeffSELECT 1;', 'utf16le').swap16();
    expect(decodeText(be)).toEqual({ ok: true, text: 'SELECT 1;' });
    expect(decodeText(Buffer.from('\ufeffSELECT 1;', 'utf8'))).toEqual({ ok: true, text: 'SELECT 1;' });
    expect(decodeText(Buffer.concat([Buffer.alloc(9000, 0x20), Buffer.from([0])]))).toEqual({ ok: false, reason: 'binary file (a NUL byte at offset 9000), not a migration' });
    expect(decodeText(Buffer.from([0x41, 0xe9, 0x41]))).toEqual({ ok: false, reason: 'not valid UTF-8 (first bad byte at offset 1); save it as UTF-8' });
  });
});

describe('escape', () => {
  it('inline: every control character visible; multiline keeps LF and TAB', () => {
    expect(escapeInline('a\u001b[2Jb\nc\rd\u0007e\u009bf\u202eg\th')).toBe('a\\x1b[2Jb\\nc\\rd\\x07e\\x9bf\\u202eg\\th');
    expect(escapeMultiline('a\r\nb\tc\u001bd')).toBe('a\nb\tc\\x1bd');
    expect(escapeInline('ünï©ødé 表 ✔')).toBe('ünï©ødé 表 ✔');
  });
});
