import { describe, it } from 'vitest';
import { expectFires, expectSilent, type Case } from '../helpers/lint-sql.js';

const RULE = 'no-truncate';

const mustFire: Case[] = [
  {
    name: 'MySQL TRUNCATE PARTITION (verified on MariaDB: the rows of the partition are gone)',
    sql: 'ALTER TABLE events TRUNCATE PARTITION p2021;\nALTER TABLE `app`.`events` TRUNCATE PARTITION ALL;',
    options: { dialect: 'mysql' },
    expect: [[RULE, 1, 20, 1, 44], [RULE, 2, 28]],
    message: ['TRUNCATE PARTITION deletes every row in partition "p2021" of "events".', 'every partition of "app.events"'],
  },
  { name: 'TRUNCATE of an existing table', sql: 'TRUNCATE users;', expect: [[RULE, 1, 1, 1, 15]], message: 'TRUNCATE deletes every row of "users".' },
  {
    name: 'CASCADE is called out',
    sql: 'TRUNCATE TABLE orders, order_items CASCADE;',
    expect: [[RULE, 1, 1, 1, 43]],
    message: 'every row of "orders", "order_items". CASCADE also empties every table that references it',
  },
  { name: 'ONLY ... RESTART IDENTITY', sql: 'TRUNCATE ONLY users RESTART IDENTITY;', expect: [[RULE, 1, 1, 1, 37]] },
  { name: 'only the tables this migration did not create are named', sql: 'CREATE TABLE staging (id int);\nTRUNCATE staging, users;', expect: [[RULE, 2, 1, 2, 24]], message: 'TRUNCATE deletes every row of "users".' },
  {
    name: 'table created in an EARLIER migration is an existing table',
    migrations: [
      { name: '001_create.sql', up: 'CREATE TABLE staging (id int);' },
      { name: '002_reset.sql', up: 'TRUNCATE staging;' },
    ],
    expect: [[RULE, 1, 1, 1, 17]],
    file: 'migrations/002_reset.sql',
  },
  { name: 'after a multi-byte UTF-8 character on the same line', sql: "SELECT 'ü'; TRUNCATE t;", expect: [[RULE, 1, 13, 1, 23]] },
  { name: 'CRLF line endings', sql: 'BEGIN;\r\nTRUNCATE t;\r\nCOMMIT;\r\n', expect: [[RULE, 2, 1, 2, 11]] },
  { name: 'several statements on one line', sql: 'TRUNCATE a; TRUNCATE b;', expect: [[RULE, 1, 1, 1, 11], [RULE, 1, 13, 1, 23]] },
  {
    name: 'a down that empties a table its up did not create',
    migrations: [{ name: '001_seed.sql', up: "INSERT INTO settings (k) VALUES ('a');", down: 'TRUNCATE settings;' }],
    expect: [[RULE, 1, 1, 1, 18]],
    file: 'migrations/001_seed.down.sql',
  },
  { name: 'a whole-file suppression for another rule', sql: '-- migralint-disable no-drop-table\nTRUNCATE t;', expect: [['unused-disable', 1, 1], [RULE, 2, 1, 2, 11]] },
  { name: 'MySQL', sql: 'TRUNCATE TABLE users;', options: { dialect: 'mysql' }, expect: [[RULE, 1, 1]] },
];

const mustNotFire: Case[] = [
  {
    name: 'MySQL partition maintenance that keeps the rows (ADD, REORGANIZE, DROP PARTITION is another rule)',
    sql: 'ALTER TABLE events ADD PARTITION (PARTITION p2030 VALUES LESS THAN (2031));\nALTER TABLE events REORGANIZE PARTITION p1 INTO (PARTITION p1a VALUES LESS THAN (2500), PARTITION p1b VALUES LESS THAN (3000));\nALTER TABLE events DROP PARTITION p2019;',
    options: { dialect: 'mysql' },
  },
  { name: 'table created in the same migration', sql: 'CREATE TABLE staging (id int);\nINSERT INTO staging VALUES (1);\nTRUNCATE staging;' },
  { name: 'TRUNCATE in comments', sql: '-- TRUNCATE users;\n/* TRUNCATE TABLE users CASCADE; */\nSELECT 1;' },
  { name: 'TRUNCATE in string literals', sql: "SELECT 'TRUNCATE users';\nCOMMENT ON TABLE users IS 'never TRUNCATE users;';" },
  { name: 'TRUNCATE in a $$ function body', sql: 'CREATE FUNCTION reset() RETURNS void LANGUAGE plpgsql AS $$\nBEGIN\n  TRUNCATE users;\nEND;\n$$;' },
  { name: 'DELETE is not TRUNCATE', sql: "DELETE FROM sessions WHERE expires_at < now();" },
  {
    name: 'a down that empties the table its up created',
    migrations: [{ name: '001_create.sql', up: 'CREATE TABLE lookup (id int);\nINSERT INTO lookup VALUES (1);', down: 'TRUNCATE lookup;\nDROP TABLE lookup;' }],
  },
  { name: 'suppressed with disable-next-line', sql: '-- migralint-disable-next-line no-truncate\nTRUNCATE users;' },
  { name: 'suppressed for the whole file', sql: '-- migralint-disable no-truncate\nTRUNCATE a;\nTRUNCATE b;' },
  { name: 'a bare whole-file disable suppresses every rule', sql: '-- migralint-disable\nTRUNCATE a;' },
];

describe(RULE, () => {
  describe('must fire', () => {
    it.each(mustFire)('$name', (c) => expectFires(RULE, c));
  });
  describe('must not fire', () => {
    it.each(mustNotFire)('$name', (c) => expectSilent(RULE, c));
  });
});
