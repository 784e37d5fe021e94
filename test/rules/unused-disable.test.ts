import { describe, it } from 'vitest';
import { expectFires, expectSilent, type Case } from '../helpers/lint-sql.js';

const RULE = 'unused-disable';

const mustFire: Case[] = [
  {
    name: 'disable-next-line with nothing to suppress',
    sql: '-- migralint-disable-next-line no-drop-table\nSELECT 1;',
    expect: [[RULE, 1, 1, 1, 45]],
    message: '"migralint-disable-next-line no-drop-table" suppresses nothing: no no-drop-table finding on the next line.',
  },
  {
    name: 'an unknown rule id (and the finding it meant to hide stays)',
    sql: '-- migralint-disable-next-line no-such-rule\nDROP TABLE a;',
    expect: [[RULE, 1, 1, 1, 44], ['no-drop-table', 2, 1, 2, 13]],
    message: '"migralint-disable-next-line" names unknown rule "no-such-rule".',
  },
  { name: 'whole-file disable with nothing to suppress', sql: '-- migralint-disable no-truncate\nDROP TABLE c;', expect: [[RULE, 1, 1, 1, 33], ['no-drop-table', 2, 1, 2, 13]], message: 'no no-truncate finding in this file' },
  { name: 'bare disable-next-line with nothing to suppress', sql: '-- migralint-disable-next-line\nSELECT 1;', expect: [[RULE, 1, 1, 1, 31]], message: '"migralint-disable-next-line" suppresses nothing.' },
  { name: 'bare whole-file disable with nothing to suppress', sql: '-- migralint-disable\nSELECT 1;', expect: [[RULE, 1, 1, 1, 21]], message: '"migralint-disable" suppresses nothing.' },
  { name: 'two rules named, one used', sql: '-- migralint-disable-next-line no-drop-table, no-truncate\nDROP TABLE a;', expect: [[RULE, 1, 1, 1, 58]], message: '"migralint-disable-next-line no-truncate" suppresses nothing' },
  { name: 'a blank line between the directive and the statement', sql: '-- migralint-disable-next-line no-drop-table\n\nDROP TABLE a;', expect: [[RULE, 1, 1, 1, 45], ['no-drop-table', 3, 1, 3, 13]] },
  { name: 'a directive below the statement', sql: 'DROP TABLE a;\n-- migralint-disable-next-line no-drop-table', expect: [['no-drop-table', 1, 1, 1, 13], [RULE, 2, 1, 2, 45]] },
  { name: 'CRLF line endings', sql: 'SELECT 1;\r\n-- migralint-disable-next-line no-truncate\r\nSELECT 2;\r\n', expect: [[RULE, 2, 1, 2, 43]] },
  { name: 'a trailing directive after a multi-byte character', sql: "SELECT 'ü'; -- migralint-disable-next-line no-truncate\nSELECT 1;", expect: [[RULE, 1, 13, 1, 55]] },
  { name: 'block-comment form', sql: '/* migralint-disable-next-line no-drop-table */\nSELECT 1;', expect: [[RULE, 1, 1, 1, 48]] },
  {
    name: 'in a down section',
    migrations: [{ name: '001_create.sql', text: '-- migrate:up\nCREATE TABLE a (id int);\n-- migrate:down\n-- migralint-disable-next-line no-drop-table\nSELECT 1;\n' }],
    expect: [[RULE, 4, 1, 4, 45]],
  },
  {
    name: 'in a file without any other finding, among other migrations',
    migrations: [
      { name: '001_a.sql', up: 'DROP TABLE a;' },
      { name: '002_b.sql', up: '-- migralint-disable no-drop-table\nSELECT 1;' },
    ],
    expect: [['no-drop-table', 1, 1, 1, 13], [RULE, 1, 1, 1, 35]],
  },
];

const mustNotFire: Case[] = [
  { name: 'a used disable-next-line', sql: '-- migralint-disable-next-line no-drop-table\nDROP TABLE a;' },
  { name: 'a used whole-file disable', sql: '-- migralint-disable no-truncate\nSELECT 1;\nTRUNCATE a;' },
  { name: 'a used bare disable-next-line', sql: '-- migralint-disable-next-line\nTRUNCATE a;' },
  { name: 'used by a finding on a later line of a multi-line statement', sql: '-- migralint-disable-next-line no-drop-column\nALTER TABLE t\n  ADD COLUMN a int,\n  DROP COLUMN b;' },
  { name: 'a reason after --', sql: '-- migralint-disable-next-line no-drop-table -- replaced by accounts in 2023\nDROP TABLE users;' },
  { name: 'used in a down section', migrations: [{ name: '001_create.sql', text: '-- migrate:up\nSELECT 1;\n-- migrate:down\n-- migralint-disable-next-line no-drop-table\nDROP TABLE users;\n' }] },
  { name: 'mentioning the directive in prose is not a directive', sql: '-- we do not use migralint-disable here\nSELECT 1;' },
  { name: 'turned off in the config', sql: '-- migralint-disable-next-line no-drop-table\nSELECT 1;', options: { config: { rules: { [RULE]: 'off' } } } },
];

describe(RULE, () => {
  describe('must fire', () => {
    it.each(mustFire)('$name', (c) => expectFires(RULE, c));
  });
  describe('must not fire', () => {
    it.each(mustNotFire)('$name', (c) => expectSilent(RULE, c));
  });
});
