/**
 * DO blocks run when the migration runs: the static SQL in their PL/pgSQL body is linted like the
 * migration's own statements, at its line and column inside the body. Function bodies are not
 * (they run when called). Only EXECUTE of a string built at run time stays unanalyzable.
 */
import { describe, expect, it } from 'vitest';
import { lintSql, lintUp, type TestFinding } from './helpers/lint-sql.js';

const rows = (fs: TestFinding[]) => fs.map((f) => [f.ruleId, f.line, f.column, f.endLine, f.endColumn]);

describe('DO blocks: the static SQL they run is linted', () => {
  const DO = [
    'SELECT 1;',
    'DO $$',
    'DECLARE r record;',
    'BEGIN',
    '  IF EXISTS (SELECT 1 FROM information_schema.columns WHERE column_name = \'email\') THEN',
    '    ALTER TABLE users DROP COLUMN email;',
    '  ELSIF true THEN',
    '    ALTER TABLE users ALTER COLUMN name SET NOT NULL;',
    '  END IF;',
    '  FOR r IN SELECT 1 LOOP',
    '    CREATE INDEX users_a ON users (a);',
    '  END LOOP;',
    '  BEGIN',
    '    DROP TABLE legacy;',
    '  EXCEPTION WHEN undefined_table THEN',
    '    TRUNCATE audit;',
    '  END;',
    'END',
    '$$;',
  ].join('\n');

  it('inside IF / ELSIF / LOOP / BEGIN..EXCEPTION, at the statement in the body', async () => {
    const found = (await lintUp(DO)).filter((f) => f.ruleId !== 'unanalyzable-statement');
    expect(rows(found)).toEqual([
      ['no-drop-column', 6, 23, 6, 40],
      ['require-not-null-backfill', 8, 23, 8, 53],
      ['require-concurrent-index', 11, 5, 11, 38],
      ['no-drop-table', 14, 5, 14, 22],
      ['no-truncate', 16, 5, 16, 19],
    ]);
    expect(found[0]!.message).toBe('Dropping column "email" of "users" deletes its data.');
    expect((await lintUp(DO)).filter((f) => f.ruleId === 'unanalyzable-statement')).toEqual([]);
  });

  it('a body on one line, a tagged dollar quote and LANGUAGE plpgsql', async () => {
    expect(rows(await lintUp('DO LANGUAGE plpgsql $body$ BEGIN DROP TABLE x; END $body$;'))).toEqual([['no-drop-table', 1, 34, 1, 46]]);
  });

  it('a static EXECUTE of a literal is SQL: at the literal\'s content', async () => {
    const sql = "DO $$\nBEGIN\n  EXECUTE 'ALTER TABLE users DROP COLUMN email';\n  EXECUTE $q$DROP TABLE legacy$q$;\nEND $$;";
    expect(rows(await lintUp(sql))).toEqual([
      ['no-drop-column', 3, 30, 3, 47],
      ['no-drop-table', 4, 14, 4, 31],
    ]);
  });

  it('a static EXECUTE of concatenated constants is SQL: at the EXECUTE', async () => {
    const found = await lintUp("DO $$ BEGIN EXECUTE 'DROP TABLE ' || 'legacy'; END $$;");
    expect(rows(found)).toEqual([['no-drop-table', 1, 13, 1, 46]]);
    expect(found[0]!.message).toContain('"legacy"');
  });

  it('a dynamic EXECUTE is unanalyzable, at the EXECUTE; static SQL beside it is still linted', async () => {
    const sql = "DO $$\nDECLARE t text := 'users';\nBEGIN\n  EXECUTE format('ALTER TABLE %I DROP COLUMN email', t);\n  DROP TABLE legacy;\nEND $$;";
    const found = await lintUp(sql);
    expect(rows(found)).toEqual([
      ['unanalyzable-statement', 4, 3, 4, 56],
      ['no-drop-table', 5, 3, 5, 20],
    ]);
    expect(found[0]!.severity).toBe('info');
    expect(found[0]!.message).toContain("EXECUTE format('ALTER TABLE %I DROP COLUMN email', t), SQL built at run time");
  });

  it('SELECT ... INTO a variable is not a SELECT INTO a new table; the next statement is still found', async () => {
    const sql = 'DO $$\nDECLARE n int;\nBEGIN\n  SELECT count(*) INTO n FROM users;\n  IF n = 0 THEN DROP TABLE users; END IF;\nEND $$;';
    expect(rows(await lintUp(sql))).toEqual([['no-drop-table', 5, 17, 5, 33]]);
  });

  it('the schema state follows the DO block: a table it creates is new, a column it adds is new', async () => {
    const sql = 'DO $$ BEGIN\n  CREATE TABLE t (id int);\n  ALTER TABLE users ADD COLUMN tmp int;\nEND $$;\nCREATE INDEX ON t (id);\nALTER TABLE users DROP COLUMN tmp;';
    expect(await lintUp(sql)).toEqual([]);
  });

  it('the idempotent Drizzle pattern (DO ... EXCEPTION WHEN duplicate_object) is linted in a Drizzle set', async () => {
    const up =
      'ALTER TABLE "posts" ADD COLUMN "author_id" integer NOT NULL;--> statement-breakpoint\nDO $$ BEGIN\n ALTER TABLE "posts" ADD CONSTRAINT "posts_author_fk" FOREIGN KEY ("author_id") REFERENCES "users"("id");\nEXCEPTION\n WHEN duplicate_object THEN null;\nEND $$;--> statement-breakpoint\nDO $$ BEGIN\n ALTER TABLE "posts" DROP COLUMN "legacy";\nEXCEPTION WHEN undefined_column THEN null;\nEND $$;';
    const found = await lintSql([{ name: '0001_x.sql', up }], { format: 'drizzle' });
    expect(rows(found)).toEqual([
      ['require-not-null-backfill', 1, 21, 1, 60],
      // The FK added inside the DO block scans every row of the existing table.
      ['require-not-valid-constraint', 3, 22, 3, 105],
      ['no-drop-column', 8, 22, 8, 42],
    ]);
  });

  it('in a dbmate down, against the state after its up', async () => {
    const found = await lintSql([
      {
        name: '001_x.sql',
        text: '-- migrate:up\nALTER TABLE users ADD COLUMN a int;\n-- migrate:down\nDO $$ BEGIN\n  ALTER TABLE users DROP COLUMN a;\n  ALTER TABLE users DROP COLUMN b;\nEND $$;\n',
      },
    ]);
    expect(rows(found)).toEqual([['no-drop-column', 6, 21, 6, 34]]);
  });

  it('in a golang-migrate style up/down pair, in the down file', async () => {
    const found = await lintSql([{ name: '001_x.up.sql', up: 'SELECT 1;', down: 'DO $$\nBEGIN\n  DROP TABLE users;\nEND $$;' }], { format: 'golang-migrate' });
    expect(found.map((f) => [f.ruleId, f.file, f.line, f.column])).toEqual([['no-drop-table', 'migrations/001_x.down.sql', 3, 3]]);
  });

  it('a suppression above the DO statement covers what its body runs', async () => {
    expect(await lintUp('-- migralint-disable-next-line no-drop-table\nDO $$ BEGIN DROP TABLE legacy; END $$;')).toEqual([]);
  });

  it.each([
    ['a function body (it runs when called, not now)', 'CREATE FUNCTION f() RETURNS void LANGUAGE plpgsql AS $$ BEGIN DROP TABLE x; ALTER TABLE users DROP COLUMN email; END $$;'],
    ['a procedure body', 'CREATE PROCEDURE p() LANGUAGE plpgsql AS $$ BEGIN TRUNCATE users; END $$;'],
    ['a data fix', 'DO $$ BEGIN UPDATE t SET a = 1 WHERE a IS NULL; END $$;'],
    ['DDL words only in strings and comments', "DO $$ BEGIN RAISE NOTICE 'drop table x'; -- TRUNCATE t\nPERFORM $q$ALTER TABLE t$q$; END $$;"],
    ['a Drizzle enum created idempotently', "DO $$ BEGIN\n CREATE TYPE \"public\".\"role\" AS ENUM('a', 'b');\nEXCEPTION\n WHEN duplicate_object THEN null;\nEND $$;"],
    ['a down that raises to say it is irreversible', "DO $$ BEGIN RAISE EXCEPTION 'irreversible migration'; END $$;"],
  ])('nothing on %s', async (_name, sql) => {
    expect(await lintUp(sql)).toEqual([]);
  });

  it('another language: DDL in it is said to be unchecked, at the DO statement', async () => {
    const found = await lintUp("SELECT 1;\nDO LANGUAGE plv8 $$ plv8.execute('DROP TABLE x') $$;");
    expect(rows(found)).toEqual([['unanalyzable-statement', 2, 1, 2, 52]]);
    expect(found[0]!.message).toContain('inside LANGUAGE plv8');
  });

  it('a body in single quotes with doubled quotes: operations point at the DO statement', async () => {
    const found = await lintUp("DO 'BEGIN UPDATE t SET a = ''x''; DROP TABLE legacy; END';");
    expect(rows(found)).toEqual([
      ['no-drop-table', 1, 1, 1, 58],
      // The UPDATE without WHERE inside the body, reported at the DO statement too.
      ['no-unbounded-dml', 1, 1, 1, 58],
    ]);
  });
});
