/**
 * Valid MySQL/MariaDB that node-sql-parser and sql-parser-cst reject is never a syntax error
 * (src/sql/mysql-fallback.ts): statements no rule reads are kept, ALTER TABLE clauses and
 * CREATE TABLE options no rule reads are set aside and the rest still lowered and checked, and a
 * real error is still reported, at its culprit.
 *
 * Every valid statement here is replayed on the MariaDB server at MIGRALINT_TEST_MYSQL_HOST
 * (default 127.0.0.1:3306, user root) through the `mysql` client, in a database this test
 * creates and drops: none of them may be a syntax error there (ER_PARSE_ERROR, 1064), and the
 * invalid ones must be. Skipped, saying so, without a client or a server.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createMysqlParser } from '../src/sql/mysql.js';
import { sectionParse } from './helpers/parse-section.js';

const { parse } = sectionParse(createMysqlParser());

/** Valid on MariaDB 10.11; rejected by both parsers before the fallback. */
const VALID = [
  'ALTER TABLE t ENGINE=InnoDB, CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci',
  'ALTER TABLE t CONVERT TO CHARACTER SET utf8mb4',
  'ALTER TABLE t CHARACTER SET = utf8mb4, COLLATE = utf8mb4_bin',
  'ALTER TABLE t FORCE',
  'ALTER TABLE t DISABLE KEYS',
  'ALTER TABLE t RENAME INDEX i TO j',
  'ALTER TABLE t STATS_PERSISTENT=0, PAGE_CHECKSUM=1',
  'ALTER TABLE p PARTITION BY HASH(id) PARTITIONS 4',
  'ALTER TABLE r REORGANIZE PARTITION b INTO (PARTITION b1 VALUES LESS THAN (20), PARTITION b2 VALUES LESS THAN MAXVALUE)',
  'CREATE TABLE c1 (id int) ENGINE=InnoDB STATS_PERSISTENT=0 PAGE_CHECKSUM=1',
  'CREATE TABLE c2 (id int) PARTITION BY HASH(id) PARTITIONS 4',
  'CREATE TABLE c3 (id int) PARTITION BY RANGE (id) (PARTITION a VALUES LESS THAN (10), PARTITION b VALUES LESS THAN MAXVALUE)',
  'CREATE TABLE c4 (id int, v int AS (id + 1) VIRTUAL) WITH SYSTEM VERSIONING',
  'LOCK TABLE t WRITE',
  'CREATE SEQUENCE s START WITH 1 INCREMENT BY 1',
  'ALTER DATABASE CHARACTER SET utf8mb4',
  'CREATE OR REPLACE ALGORITHM=MERGE SQL SECURITY INVOKER VIEW vv AS SELECT 1 AS one',
];

/** Real syntax errors: each with the text the finding underlines. */
const INVALID: [sql: string, underlined: string][] = [
  ['ALTER TABLE t CONVERT TO CHARACTER SET utf8mb4, DROPP COLUMN name', 'DROPP'],
  ['CREATE TABLE w (id int,) ENGINE=InnoDB STATS_PERSISTENT=0', ')'],
  // Cut short: the error is at the end of the statement.
  ['ALTER TABLE t ENGINE=InnoDB, ADD COLUMN', ';'],
];

describe('MySQL: valid statements the parsers do not know', () => {
  it.each(VALID)('%s: no syntax error', (sql) => {
    const r = parse(`${sql};\n`);
    expect(r.errors).toEqual([]);
    expect(r.statements).toHaveLength(1);
    expect(r.statements[0]!.text).toBe(sql);
  });

  it('a DROP COLUMN beside table options is still lowered, at its own clause', () => {
    const sql = 'ALTER TABLE t ENGINE=InnoDB, DROP COLUMN note, CONVERT TO CHARACTER SET utf8mb4;';
    const r = parse(sql);
    expect(r.errors).toEqual([]);
    expect(r.statements[0]!.ops).toEqual([expect.objectContaining({ kind: 'drop-column', table: { name: 't' }, column: 'note', spanText: 'DROP COLUMN note' })]);
  });

  it('ALGORITHM=COPY stays with the index it builds (it is analysed)', () => {
    const r = parse('ALTER TABLE t ADD INDEX i (name), ALGORITHM=COPY, CONVERT TO CHARACTER SET utf8mb4;');
    expect(r.errors).toEqual([]);
    expect(r.statements[0]!.ops).toEqual([expect.objectContaining({ kind: 'create-index', algorithm: 'COPY' })]);
  });

  it('CREATE TABLE with unknown options keeps its columns', () => {
    const r = parse('CREATE TABLE c1 (id int NOT NULL, note text) ENGINE=InnoDB STATS_PERSISTENT=0;');
    expect(r.errors).toEqual([]);
    expect(r.statements[0]!.ops).toEqual([expect.objectContaining({ kind: 'create-table', table: { name: 'c1' }, columns: [expect.objectContaining({ name: 'id', notNull: true }), expect.objectContaining({ name: 'note' })] })]);
  });

  it.each(INVALID)('%s: still a syntax error, at the culprit', (sql, underlined) => {
    const r = parse(`${sql};`);
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]!.text).toBe(underlined);
  });
});

const host = process.env.MIGRALINT_TEST_MYSQL_HOST ?? '127.0.0.1';
const client = spawnSync('mysql', ['--version'], { encoding: 'utf8' });
const mysql = (args: string[], input?: string) => spawnSync('mysql', ['-h', host, '-u', 'root', '--batch', ...args], { encoding: 'utf8', input, timeout: 30_000 });
const server = client.status === 0 ? mysql(['-e', 'SELECT 1']) : undefined;
const skip = client.status !== 0 ? 'no mysql client installed' : server?.status !== 0 ? `no MySQL/MariaDB server at ${host}:3306 for root` : '';

describe.skipIf(skip !== '')(`the same statements on a real server${skip ? ` (skipped: ${skip})` : ''}`, () => {
  const SETUP = [
    'CREATE TABLE t (id int, name varchar(10), note text, INDEX i (name))',
    'CREATE TABLE p (id int)',
    'CREATE TABLE r (id int) PARTITION BY RANGE (id) (PARTITION a VALUES LESS THAN (10), PARTITION b VALUES LESS THAN MAXVALUE)',
  ];
  const parseErrors = (statements: string[]): string[] => {
    const db = `migralint_fallback_${randomBytes(4).toString('hex')}`;
    expect(mysql(['-e', `CREATE DATABASE ${db}`]).status).toBe(0);
    try {
      return statements.flatMap((s) => {
        const r = mysql(['--force', db], `${[...SETUP, s].join(';\n')};\n`);
        return / 1064 /.test(r.stderr) ? [`${s}: ${r.stderr.trim()}`] : [];
      });
    } finally {
      mysql(['-e', `DROP DATABASE IF EXISTS ${db}`]);
    }
  };

  it('none of the valid ones is a syntax error', () => {
    expect(parseErrors(VALID)).toEqual([]);
  });

  it('every invalid one is', () => {
    expect(parseErrors(INVALID.map(([s]) => s))).toHaveLength(INVALID.length);
  });
});
