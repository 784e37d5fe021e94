import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { discover } from '../../src/discover/discover.js';
import { DEFAULT_POSTGRES_VERSION } from '../../src/engine/config.js';
import { lint } from '../../src/engine/lint.js';
import { RULES } from '../../src/engine/registry.js';
import { spanToRegion } from '../../src/report/location.js';
import { runCli } from '../helpers/cli.js';
import { lintSql } from '../helpers/lint-sql.js';

/** Write one Knex migration into a fresh directory and lint it through discovery and the engine. */
async function lintKnex(source: string) {
  const dir = mkdtempSync(path.join(tmpdir(), 'migralint-unanalyzable-'));
  writeFileSync(path.join(dir, '20240101000000_m.js'), source);
  const found = await discover(['.'], { cwd: dir });
  const out = await lint(found.sets, RULES, { rules: {}, ignore: [], postgresVersion: DEFAULT_POSTGRES_VERSION });
  return {
    findings: out.findings
      .filter((f) => f.ruleId === 'unanalyzable-statement')
      .map((f) => ({ ...spanToRegion(f.span), severity: f.severity, message: f.message, text: f.span.file.text.slice(f.span.start, f.span.end) })),
    analyzable: out.analyzable,
  };
}

const wrap = (body: string) => `exports.up = async function (knex) {\n${body}\n};\nexports.down = async function (knex) {};\n`;

describe('unanalyzable-statement', () => {
  it.each([
    {
      name: 'table name from a variable of unknown value',
      body: '  await knex.schema.dropTable(process.env.TABLE);',
      text: 'knex.schema.dropTable(process.env.TABLE)',
      line: 2,
      column: 9,
    },
    {
      name: 'loop over names known only at run time',
      body: "  for (const t of process.env.TABLES.split(',')) {\n    await knex.schema.dropTable(t);\n  }",
      text: 'knex.schema.dropTable(t)',
      line: 3,
      column: 11,
    },
    {
      name: 'SQL built at run time',
      body: '  const col = pick();\n  await knex.raw(`ALTER TABLE users DROP COLUMN ${col}`);',
      text: 'knex.raw(`ALTER TABLE users DROP COLUMN ${col}`)',
      line: 3,
      column: 9,
    },
  ])('fires at the call: $name', async ({ body, text, line, column }) => {
    const { findings, analyzable } = await lintKnex(wrap(body));
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ severity: 'info', line, column, text });
    expect(findings[0]!.message).toMatch(/^Not analysed: /);
    expect(analyzable!.analyzed).toBeLessThan(analyzable!.total);
  });

  it.each([
    { name: 'literal names', body: "  await knex.schema.dropTable('users');" },
    { name: 'a loop over a literal array (unrolled)', body: "  for (const t of ['a', 'b']) {\n    await knex.schema.dropTable(t);\n  }" },
    { name: 'a same-file string constant', body: "  const T = 'users';\n  await knex.schema.alterTable(T, (t) => t.dropColumn('x'));" },
    { name: 'raw SQL in a template without substitutions', body: '  await knex.raw(`DROP INDEX CONCURRENTLY users_idx`);' },
  ])('does not fire on $name', async ({ body }) => {
    const { findings, analyzable } = await lintKnex(wrap(body));
    expect(findings).toEqual([]);
    expect(analyzable!.analyzed).toBe(analyzable!.total);
  });
});

