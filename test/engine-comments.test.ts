import { describe, expect, it } from 'vitest';
import { commentStarts } from '../src/engine/comments.js';
import { parseDirectives } from '../src/engine/suppressions.js';

const starts = (text: string, syntax: 'sql' | 'js') => [...commentStarts(text, syntax)].map((i) => text.slice(i, i + 4));

describe('comment starts', () => {
  it.each([
    ["SELECT '-- no'; -- yes", ['-- y']],
    ["SELECT 'it''s -- no' /* yes */", ['/* y']],
    ['SELECT $$ -- no $$, $fn$ /* no */ $fn$; -- yes', ['-- y']],
    ['SELECT "weird -- name" FROM t -- yes', ['-- y']],
    ["SELECT E'\\' -- no' -- yes", ['-- y']],
    ['/* outer /* nested */ still -- no */ -- yes', ['/* o', '-- y']],
  ])('SQL: %s', (text, expected) => {
    expect(starts(text, 'sql')).toEqual(expected);
  });

  it.each([
    ["const s = '// no'; // yes", ['// y']],
    ['const t = `/* no ${x} */`; /* yes */', ['/* y']],
    ['const s = "\\" // no"; // yes', ['// y']],
    ['x = a -- b; // yes', ['// y']],
  ])('JS: %s', (text, expected) => {
    expect(starts(text, 'js')).toEqual(expected);
  });
});

describe('directives', () => {
  const file = (text: string, path = '/p/m.sql') => ({ path, relPath: 'm.sql', text });

  it('ignores directive-like text inside string literals', () => {
    const text = "INSERT INTO notes VALUES ('-- migralint-disable-next-line no-drop-table');\n-- migralint-disable-next-line no-truncate\nTRUNCATE t;\n";
    expect(parseDirectives(file(text)).map((d) => [d.kind, d.rules, d.line])).toEqual([['next-line', ['no-truncate'], 2]]);
  });

  it('reads JS comments in JS files only', () => {
    const text = "// migralint-disable-next-line no-drop-table\nconst s = '// migralint-disable no-truncate';\n";
    expect(parseDirectives(file(text, '/p/m.js')).map((d) => [d.kind, d.rules])).toEqual([['next-line', ['no-drop-table']]]);
  });

  it('reads a reason after -- and a block comment directive', () => {
    const text = '/* migralint-disable require-down -- reviewed with the DBA */\nSELECT 1;\n';
    expect(parseDirectives(file(text)).map((d) => [d.kind, d.rules])).toEqual([['file', ['require-down']]]);
  });
});
