import { describe, expect, it } from 'vitest';
import { createMysqlParser } from '../src/sql/mysql.js';
import { sectionParse } from './helpers/parse-section.js';

const parser = createMysqlParser();

const { parse, ops } = sectionParse(parser);

describe('mysql parser: statements lowered to operations', () => {
  const cases: { name: string; sql: string; ops: Record<string, unknown>[] }[] = [
    {
      name: 'CREATE TABLE as drizzle writes it (serial, backticks, case kept)',
      sql: 'CREATE TABLE `Users` (\n\t`id` serial AUTO_INCREMENT NOT NULL,\n\t`Name` varchar(255) NOT NULL DEFAULT \'x\',\n\t`bio` text,\n\t`created_at` timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP,\n\tCONSTRAINT `users_id` PRIMARY KEY(`id`)\n)',
      ops: [
        {
          kind: 'create-table',
          table: { name: 'Users' },
          ifNotExists: false,
          asSelect: false,
          columns: [
            { name: 'id', type: 'SERIAL', notNull: true, hasDefault: true, constantDefault: false, primaryKey: true },
            { name: 'Name', type: 'VARCHAR(255)', notNull: true, hasDefault: true, constantDefault: true, primaryKey: false },
            { name: 'bio', type: 'TEXT', notNull: false, hasDefault: false, constantDefault: false, primaryKey: false },
            { name: 'created_at', type: 'TIMESTAMP', notNull: true, hasDefault: true, constantDefault: false, primaryKey: false },
          ],
        },
      ],
    },
    {
      name: 'CREATE TABLE IF NOT EXISTS with inline PRIMARY KEY and DOUBLE PRECISION',
      sql: 'CREATE TABLE IF NOT EXISTS db.t (id int AUTO_INCREMENT PRIMARY KEY, x double precision NOT NULL)',
      ops: [
        {
          kind: 'create-table',
          table: { schema: 'db', name: 't' },
          ifNotExists: true,
          columns: [
            { name: 'id', notNull: true, hasDefault: true, primaryKey: true },
            { name: 'x', type: 'DOUBLE', notNull: true, hasDefault: false },
          ],
        },
      ],
    },
    {
      name: 'CREATE TABLE ... AS SELECT',
      sql: 'CREATE TABLE t2 AS SELECT * FROM t',
      ops: [{ kind: 'create-table', table: { name: 't2' }, asSelect: true, columns: [] }],
    },
    {
      name: 'DROP TABLE IF EXISTS, several tables',
      sql: 'DROP TABLE IF EXISTS `a`, b',
      ops: [
        { kind: 'drop-table', table: { name: 'a' }, ifExists: true, cascade: false, spanText: 'DROP TABLE IF EXISTS `a`, b' },
        { kind: 'drop-table', table: { name: 'b' }, ifExists: true, spanText: 'DROP TABLE IF EXISTS `a`, b' },
      ],
    },
    {
      name: 'TRUNCATE TABLE',
      sql: 'TRUNCATE TABLE `Logs`',
      ops: [{ kind: 'truncate', tables: [{ name: 'Logs' }], cascade: false, spanText: 'TRUNCATE TABLE `Logs`' }],
    },
    { name: 'TRUNCATE without TABLE', sql: 'TRUNCATE logs', ops: [{ kind: 'truncate', tables: [{ name: 'logs' }] }] },
    {
      name: 'RENAME TABLE: one operation per pair, each with its own span',
      sql: 'RENAME TABLE `a` TO `b`, c TO d',
      ops: [
        { kind: 'rename-table', table: { name: 'a' }, to: 'b', spanText: '`a` TO `b`' },
        { kind: 'rename-table', table: { name: 'c' }, to: 'd', spanText: 'c TO d' },
      ],
    },
    {
      name: 'ALTER TABLE with many clauses: each operation spans its clause',
      sql: 'ALTER TABLE `users` ADD `age` int NOT NULL DEFAULT 0, DROP COLUMN `d`, DROP e, MODIFY f bigint NOT NULL, CHANGE g h text, ADD INDEX ix (a, b), ADD UNIQUE INDEX ux (c), ALGORITHM=INPLACE, LOCK=NONE',
      ops: [
        {
          kind: 'add-column',
          table: { name: 'users' },
          column: { name: 'age', type: 'INT', notNull: true, hasDefault: true, constantDefault: true },
          ifNotExists: false,
          spanText: 'ADD `age` int NOT NULL DEFAULT 0',
        },
        { kind: 'drop-column', column: 'd', spanText: 'DROP COLUMN `d`' },
        { kind: 'drop-column', column: 'e', spanText: 'DROP e' },
        { kind: 'alter-column-type', column: 'f', type: 'BIGINT', spanText: 'MODIFY f bigint NOT NULL' },
        { kind: 'set-not-null', column: 'f', spanText: 'MODIFY f bigint NOT NULL' },
        { kind: 'rename-column', column: 'g', to: 'h', spanText: 'CHANGE g h text' },
        { kind: 'alter-column-type', column: 'h', type: 'TEXT', spanText: 'CHANGE g h text' },
        { kind: 'drop-not-null', column: 'h', spanText: 'CHANGE g h text' },
        { kind: 'create-index', name: 'ix', unique: false, columns: ['a', 'b'], algorithm: 'INPLACE', lock: 'NONE', spanText: 'ADD INDEX ix (a, b)' },
        { kind: 'create-index', name: 'ux', unique: true, columns: ['c'], algorithm: 'INPLACE', lock: 'NONE', spanText: 'ADD UNIQUE INDEX ux (c)' },
      ],
    },
    {
      name: 'ALTER TABLE ADD COLUMN with a position',
      sql: 'ALTER TABLE t ADD COLUMN c varchar(10) NULL AFTER b',
      ops: [{ kind: 'add-column', column: { name: 'c', type: 'VARCHAR(10)', notNull: false }, spanText: 'ADD COLUMN c varchar(10) NULL AFTER b' }],
    },
    {
      name: 'MODIFY ... NOT NULL DEFAULT',
      sql: "ALTER TABLE t MODIFY COLUMN `s` enum('a','b') NOT NULL DEFAULT 'a'",
      ops: [
        { kind: 'alter-column-type', column: 's' },
        { kind: 'set-not-null', column: 's' },
        { kind: 'set-default', column: 's' },
      ],
    },
    {
      name: 'ALTER TABLE ... ADD UNIQUE / ADD CONSTRAINT UNIQUE',
      sql: 'ALTER TABLE `users` ADD CONSTRAINT `users_email_unique` UNIQUE(`email`)',
      ops: [{ kind: 'create-index', name: 'users_email_unique', unique: true, columns: ['email'], spanText: 'ADD CONSTRAINT `users_email_unique` UNIQUE(`email`)' }],
    },
    {
      name: 'ALTER TABLE ... ADD FOREIGN KEY',
      sql: 'ALTER TABLE `a` ADD CONSTRAINT `a_b_fk` FOREIGN KEY (`b`) REFERENCES `b`(`id`) ON DELETE cascade ON UPDATE no action',
      ops: [{ kind: 'add-constraint', name: 'a_b_fk', constraint: 'foreign-key', validated: true, notNullColumns: [] }],
    },
    {
      name: 'ALTER TABLE ... ADD CHECK (col IS NOT NULL)',
      sql: 'ALTER TABLE t ADD CONSTRAINT ck CHECK (a IS NOT NULL)',
      ops: [{ kind: 'add-constraint', name: 'ck', constraint: 'check', notNullColumns: ['a'] }],
    },
    {
      name: 'ALTER TABLE ... DROP INDEX / FOREIGN KEY / PRIMARY KEY',
      sql: 'ALTER TABLE t DROP INDEX ix, DROP FOREIGN KEY fk, DROP PRIMARY KEY',
      ops: [
        { kind: 'drop-index', name: 'ix', table: { name: 't' }, spanText: 'DROP INDEX ix' },
        { kind: 'drop-constraint', name: 'fk', spanText: 'DROP FOREIGN KEY fk' },
        { kind: 'drop-constraint', name: 'PRIMARY', spanText: 'DROP PRIMARY KEY' },
      ],
    },
    {
      name: 'ALTER TABLE RENAME TO / RENAME COLUMN',
      sql: 'ALTER TABLE t RENAME TO u, RENAME COLUMN a TO b',
      ops: [
        { kind: 'rename-table', table: { name: 't' }, to: 'u', spanText: 'RENAME TO u' },
        { kind: 'rename-column', column: 'a', to: 'b', spanText: 'RENAME COLUMN a TO b' },
      ],
    },
    {
      name: 'ALTER TABLE ALTER COLUMN SET DEFAULT (read by sql-parser-cst)',
      sql: 'ALTER TABLE t ALTER COLUMN c SET DEFAULT 1',
      ops: [{ kind: 'set-default', table: { name: 't' }, column: 'c', spanText: 'ALTER COLUMN c SET DEFAULT 1' }],
    },
    {
      name: 'CREATE UNIQUE INDEX with ALGORITHM and LOCK (upper-cased)',
      sql: 'CREATE UNIQUE INDEX ix ON t (a, b(10)) algorithm = inplace lock = none',
      ops: [
        {
          kind: 'create-index',
          table: { name: 't' },
          name: 'ix',
          unique: true,
          concurrently: false,
          ifNotExists: false,
          columns: ['a', 'b'],
          algorithm: 'INPLACE',
          lock: 'NONE',
          spanText: 'CREATE UNIQUE INDEX ix ON t (a, b(10)) algorithm = inplace lock = none',
        },
      ],
    },
    {
      name: 'CREATE INDEX without options',
      sql: 'CREATE INDEX `name_idx` ON `test_post` (`name`)',
      ops: [{ kind: 'create-index', table: { name: 'test_post' }, name: 'name_idx', unique: false, columns: ['name'] }],
    },
    {
      name: 'DROP INDEX ... ON t',
      sql: 'DROP INDEX `ix` ON `T`',
      ops: [{ kind: 'drop-index', name: 'ix', table: { name: 'T' }, concurrently: false, ifExists: false, spanText: 'DROP INDEX `ix` ON `T`' }],
    },
    {
      name: 'UPDATE',
      sql: 'UPDATE t SET a = 1, t.b = 2 WHERE id > 0',
      ops: [{ kind: 'update', table: { name: 't' }, columns: ['a', 'b'], hasWhere: true }],
    },
    { name: 'DELETE without WHERE', sql: 'DELETE FROM t', ops: [{ kind: 'delete', table: { name: 't' }, hasWhere: false }] },
    { name: 'DELETE with WHERE', sql: 'DELETE FROM t WHERE a = 1', ops: [{ kind: 'delete', hasWhere: true }] },
    {
      name: 'INSERT ... SELECT',
      sql: 'INSERT INTO t (a, b) SELECT a, u.b FROM u',
      ops: [{ kind: 'insert', table: { name: 't' }, columns: ['a', 'b'], fromTable: { name: 'u' }, selectColumns: ['a', 'b'] }],
    },
    {
      name: 'INSERT ... SELECT with expressions',
      sql: 'INSERT INTO n (a, b, c) SELECT a, IFNULL(b, 0), b + c FROM t',
      ops: [{ kind: 'insert', fromTable: { name: 't' }, selectColumns: ['a', 'b', '?'] }],
    },
    { name: 'INSERT ... VALUES', sql: 'INSERT INTO t VALUES (1, 2)', ops: [{ kind: 'insert', table: { name: 't' }, columns: null }] },
    {
      name: 'LONG and LONG VARCHAR column types (MEDIUMTEXT in MySQL and MariaDB)',
      sql: 'CREATE TABLE queue_message (id int NOT NULL, created_on TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP, offset_time_seconds long, note LONG VARCHAR, raw long varbinary)',
      ops: [{ kind: 'create-table', table: { name: 'queue_message' } }],
    },
    { name: 'START TRANSACTION', sql: 'START TRANSACTION', ops: [{ kind: 'transaction', action: 'begin' }] },
    { name: 'COMMIT', sql: 'COMMIT', ops: [{ kind: 'transaction', action: 'commit' }] },
    { name: 'SET', sql: 'SET FOREIGN_KEY_CHECKS = 0', ops: [{ kind: 'other', statement: 'set_stmt' }] },
    { name: 'SET NAMES (no parser knows it)', sql: 'SET NAMES utf8mb4', ops: [{ kind: 'other', statement: 'set_stmt' }] },
    { name: 'DROP PROCEDURE (no parser knows it)', sql: 'DROP PROCEDURE IF EXISTS p', ops: [{ kind: 'other', statement: 'drop_procedure_stmt' }] },
    { name: 'CREATE VIEW', sql: 'CREATE VIEW v AS SELECT 1', ops: [{ kind: 'other', statement: 'create_view_stmt' }] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const got = ops(c.sql);
      expect(got).toMatchObject(c.ops);
      expect(got).toHaveLength(c.ops.length);
    });
  }
});