describe('unanalyzable-statement in Postgres DO blocks', () => {
  const only = async (sql: string) => (await lintSql([{ name: '001_do.sql', up: sql }])).filter((f) => f.ruleId === 'unanalyzable-statement');

  it('fires on a dynamic EXECUTE in a DO block, at the EXECUTE (static DDL there goes to its own rule)', async () => {
    const findings = await only("SELECT 1;\nDO $$\nBEGIN\n  IF EXISTS (SELECT 1 FROM legacy) THEN\n    EXECUTE 'DROP TABLE ' || quote_ident('legacy');\n  END IF;\nEND\n$$;");
    expect(findings.map((f) => [f.line, f.column, f.severity])).toEqual([[5, 5, 'info']]);
    expect(findings[0]!.message).toBe("Not analysed: this DO block runs EXECUTE 'DROP TABLE ' || quote_ident('legacy'), SQL built at run time, which is not checked statically");
  });

  it('still fires when the constant parts do not say the statement is harmless (DDL on a run-time name, a run-time statement)', async () => {
    const sql = [
      'DO $$',
      'DECLARE r text := current_setting(\'app.role\', true); stmt text := \'SELECT 1\'; t text := \'jobs\';',
      'BEGIN',
      "  EXECUTE 'GRANT SELECT ON jobs TO ' || r || '; DROP TABLE ' || t;",
      "  EXECUTE format('ALTER TABLE %I OWNER TO app, DROP COLUMN note', t);",
      '  EXECUTE stmt;',
      "  EXECUTE 'ALTER TABLE jobs OWNER TO ' || r || ', DROP COLUMN note';",
      'END $$;',
    ].join('\n');
    expect((await only(sql)).map((f) => [f.line, f.column])).toEqual([[4, 3], [5, 3], [6, 3], [7, 3]]);
  });

  it.each([
    ['GRANT to a role named at run time', "EXECUTE 'GRANT ALL ON TABLE storage.buckets TO ' || service_role || ', ' || anon_role;"],
    ['REVOKE', "EXECUTE 'revoke all on storage.objects from ' || anon_role;"],
    ['CREATE ROLE', "EXECUTE 'CREATE ROLE ' || anon_role || ' NOLOGIN NOINHERIT';"],
    ['GRANT role TO role', "EXECUTE 'grant ' || anon_role || ' to authenticator';"],
    ['ALTER DEFAULT PRIVILEGES', "EXECUTE 'alter default privileges in schema storage grant all on tables to ' || anon_role;"],
    ['ALTER USER ... SET', "EXECUTE 'ALTER USER ' || anon_role || ' SET search_path = \"storage\"';"],
    ['ALTER TABLE ... OWNER TO', "EXECUTE 'ALTER table \"storage\".objects owner to ' || anon_role;"],
    ['ALTER FUNCTION ... OWNER TO through format()', "EXECUTE format('ALTER FUNCTION storage.search(text) OWNER TO %I', anon_role);"],
    ['COMMENT with a run-time text', "EXECUTE 'COMMENT ON TABLE storage.objects IS ' || quote_literal(anon_role);"],
  ])('does not fire on an EXECUTE built at run time that only changes privileges, roles, owners or comments: %s', async (_name, execute) => {
    const sql = `DO $$\nDECLARE anon_role text := coalesce(current_setting('storage.anon_role', true), 'anon'); service_role text := 'service_role';\nBEGIN\n  ${execute}\nEND $$;`;
    expect(await only(sql)).toEqual([]);
  });

  it('does not fire on static DDL in a DO block: the rules check it', async () => {
    expect(await only('DO $$ BEGIN DROP TABLE legacy; END $$;')).toEqual([]);
  });

  it.each([
    ['a data fix', "DO $$ BEGIN UPDATE t SET a = 1; END $$;"],
    ['DDL words only in strings and comments', "DO $$ BEGIN RAISE NOTICE 'drop table x'; -- TRUNCATE t\nPERFORM $q$ALTER TABLE t$q$; END $$;"],
    ['a function body (runs later, not in the migration)', 'CREATE FUNCTION f() RETURNS void LANGUAGE plpgsql AS $$ BEGIN DROP TABLE x; END $$;'],
  ])('does not fire on %s', async (_name, sql) => {
    expect(await only(sql)).toEqual([]);
  });

  it('fires on MySQL PREPARE ... FROM @variable (SQL built at run time), not on EXECUTE or a SET', async () => {
    const sql = "SET @s = (SELECT IF(COUNT(*) > 0, 'ALTER TABLE t DROP COLUMN a', 'SELECT 1') FROM information_schema.columns WHERE column_name = 'a');\nPREPARE dropIt FROM @s;\nEXECUTE dropIt;\nDEALLOCATE PREPARE dropIt;";
    const findings = (await lintSql([{ name: '001_a.sql', up: sql }], { dialect: 'mysql' })).filter((f) => f.ruleId === 'unanalyzable-statement');
    expect(findings.map((f) => [f.line, f.column, f.severity])).toEqual([[2, 1, 'info']]);
    expect(findings[0]!.message).toBe('Not analysed: this migration runs SQL prepared from @s at run time (PREPARE dropIt FROM @s), which is not checked statically');
  });
});

