import { describe, expect, it } from 'vitest';
import { createSqliteParser } from '../src/sql/sqlite.js';
import { sectionParse } from './helpers/parse-section.js';

const parser = createSqliteParser();

const { parse, ops } = sectionParse(parser);

describe('sqlite parser: statements lowered to operations', () => {
  const cases: { name: string; sql: string; ops: Record<string, unknown>[] }[] = [
    {
      name: 'CREATE TABLE with NOT NULL / DEFAULT / PRIMARY KEY, names unquoted, columns folded, table name case kept',
      sql: `CREATE TABLE IF NOT EXISTS "Users" (id INTEGER PRIMARY KEY AUTOINCREMENT, [Name] text NOT NULL DEFAULT 'x', \`Email\` varchar(20), created_at DEFAULT CURRENT_TIMESTAMP, n int DEFAULT (-1), CONSTRAINT pk PRIMARY KEY (id))`,
      ops: [
        {
          kind: 'create-table',
          table: { name: 'Users' },
          ifNotExists: true,
          temporary: false,
          asSelect: false,
          columns: [
            { name: 'id', type: 'INTEGER', notNull: true, hasDefault: true, constantDefault: false, primaryKey: true },
            { name: 'name', type: 'text', notNull: true, hasDefault: true, constantDefault: true, primaryKey: false },
            { name: 'email', type: 'varchar(20)', notNull: false, hasDefault: false, constantDefault: false, primaryKey: false },
            { name: 'created_at', notNull: false, hasDefault: true, constantDefault: false, primaryKey: false },
            { name: 'n', type: 'int', notNull: false, hasDefault: true, constantDefault: true, primaryKey: false },
          ],
        },
      ],
    },
    {
      name: 'CREATE TEMP TABLE ... AS SELECT',
      sql: 'CREATE TEMP TABLE t2 AS SELECT * FROM t',
      ops: [
        { kind: 'create-table', table: { name: 't2' }, columns: [], temporary: true, asSelect: true, spanText: 'CREATE TEMP TABLE t2 AS SELECT * FROM t' },
        // ... and the copy of t's rows into it, as an INSERT ... SELECT.
        { kind: 'insert', table: { name: 't2' }, columns: null, fromTable: { name: 't' }, selectColumns: ['*'], spanText: 'CREATE TEMP TABLE t2 AS SELECT * FROM t' },
      ],
    },
    {
      name: 'DROP TABLE IF EXISTS, schema main dropped',
      sql: 'DROP TABLE IF EXISTS main.Old',
      ops: [{ kind: 'drop-table', table: { name: 'Old' }, ifExists: true, cascade: false, spanText: 'DROP TABLE IF EXISTS main.Old' }],
    },
    {
      name: 'DROP TABLE of another schema keeps it',
      sql: 'DROP TABLE temp.x',
      ops: [{ kind: 'drop-table', table: { schema: 'temp', name: 'x' }, ifExists: false }],
    },
    {
      name: 'ADD COLUMN: the column definition clause',
      sql: 'ALTER TABLE t ADD COLUMN c int NOT NULL DEFAULT 0',
      ops: [
        {
          kind: 'add-column',
          table: { name: 't' },
          column: { name: 'c', type: 'int', notNull: true, hasDefault: true, constantDefault: true, primaryKey: false },
          ifNotExists: false,
          spanText: 'ADD COLUMN c int NOT NULL DEFAULT 0',
        },
      ],
    },
    {
      name: 'ADD without COLUMN, generated column',
      sql: 'ALTER TABLE t ADD fullname TEXT GENERATED ALWAYS AS (a || b) VIRTUAL',
      ops: [{ kind: 'add-column', column: { name: 'fullname', type: 'TEXT', hasDefault: true, constantDefault: false }, spanText: 'ADD fullname TEXT GENERATED ALWAYS AS (a || b) VIRTUAL' }],
    },
    {
      name: 'DROP COLUMN',
      sql: 'ALTER TABLE "T" DROP COLUMN "C"',
      // Table names keep their case (for messages), column names are folded.
      ops: [{ kind: 'drop-column', table: { name: 'T' }, column: 'c', ifExists: false, cascade: false, spanText: 'DROP COLUMN "C"' }],
    },
    {
      name: 'RENAME COLUMN',
      sql: 'ALTER TABLE t RENAME COLUMN a TO b',
      ops: [{ kind: 'rename-column', table: { name: 't' }, column: 'a', to: 'b', spanText: 'RENAME COLUMN a TO b' }],
    },
    {
      name: 'RENAME TO',
      sql: 'ALTER TABLE `__new_users` RENAME TO `users`',
      ops: [{ kind: 'rename-table', table: { name: '__new_users' }, to: 'users', spanText: 'RENAME TO `users`' }],
    },
    {
      name: 'CREATE UNIQUE INDEX IF NOT EXISTS (expressions are not columns)',
      sql: 'CREATE UNIQUE INDEX IF NOT EXISTS ix ON t (a, b DESC, lower(c))',
      ops: [
        {
          kind: 'create-index',
          table: { name: 't' },
          name: 'ix',
          unique: true,
          concurrently: false,
          ifNotExists: true,
          columns: ['a', 'b'],
          spanText: 'CREATE UNIQUE INDEX IF NOT EXISTS ix ON t (a, b DESC, lower(c))',
        },
      ],
    },
    {
      name: 'CREATE INDEX',
      sql: 'CREATE INDEX `t_a_idx` ON `t` (`a`)',
      ops: [{ kind: 'create-index', table: { name: 't' }, name: 't_a_idx', unique: false, ifNotExists: false, columns: ['a'] }],
    },
    {
      name: 'DROP INDEX',
      sql: 'DROP INDEX IF EXISTS `ix`',
      ops: [{ kind: 'drop-index', name: 'ix', concurrently: false, ifExists: true, spanText: 'DROP INDEX IF EXISTS `ix`' }],
    },
    {
      name: 'DELETE without WHERE: the truncate-equivalent',
      sql: 'DELETE FROM t',
      ops: [{ kind: 'delete', table: { name: 't' }, hasWhere: false, spanText: 'DELETE FROM t' }],
    },
    {
      name: 'DELETE with WHERE',
      sql: 'DELETE FROM t WHERE id = 1',
      ops: [{ kind: 'delete', table: { name: 't' }, hasWhere: true }],
    },
    {
      name: 'UPDATE: columns set',
      sql: 'UPDATE t SET a = 1, (b, c) = (2, 3), "D" = 4 WHERE x',
      ops: [{ kind: 'update', table: { name: 't' }, columns: ['a', 'b', 'c', 'd'], hasWhere: true }],
    },
    {
      name: 'UPDATE without WHERE',
      sql: 'UPDATE t SET a = 0',
      ops: [{ kind: 'update', columns: ['a'], hasWhere: false }],
    },
    {
      name: 'INSERT ... SELECT: from table and select columns',
      sql: 'INSERT INTO `__new_x`("a", "B") SELECT "a", x.b FROM `x`',
      ops: [{ kind: 'insert', table: { name: '__new_x' }, columns: ['a', 'b'], fromTable: { name: 'x' }, selectColumns: ['a', 'b'] }],
    },
    {
      name: 'INSERT ... SELECT with expressions: a single-column expression carries its column',
      sql: 'INSERT INTO n(a, b, c, d) SELECT a, coalesce(b, 0), b + c, 1 FROM t',
      ops: [{ kind: 'insert', fromTable: { name: 't' }, selectColumns: ['a', 'b', '?', '?'] }],
    },
    {
      name: 'INSERT ... SELECT from a join copies the rows of its first table (a JOIN is not a filter)',
      sql: 'INSERT INTO n(a, b) SELECT t.a, u.b FROM t LEFT JOIN u ON t.id = u.id',
      ops: [{ kind: 'insert', table: { name: 'n' }, columns: ['a', 'b'], fromTable: { name: 't' }, selectColumns: ['a', '?'] }],
    },
    {
      name: 'INSERT ... VALUES',
      sql: "INSERT INTO t VALUES (1, 'a')",
      ops: [{ kind: 'insert', table: { name: 't' }, columns: null }],
    },
    { name: 'BEGIN', sql: 'BEGIN TRANSACTION', ops: [{ kind: 'transaction', action: 'begin' }] },
    { name: 'COMMIT', sql: 'COMMIT', ops: [{ kind: 'transaction', action: 'commit' }] },
    { name: 'END is COMMIT', sql: 'END', ops: [{ kind: 'transaction', action: 'commit' }] },
    { name: 'ROLLBACK', sql: 'ROLLBACK', ops: [{ kind: 'transaction', action: 'rollback' }] },
    { name: 'ROLLBACK TO savepoint is not a rollback', sql: 'ROLLBACK TO sp', ops: [{ kind: 'other' }] },
    { name: 'PRAGMA', sql: 'PRAGMA foreign_keys=OFF', ops: [{ kind: 'other', statement: 'pragma_stmt', spanText: 'PRAGMA foreign_keys=OFF' }] },
    { name: 'CREATE VIEW', sql: 'CREATE VIEW v AS SELECT 1', ops: [{ kind: 'other', statement: 'create_view_stmt' }] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      expect(ops(c.sql)).toMatchObject(c.ops);
      expect(ops(c.sql)).toHaveLength(c.ops.length);
    });
  }

  it('INSERT ... SELECT from a subquery or a UNION has no source table; WHERE and LIMIT are filters', () => {
    expect(ops('INSERT INTO n(a) SELECT a FROM t WHERE deleted = 0 LIMIT 10')[0]).toMatchObject({ fromTable: { name: 't' }, filter: 'WHERE deleted = 0' });
    expect(ops('INSERT INTO n(a) SELECT a FROM t LIMIT 10')[0]).toMatchObject({ filter: 'LIMIT 10' });
    expect(ops('INSERT INTO n(a) SELECT a FROM (SELECT a FROM t)')[0]).not.toHaveProperty('fromTable');
    expect(ops('INSERT INTO n(a) SELECT a FROM t UNION SELECT a FROM u')[0]).not.toHaveProperty('fromTable');
  });

  it('DEFAULT x NOT NULL (as Drizzle writes it) is a DEFAULT and a NOT NULL column, in CREATE TABLE and ADD COLUMN', () => {
    const created = ops("CREATE TABLE `board` (`id` text PRIMARY KEY NOT NULL, `column_count` integer DEFAULT 10 NOT NULL, `mode` text DEFAULT 'fixed' NOT NULL, `n` integer DEFAULT (1) NOTNULL, `plain` integer DEFAULT 10)")[0] as { columns: { name: string; notNull: boolean; hasDefault: boolean }[] };
    expect(created.columns.map((c) => [c.name, c.notNull, c.hasDefault])).toEqual([['id', true, false], ['column_count', true, true], ['mode', true, true], ['n', true, true], ['plain', false, true]]);
    expect(ops('ALTER TABLE `board` ADD `disable_status` integer DEFAULT false NOT NULL')[0]).toMatchObject({ kind: 'add-column', column: { name: 'disable_status', notNull: true, hasDefault: true } });
  });

  it('table constraints without a comma between them (valid SQLite, written by Drizzle) parse, at the same offsets', () => {
    const sql = 'CREATE TABLE `section` (\n\t`id` text PRIMARY KEY NOT NULL,\n\t`board_id` text NOT NULL,\n\t`parent_id` text,\n\tFOREIGN KEY (`board_id`) REFERENCES `board`(`id`) ON DELETE cascade\n\tFOREIGN KEY (`parent_id`) REFERENCES `section`(`id`)\n\tCHECK (`id` <> \'\')\n)';
    const r = parse(sql);
    expect(r.errors).toEqual([]);
    expect(r.statements[0]!.ops[0]).toMatchObject({ kind: 'create-table', table: { name: 'section' } });
    expect(r.statements[0]!.text).toBe(sql);
    // A real error after a constraint is still one, where it is.
    const bad = parse('CREATE TABLE t (a int, FOREIGN KEY (a) REFERENCES u(id) FOREIGN KEY (a) REFERENCES)');
    expect(bad.errors).toHaveLength(1);
    // A column definition after a constraint is still an error (SQLite: constraints come last).
    expect(parse('CREATE TABLE t (a int, FOREIGN KEY (a) REFERENCES u(id)\n b int)').errors).toHaveLength(1);
  });

  it('statement type is the CST node type and the ast is kept', () => {
    const r = parse('DROP TABLE t;');
    expect(r.statements[0]!.type).toBe('drop_table_stmt');
    expect((r.raw.statements[0]!.ast as { type: string }).type).toBe('drop_table_stmt');
  });
});

