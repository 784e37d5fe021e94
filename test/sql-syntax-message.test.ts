/**
 * SQLite syntax errors in words (src/sql/syntax-message.ts): what was found (never `" "`), and
 * what was expected (character classes named, whitespace left out), at the parser's position.
 */
import { describe, expect, it } from 'vitest';
import { createSqliteParser } from '../src/sql/sqlite.js';
import { describeExpected, splitExpectedList } from '../src/sql/syntax-message.js';
import { sectionParse } from './helpers/parse-section.js';

const { parse } = sectionParse(createSqliteParser());

describe('SQLite syntax errors say what was found and expected in words', () => {
  const cases: [sql: string, message: string, underlined: string][] = [
    ['INSERT INTO t VALUES ($ 1);', 'syntax error: unexpected space after "$"; expected a letter, digit or _', ' '],
    ['INSERT INTO t VALUES (:\nx);', 'syntax error: unexpected line break after ":"; expected a letter, digit or _', '\n'],
    ["ALTER TABLE t ADD COLUMN b int DEFAULT x'zz';", `syntax error: unexpected "zz"; expected "'" or a hexadecimal digit`, "'zz'"],
    ['ALTER TABLE t DROP COLUMN "na;', `syntax error: unexpected unclosed quote '"'; expected "IF" or identifier`, '"na;'],
    ['CREATE TABLE u (id integer,);', 'syntax error: unexpected ")"; expected "CHECK", "CONSTRAINT", "FOREIGN", "NOT", "PRIMARY", "UNIQUE" or identifier', ')'],
    ['DROP TABLE ;', 'syntax error: unexpected end of input; expected "IF" or identifier', ' '],
  ];
  it.each(cases)('%s', (sql, message, underlined) => {
    const r = parse(sql);
    expect(r.errors.map((e) => e.message)).toEqual([message]);
    expect(r.errors[0]!.text).toBe(underlined);
    expect(r.errors[0]!.message).not.toMatch(/\[[^\]]*-[^\]]*\]|" "/);
  });
});

describe('the expected-list reader', () => {
  it('splits lists whose classes hold commas', () => {
    expect(splitExpectedList('[0-9], [A-Z,a-z,_,\\x80-￿], or [A-Z,a-z,_]')).toEqual(['[0-9]', '[A-Z,a-z,_,\\x80-￿]', '[A-Z,a-z,_]']);
    expect(splitExpectedList('"IF" or identifier')).toEqual(['"IF"', 'identifier']);
    expect(splitExpectedList('"CASCADE", "NO", "RESTRICT", "SET", or whitespace')).toEqual(['"CASCADE"', '"NO"', '"RESTRICT"', '"SET"', 'whitespace']);
    expect(splitExpectedList('"\\"", ",", or end of input')).toEqual(['"\\""', '","', 'end of input']);
  });

  it('names classes and drops whitespace', () => {
    expect(describeExpected(['[0-9]'])).toBe('a digit');
    expect(describeExpected(['"("', 'whitespace'])).toBe('"("');
    expect(describeExpected(['[0-9,a-f,A-F]', '"\'"'])).toBe('a hexadecimal digit or "\'"');
    expect(describeExpected(['[+,-]'])).toBe('one of "+", "-"');
  });
});