describe('unanalyzable-statement: goose Go migrations', () => {
  const GO = 'package migrations\n\nimport (\n\t"context"\n\t"database/sql"\n\n\t"github.com/pressly/goose/v3"\n)\n\nfunc init() {\n\tgoose.AddMigrationNoTxContext(upBackfill, downBackfill)\n}\n\nfunc upBackfill(ctx context.Context, db *sql.DB) error { return nil }\n\nfunc downBackfill(ctx context.Context, db *sql.DB) error { return nil }\n';
  const tree = (): string => {
    const dir = mkdtempSync(path.join(tmpdir(), 'migralint-goose-go-'));
    writeFileSync(path.join(dir, '20240101000001_jobs.sql'), '-- +goose Up\nCREATE TABLE jobs (id bigint PRIMARY KEY, slot int);\n-- +goose Down\nDROP TABLE jobs;\n');
    writeFileSync(path.join(dir, '20240101000002_backfill_slots.go'), GO);
    writeFileSync(path.join(dir, '20240101000003_slots_not_null.sql'), '-- +goose Up\nALTER TABLE jobs ALTER COLUMN slot SET NOT NULL;\n-- +goose Down\nALTER TABLE jobs ALTER COLUMN slot DROP NOT NULL;\n');
    // Not migrations: a test, and a Go file of the package that registers nothing.
    writeFileSync(path.join(dir, '20240101000002_backfill_slots_test.go'), 'package migrations\n');
    writeFileSync(path.join(dir, '00000000000000_helpers.go'), 'package migrations\n\nfunc helper() {}\n');
    return dir;
  };

  it('says where goose runs a Go migration, at its registration, instead of passing over it', async () => {
    const dir = tree();
    const found = await discover(['.'], { cwd: dir });
    expect(found.sets.map((s) => [s.format, s.migrations.length])).toEqual([['goose', 2]]);
    const out = await lint(found.sets, RULES, { rules: {}, ignore: [], postgresVersion: DEFAULT_POSTGRES_VERSION });
    const go = out.findings.filter((f) => f.ruleId === 'unanalyzable-statement').map((f) => ({ file: f.span.file.relPath, ...spanToRegion(f.span), severity: f.severity, message: f.message }));
    expect(go).toEqual([
      {
        file: '20240101000002_backfill_slots.go',
        line: 11,
        column: 2,
        endLine: 11,
        endColumn: 57,
        severity: 'info',
        message:
          'Not analysed: "20240101000002_backfill_slots.go" is a Go migration, which goose runs between "20240101000001_jobs.sql" and "20240101000003_slots_not_null.sql"; what it changes in the schema or the data is not seen by the checks of the migrations after it',
      },
    ]);
  });

  it('is not reported, nor its file counted, when only a SQL migration is named on the command line', () => {
    const dir = tree();
    const r = runCli(['check', '20240101000003_slots_not_null.sql', '-r', 'require-not-null-backfill=off'], { cwd: dir });
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe('✔ No problems in 1 migration (1 file)');
  });
});