describe('mysql parser: splitting and spans', () => {
  it('drizzle output: backticks and --> statement-breakpoint (mid-line and on its own line)', () => {
    const sql = [
      'CREATE TABLE `a` (\n\t`id` int NOT NULL\n);',
      '--> statement-breakpoint',
      'ALTER TABLE `a` ADD `b` int;--> statement-breakpoint',
      'DROP TABLE `c`;',
    ].join('\n');
    const r = parse(sql);
    expect(r.errors).toEqual([]);
    expect(r.statements.map((s) => s.text)).toEqual(['CREATE TABLE `a` (\n\t`id` int NOT NULL\n)', 'ALTER TABLE `a` ADD `b` int', 'DROP TABLE `c`']);
    expect(r.statements.map((s) => s.ops[0]!.kind)).toEqual(['create-table', 'add-column', 'drop-table']);
  });

  it('comments (--, #, /* */) and strings holding ; and DROP TABLE are not statements', () => {
    const sql = [
      '-- DROP TABLE users;',
      '# DROP TABLE x; a hash comment',
      "INSERT INTO log (msg) VALUES ('it\\'s; DROP TABLE y;'), (\"x;y\"), ('a''b;'); /* DROP TABLE z; */",
      'UPDATE `we;ird` SET `a;b` = 1;',
    ].join('\n');
    const r = parse(sql);
    expect(r.errors).toEqual([]);
    expect(r.statements.map((s) => s.text)).toEqual([
      "INSERT INTO log (msg) VALUES ('it\\'s; DROP TABLE y;'), (\"x;y\"), ('a''b;')",
      'UPDATE `we;ird` SET `a;b` = 1',
    ]);
    expect(r.statements[1]!.ops[0]).toMatchObject({ kind: 'update', table: { name: 'we;ird' }, columns: ['a;b'] });
  });

  it('DELIMITER blocks and BEGIN ... END routine bodies', () => {
    const sql = [
      'DELIMITER $$',
      'CREATE PROCEDURE p() BEGIN SELECT 1; IF 1 THEN SELECT 2; END IF; END$$',
      'DELIMITER ;',
      'CREATE TRIGGER tr BEFORE INSERT ON t FOR EACH ROW BEGIN SET NEW.a = 1; SET NEW.b = CASE WHEN 1 THEN 2 END; END;',
      'DROP TABLE t;',
    ].join('\n');
    const r = parse(sql);
    expect(r.errors).toEqual([]);
    expect(r.statements.map((s) => s.text)).toEqual([
      'CREATE PROCEDURE p() BEGIN SELECT 1; IF 1 THEN SELECT 2; END IF; END',
      'CREATE TRIGGER tr BEFORE INSERT ON t FOR EACH ROW BEGIN SET NEW.a = 1; SET NEW.b = CASE WHEN 1 THEN 2 END; END',
      'DROP TABLE t',
    ]);
    expect(r.statements.map((s) => s.ops[0]!.kind)).toEqual(['other', 'other', 'drop-table']);
    expect(r.statements[0]!.type).toBe('create_procedure_stmt');
  });

  it('routine bodies without DELIMITER: labels, nested blocks, END IF / WHILE / CASE', () => {
    const sql =
      'CREATE DEFINER=`root`@`%` PROCEDURE p() lbl: BEGIN\n  DECLARE x INT;\n  WHILE x < 3 DO SET x = x + 1; END WHILE;\n  BEGIN SELECT 1; END;\n  CASE x WHEN 1 THEN SELECT 1; END CASE;\n  IF x THEN SELECT 2; END IF;\nEND lbl;\nDROP TABLE a;';
    const r = parse(sql);
    expect(r.errors).toEqual([]);
    expect(r.statements).toHaveLength(2);
    expect(r.statements[0]!.text.endsWith('END lbl')).toBe(true);
    expect(r.statements[1]!.text).toBe('DROP TABLE a');
  });

  it('table maintenance statements are other', () => {
    const r = parse('OPTIMIZE TABLE t; ANALYZE TABLE t;');
    expect(r.errors).toEqual([]);
    expect(r.statements.map((s) => s.ops[0]!.kind)).toEqual(['other', 'other']);
  });

  it('executable comments /*! ... */ are code', () => {
    const r = parse('/*!40101 SET NAMES utf8 */;\nDROP TABLE a;');
    expect(r.errors).toEqual([]);
    expect(r.statements.map((s) => s.text)).toEqual(['SET NAMES utf8', 'DROP TABLE a']);
  });

  it('multi-byte characters before a statement: spans are UTF-16 indices', () => {
    const sql = "-- größe 😀\nINSERT INTO t (a) VALUES ('😀😀');\nALTER TABLE `tä😀` DROP COLUMN `c`, ADD COLUMN d int;";
    const r = parse(sql);
    expect(r.errors).toEqual([]);
    expect(r.statements[1]!.ops).toMatchObject([
      { kind: 'drop-column', table: { name: 'tä😀' }, column: 'c', spanText: 'DROP COLUMN `c`' },
      { kind: 'add-column', spanText: 'ADD COLUMN d int' },
    ]);
    expect(r.raw.statements[1]!.ops[1]!.span.start).toBe(sql.indexOf('ADD COLUMN d'));
  });

  it('CRLF line endings', () => {
    const sql = 'ALTER TABLE t\r\n  ADD c int NOT NULL,\r\n  DROP d;\r\nTRUNCATE t;\r\n';
    const r = parse(sql);
    expect(r.errors).toEqual([]);
    expect(r.statements.map((s) => s.text)).toEqual(['ALTER TABLE t\r\n  ADD c int NOT NULL,\r\n  DROP d', 'TRUNCATE t']);
    expect(r.statements[0]!.ops.map((o) => o.spanText)).toEqual(['ADD c int NOT NULL', 'DROP d']);
  });

  it('several statements on one line', () => {
    const r = parse('TRUNCATE a; DELETE FROM b;DROP TABLE c');
    expect(r.statements.map((s) => s.text)).toEqual(['TRUNCATE a', 'DELETE FROM b', 'DROP TABLE c']);
  });

  it('a syntax error in the middle: error at its position, the other statements kept', () => {
    const sql = 'CREATE TABLE a (x int);\nALTER TABLE a ADD (y int;\nDROP TABLE a;\nTRUNCATE b;';
    const r = parse(sql);
    expect(r.statements.map((s) => s.text)).toEqual(['CREATE TABLE a (x int)', 'DROP TABLE a', 'TRUNCATE b']);
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]!.ruleId).toBe('syntax-error');
    expect(r.errors[0]!.message).toMatch(/^syntax error: unexpected "\("/);
    expect(r.errors[0]!.start).toBe(sql.indexOf('(y'));
    expect(r.errors[0]!.text).toBe('(');
  });

  it('a syntax error after multi-byte text, on a later line', () => {
    const sql = "INSERT INTO t VALUES ('😀');\nCREATE TABLE b (\n  y int,\n  z int NOT NOT NULL\n);\nDROP TABLE b;";
    const r = parse(sql);
    expect(r.statements.map((s) => s.text)).toEqual(["INSERT INTO t VALUES ('😀')", 'DROP TABLE b']);
    expect(r.errors).toHaveLength(1);
    // node-sql-parser reads `NOT NULL` as one token: the error is at the first NOT.
    expect(r.errors[0]!.start).toBe(sql.indexOf('NOT NOT'));
    expect(r.errors[0]!.text).toBe('NOT');
  });

  it('a syntax error after a repaired serial column is reported where it is', () => {
    const sql = 'CREATE TABLE t (`id` serial AUTO_INCREMENT NOT NULL, `x` int,, `y` int)';
    const r = parse(sql);
    expect(r.statements).toEqual([]);
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]!.start).toBe(sql.indexOf(',,') + 1);
  });

  it('a section that starts mid-file: spans are offsets into the whole file', () => {
    const text = '-- +goose Up\nCREATE TABLE a (x int);\n-- +goose Down\nDROP TABLE a;\nALTER TABLE b DROP c;\n';
    const start = text.indexOf('-- +goose Down');
    const r = parse(text, start);
    expect(r.statements.map((s) => s.text)).toEqual(['DROP TABLE a', 'ALTER TABLE b DROP c']);
    expect(r.raw.statements[0]!.span.start).toBe(text.indexOf('DROP TABLE a'));
    expect(r.statements[1]!.ops[0]!.spanText).toBe('DROP c');
    const up = parse(text, 0, start);
    expect(up.statements.map((s) => s.text)).toEqual(['CREATE TABLE a (x int)']);
  });

  it('statement type names and the ast are kept', () => {
    const r = parse('ALTER TABLE t ADD c int; CREATE INDEX i ON t (c); DROP TABLE t');
    expect(r.statements.map((s) => s.type)).toEqual(['alter_table_stmt', 'create_index_stmt', 'drop_table_stmt']);
    expect((r.raw.statements[0]!.ast as { type: string }).type).toBe('alter');
  });
});
