import { describe, it } from 'vitest';
import { expectFires, expectSilent, type Case } from '../helpers/lint-sql.js';

const RULE = 'syntax-error';

const mustFire: Case[] = [
  { name: 'at the offending token', sql: 'DROP TABLEX users;', expect: [[RULE, 1, 6, 1, 12]], message: 'syntax error at or near "TABLEX"', help: '--dialect' },
  { name: 'statements after the bad one are still linted', sql: 'SELEC 1;\nDROP TABLE users;', expect: [[RULE, 1, 1, 1, 6], ['no-drop-table', 2, 1, 2, 17]] },
  { name: 'statements before the bad one are still linted', sql: 'DROP TABLE users;\nSELEC 1;', expect: [['no-drop-table', 1, 1, 1, 17], [RULE, 2, 1, 2, 6]] },
  { name: 'error at the end of the statement', sql: 'ALTER TABLE t ADD COLUMN;', expect: [[RULE, 1, 25, 1, 26]], message: 'at end of input' },
  { name: 'error at the end of the file', sql: 'SELECT (1', expect: [[RULE, 1, 10, 1, 10]], message: 'at end of input' },
  {
    name: 'mid-line, between a comment and further statements',
    sql: 'DROP TABLE a; /* note */ SELEC 1; TRUNCATE b;',
    expect: [['no-drop-table', 1, 1, 1, 13], [RULE, 1, 26, 1, 31], ['no-truncate', 1, 35, 1, 45]],
  },
  { name: 'after multi-byte UTF-8 characters on the same line', sql: "SELECT 'é😀'; SELEC 1;", expect: [[RULE, 1, 15, 1, 20]] },
  { name: 'after a multi-byte UTF-8 character on an earlier line', sql: "COMMENT ON TABLE t IS 'ñ';\nSELEC 1;\nTRUNCATE z;", expect: [[RULE, 2, 1, 2, 6], ['no-truncate', 3, 1, 3, 11]] },
  { name: 'CRLF line endings', sql: 'SELECT 1;\r\nSELEC 2;\r\nDROP TABLE x;\r\n', expect: [[RULE, 2, 1, 2, 6], ['no-drop-table', 3, 1, 3, 13]] },
  { name: 'one finding per bad statement', sql: 'SELEC 1;\nSELECT 2;\nINSRT INTO t VALUES (1);', expect: [[RULE, 1, 1, 1, 6], [RULE, 3, 1, 3, 6]], message: ['"SELEC"', '"INSRT"'] },
  {
    name: 'in a down section',
    migrations: [{ name: '001_create.sql', text: '-- migrate:up\nCREATE TABLE a (id int);\n-- migrate:down\nDROP TABL a;\n' }],
    expect: [[RULE, 4, 6, 4, 10]],
    message: 'at or near "TABL"',
  },
  {
    // With a bad statement elsewhere the file is split on `;`: not inside a routine's BEGIN ATOMIC
    // body (CASE ... END included) nor inside parentheses (CREATE RULE ... DO (a; b)).
    name: 'BEGIN ATOMIC bodies and rule actions stay whole when another statement is bad',
    sql: [
      'CREATE OR REPLACE FUNCTION f() RETURNS int LANGUAGE sql',
      'BEGIN ATOMIC',
      '  SELECT CASE WHEN true THEN 1 END;',
      '  SELECT 2;',
      'END;',
      'CREATE RULE r AS ON INSERT TO t DO ALSO (SELECT 1; SELECT 2);',
      'SELEC 1;',
      'DROP TABLE users;',
    ].join('\n'),
    expect: [[RULE, 7, 1, 7, 6], ['no-drop-table', 8, 1, 8, 17]],
  },
  { name: 'MySQL syntax linted as Postgres', sql: 'ALTER TABLE t MODIFY COLUMN a int;', expect: [[RULE, 1, 15, 1, 21]], message: '"MODIFY"' },
];

const mustNotFire: Case[] = [
  { name: 'empty file', sql: '' },
  { name: 'only comments and whitespace', sql: '-- nothing yet\n/* still nothing */\n\n' },
  { name: 'plpgsql bodies are strings to the SQL parser', sql: 'CREATE FUNCTION f() RETURNS void AS $$ BEGIN SELEC nonsense; END $$ LANGUAGE plpgsql;' },
  { name: 'nested dollar-quote tags', sql: "DO $outer$ BEGIN EXECUTE $inner$ SELECT ';' $inner$; END $outer$;" },
  {
    name: 'Postgres-specific DDL',
    sql: [
      'CREATE EXTENSION IF NOT EXISTS btree_gist;',
      "CREATE TYPE mood AS ENUM ('sad', 'ok');",
      "ALTER TYPE mood ADD VALUE IF NOT EXISTS 'happy';",
      "CREATE TABLE booking (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, tags text[] DEFAULT '{}', during tstzrange, price numeric, qty int, total numeric GENERATED ALWAYS AS (price * qty) STORED, EXCLUDE USING gist (during WITH &&)) PARTITION BY RANGE (id);",
      'CREATE POLICY own ON booking USING (true);',
      "COMMENT ON COLUMN booking.tags IS 'labels';",
      'INSERT INTO t (a) VALUES (1) ON CONFLICT (a) DO NOTHING;',
      'WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3) SELECT * FROM n;',
    ].join('\n'),
  },
  { name: 'suppressed', sql: '-- migralint-disable-next-line syntax-error\nSELEC 1;' },
];

describe(RULE, () => {
  describe('must fire', () => {
    it.each(mustFire)('$name', (c) => expectFires(RULE, c));
  });
  describe('must not fire', () => {
    it.each(mustNotFire)('$name', (c) => expectSilent(RULE, c));
  });
});