describe('sqlite parser: splitting and spans', () => {
  it("recognises Drizzle's table-recreation sequence with mid-line statement-breakpoints", () => {
    const sql = [
      'PRAGMA foreign_keys=OFF;--> statement-breakpoint',
      'CREATE TABLE `__new_users` (`id` integer PRIMARY KEY NOT NULL, `name` text NOT NULL);',
      '--> statement-breakpoint',
      'INSERT INTO `__new_users`("id", "name") SELECT "id", "name" FROM `users`;--> statement-breakpoint',
      'DROP TABLE `users`;--> statement-breakpoint',
      'ALTER TABLE `__new_users` RENAME TO `users`;--> statement-breakpoint',
      'PRAGMA foreign_keys=ON;',
    ].join('\n');
    const r = parse(sql);
    expect(r.errors).toEqual([]);
    expect(r.statements.map((s) => s.text)).toEqual([
      'PRAGMA foreign_keys=OFF',
      'CREATE TABLE `__new_users` (`id` integer PRIMARY KEY NOT NULL, `name` text NOT NULL)',
      'INSERT INTO `__new_users`("id", "name") SELECT "id", "name" FROM `users`',
      'DROP TABLE `users`',
      'ALTER TABLE `__new_users` RENAME TO `users`',
      'PRAGMA foreign_keys=ON',
    ]);
    expect(r.statements.map((s) => s.ops.map((o) => o.kind))).toEqual([
      ['other'],
      ['create-table'],
      ['insert'],
      ['drop-table'],
      ['rename-table'],
      ['other'],
    ]);
    expect(r.statements[2]!.ops[0]).toMatchObject({ fromTable: { name: 'users' }, selectColumns: ['id', 'name'], columns: ['id', 'name'] });
  });

  it('a statement-breakpoint without a semicolon still ends the statement', () => {
    const r = parse('CREATE TABLE a (x int)--> statement-breakpoint\nCREATE TABLE b (y int)');
    expect(r.errors).toEqual([]);
    expect(r.statements.map((s) => s.text)).toEqual(['CREATE TABLE a (x int)', 'CREATE TABLE b (y int)']);
  });

  it('multi-byte characters before a statement: spans are UTF-16 indices', () => {
    const sql = "-- migración 😀 ünïcødé\nINSERT INTO t (a) VALUES ('ß😀');\nALTER TABLE t DROP COLUMN b;";
    const r = parse(sql);
    expect(r.errors).toEqual([]);
    expect(r.statements.map((s) => s.text)).toEqual(["INSERT INTO t (a) VALUES ('ß😀')", 'ALTER TABLE t DROP COLUMN b']);
    expect(r.statements[1]!.ops[0]!.spanText).toBe('DROP COLUMN b');
    const span = r.raw.statements[1]!.ops[0]!.span;
    expect(span.start).toBe(sql.indexOf('DROP COLUMN b'));
  });

  it('CRLF line endings', () => {
    const sql = 'CREATE TABLE t (\r\n  a int NOT NULL\r\n);\r\nALTER TABLE t\r\n  ADD COLUMN b text;\r\n';
    const r = parse(sql);
    expect(r.errors).toEqual([]);
    expect(r.statements.map((s) => s.text)).toEqual(['CREATE TABLE t (\r\n  a int NOT NULL\r\n)', 'ALTER TABLE t\r\n  ADD COLUMN b text']);
    expect(r.statements[1]!.ops[0]!.spanText).toBe('ADD COLUMN b text');
  });

  it('several statements on one line', () => {
    const r = parse('DELETE FROM a; DELETE FROM b WHERE 1;DROP TABLE c ;');
    expect(r.statements.map((s) => s.text)).toEqual(['DELETE FROM a', 'DELETE FROM b WHERE 1', 'DROP TABLE c']);
    expect(r.statements.map((s) => s.ops[0]!.kind)).toEqual(['delete', 'delete', 'drop-table']);
  });

  it('comments and strings holding ; and DROP TABLE are not statements', () => {
    const sql = [
      '-- DROP TABLE users; this is a comment',
      "/* DROP TABLE x; */ INSERT INTO log (msg) VALUES ('DROP TABLE y; it''s fine');",
      'UPDATE t SET "a;b" = 1 /* ; */ WHERE [c;d] = \'--\';',
    ].join('\n');
    const r = parse(sql);
    expect(r.errors).toEqual([]);
    expect(r.statements.map((s) => s.text)).toEqual([
      "INSERT INTO log (msg) VALUES ('DROP TABLE y; it''s fine')",
      'UPDATE t SET "a;b" = 1 /* ; */ WHERE [c;d] = \'--\'',
    ]);
    expect(r.statements.flatMap((s) => s.ops.map((o) => o.kind))).toEqual(['insert', 'update']);
    expect(r.statements[1]!.ops[0]).toMatchObject({ columns: ['a;b'] });
  });

  it('a backslash is an ordinary character in SQLite strings', () => {
    const r = parse("INSERT INTO t VALUES ('C:\\'); DROP TABLE t;");
    expect(r.errors).toEqual([]);
    expect(r.statements.map((s) => s.ops[0]!.kind)).toEqual(['insert', 'drop-table']);
  });

  it('trigger bodies (BEGIN ... END with inner ; and CASE ... END) stay one statement', () => {
    const sql =
      'CREATE TRIGGER tr AFTER UPDATE ON t FOR EACH ROW BEGIN\n  UPDATE u SET a = CASE WHEN new.x THEN 1 ELSE 2 END;\n  DELETE FROM v;\nEND;\nDROP TABLE w;';
    const r = parse(sql);
    expect(r.errors).toEqual([]);
    expect(r.statements.map((s) => s.type)).toEqual(['create_trigger_stmt', 'drop_table_stmt']);
    expect(r.statements[0]!.text.endsWith('DELETE FROM v;\nEND')).toBe(true);
    // The body runs later, row by row: it is not lowered as migration operations.
    expect(r.statements[0]!.ops).toMatchObject([{ kind: 'other', statement: 'create_trigger_stmt' }]);
  });

  it('BEGIN; ... COMMIT; around statements are transaction operations', () => {
    const r = parse('BEGIN;\nDROP TABLE a;\nCOMMIT;');
    expect(r.statements.map((s) => s.ops[0]!.kind)).toEqual(['transaction', 'drop-table', 'transaction']);
  });

  it('a syntax error in the middle: error at its position, the other statements kept', () => {
    const sql = 'CREATE TABLE a (x int);\nCREATE TABLE b (y int,, z int);\nDROP TABLE a;\nALTER TABLE b ADD COLUMN w int;';
    const r = parse(sql);
    expect(r.statements.map((s) => s.text)).toEqual(['CREATE TABLE a (x int)', 'DROP TABLE a', 'ALTER TABLE b ADD COLUMN w int']);
    expect(r.errors).toHaveLength(1);
    const e = r.errors[0]!;
    expect(e.ruleId).toBe('syntax-error');
    expect(e.message).toMatch(/^syntax error: unexpected ","/);
    expect(e.start).toBe(sql.indexOf(',, z') + 1);
    expect(e.text).toBe(',');
  });

  it('a syntax error on a later line of a multi-line statement with multi-byte text before it', () => {
    const sql = "INSERT INTO t VALUES ('😀😀');\nCREATE TABLE b (\n  y int,\n  z int NOT NOT NULL\n);";
    const r = parse(sql);
    expect(r.statements).toHaveLength(1);
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]!.start).toBe(sql.indexOf('NOT NOT') + 4);
    expect(r.errors[0]!.text).toBe('NOT');
  });

  it('an error at the end of a statement points at the end', () => {
    const sql = 'CREATE TABLE oops (a int,;\nDROP TABLE x;';
    const r = parse(sql);
    expect(r.statements.map((s) => s.text)).toEqual(['DROP TABLE x']);
    expect(r.errors[0]!.message).toMatch(/^syntax error: unexpected end of input/);
    expect(r.errors[0]!.start).toBe(sql.indexOf(';'));
  });

  it('an unterminated string is a syntax error, not a crash', () => {
    const r = parse("DROP TABLE a;\nINSERT INTO t VALUES ('oops);\nDROP TABLE b;");
    expect(r.statements.map((s) => s.text)).toEqual(['DROP TABLE a']);
    expect(r.errors).toHaveLength(1);
  });

  it('a section that starts mid-file: spans are offsets into the whole file', () => {
    const text = '-- migrate:up\nCREATE TABLE a (x int);\nDROP TABLE old;\n-- migrate:down\nDROP TABLE a;\n';
    const start = text.indexOf('-- migrate:down');
    const r = parse(text, start, text.length);
    expect(r.statements.map((s) => s.text)).toEqual(['DROP TABLE a']);
    expect(r.raw.statements[0]!.span.start).toBe(text.lastIndexOf('DROP TABLE a'));
    const up = parse(text, 0, start);
    expect(up.statements.map((s) => s.text)).toEqual(['CREATE TABLE a (x int)', 'DROP TABLE old']);
    const bad = parse('-- migrate:up\nSELECT 1;\n-- migrate:down\nDROP TABLE (;\n', 24);
    expect(bad.errors[0]!.text).toBe('(');
    expect(bad.errors[0]!.start).toBe('-- migrate:up\nSELECT 1;\n-- migrate:down\nDROP TABLE '.length);
  });

  it('an empty or comment-only section has no statements', () => {
    expect(parse('').raw).toEqual({ statements: [], errors: [] });
    expect(parse('-- nothing\n/* here */ ;\n').raw).toEqual({ statements: [], errors: [] });
  });
});
