/**
 * Placeholders a migration tool substitutes before running the SQL (Go templates as in pop/fizz
 * and supabase auth, Flyway's and Liquibase's `${name}`) are masked before parsing
 * (src/sql/template-placeholders.ts): the statements holding them are linted, not syntax errors,
 * at the positions of the file as written.
 */
import { describe, expect, it } from 'vitest';
import { maskPlaceholders } from '../src/sql/template-placeholders.js';
import { lintSql, lintUp, locate } from './helpers/lint-sql.js';

const NS = '{{ index .Options "Namespace" }}';

describe('maskPlaceholders', () => {
  it.each([
    [`CREATE TABLE ${NS}.users (id int);`, /^CREATE TABLE "namespace" +\.users \(id int\);$/],
    [`ON "${NS}".users`, /^ON "namespace" +\.users$/],
    [`WHERE table_schema = '${NS}'`, /^WHERE table_schema = 'namespace' +$/],
    ['ALTER TABLE ${schema}.orders', /^ALTER TABLE "schema" \.orders$/],
    ['SET search_path = ${flyway:defaultSchema};', /^SET search_path = "defaultschema" +;$/],
    ['CREATE TABLE {{ .Prefix }}_users (id int);', /^CREATE TABLE prefix_+users \(id int\);$/],
    ['CREATE TABLE users_{{ .Suffix }} (id int);', /^CREATE TABLE users_suffix +\(id int\);$/],
    ['{{ if .Audit }}CREATE TABLE audit (id int);{{ end }}', /^ +CREATE TABLE audit \(id int\); +$/],
    ['{{/* a comment */}}SELECT 1;', /^ +SELECT 1;$/],
    ['SELECT 1; -- no placeholder, a ${ and {{ alone', /^SELECT 1; -- no placeholder, a \$\{ and \{\{ alone$/],
  ])('%s', (sql, masked) => {
    const got = maskPlaceholders(sql, 'postgres');
    expect(got).toMatch(masked);
    // Offsets stay the file's.
    expect(got).toHaveLength(sql.length);
  });

  it('quotes with backticks for MySQL', () => {
    expect(maskPlaceholders('DROP TABLE ${schema}.t;', 'mysql')).toBe('DROP TABLE `schema` .t;');
  });
});

describe('templated migrations are linted where they are written', () => {
  it('a Go template schema: the finding at its line and column, the file text as written, no syntax error', async () => {
    const findings = await lintSql([
      { name: '001_create.sql', up: `CREATE TABLE IF NOT EXISTS ${NS}.users (id bigint, email text);\n` },
      { name: '002_drop.sql', up: `-- remove it\nCREATE INDEX users_email ON "${NS}".users (email);\ndrop table if exists ${NS}.users;\n` },
    ]);
    expect(locate(findings, [])).toEqual([
      ['require-concurrent-index', 2, 1],
      ['no-drop-table', 3, 1],
    ]);
    expect(findings[1]!.message).toMatch(/"namespace\.users"/);
    expect(findings[1]!.text).toBe(`drop table if exists ${NS}.users`);
  });

  it("the same placeholder is one schema, however it is written; the default schema is another", async () => {
    const findings = await lintUp(
      [
        `CREATE TABLE ${NS}.fresh (id int);`,
        // A table created in this migration is empty: indexing it needs no CONCURRENTLY.
        `CREATE INDEX fresh_id ON "${NS}".fresh (id);`,
        `CREATE INDEX fresh_id2 ON {{index .Options "Namespace" }}.fresh (id);`,
        // Not the same table: \`fresh\` in the default schema existed before.
        'CREATE INDEX other_id ON fresh (id);',
        '',
      ].join('\n'),
    );
    expect(locate(findings, [])).toEqual([['require-concurrent-index', 4, 1]]);
  });

  it('Flyway placeholders, and SQL inside a DO block that holds them', async () => {
    const findings = await lintSql([
      { name: 'V1__create.sql', up: 'CREATE TABLE ${schema}.orders (id int, total int);\n' },
      {
        name: 'V2__change.sql',
        up: [
          'DO $$',
          'BEGIN',
          "  IF NOT EXISTS (SELECT 1 FROM information_schema.columns WHERE table_schema = '${schema}' AND column_name = 'amount') THEN",
          '    ALTER TABLE ${schema}.orders RENAME COLUMN total TO amount;',
          '  END IF;',
          'END $$;',
          'CREATE INDEX orders_amount ON ${schema}.orders (amount);',
          '',
        ].join('\n'),
      },
    ]);
    expect(locate(findings, [])).toEqual([
      ['no-rename-column', 4, 5],
      ['require-concurrent-index', 7, 1],
    ]);
  });

  it.each(['sqlite', 'mysql'] as const)('%s: a templated statement is parsed, not a syntax error', async (dialect) => {
    const findings = await lintSql(
      [
        { name: '001_create.sql', up: 'CREATE TABLE {{ .Schema }}.users (id int);\n' },
        { name: '002_drop.sql', up: '-- x\nDROP TABLE {{ .Schema }}.users;\n' },
      ],
      { dialect },
    );
    expect(locate(findings, [])).toEqual([['no-drop-table', 2, 1]]);
  });

  it('a statement that ends with a placeholder ends where the placeholder does, not inside it', async () => {
    const findings = await lintUp(`TRUNCATE \${schema};\nTRUNCATE ${NS} ;\nDROP TABLE "${NS}";\n`);
    // The name stands in for the placeholder padded with spaces, which a statement's span leaves out.
    expect(locate(findings, [['no-truncate', 1, 1, 1, 19], ['no-truncate', 2, 1, 2, 42], ['no-drop-table', 3, 1, 3, 46]])).toEqual([
      ['no-truncate', 1, 1, 1, 19],
      ['no-truncate', 2, 1, 2, 42],
      ['no-drop-table', 3, 1, 3, 46],
    ]);
    expect(findings.map((f) => f.text)).toEqual(['TRUNCATE ${schema}', `TRUNCATE ${NS}`, `DROP TABLE "${NS}"`]);
  });

  it('a placeholder that is not a value (a control action around SQL) leaves the SQL linted', async () => {
    const findings = await lintUp('{{ if .Truncate }}\nTRUNCATE audit_log;\n{{ end }}\n');
    expect(locate(findings, [])).toEqual([['no-truncate', 2, 1]]);
  });
});

describe('psql variables (Postgres): :name, :\'name\', :"name"', () => {
  it.each([
    ['create table :APP_SCHEMA.jobs (id int);', 'create table _app_schema.jobs (id int);'],
    ["grant select on t to :\"app_user\";", 'grant select on t to "app_user" ;'],
    ["select set_config('search_path', :'schema', false);", "select set_config('search_path', 'schema' , false);"],
    ['select array[(1, 2)]:::S.spec[], array[(1, 2):::S.spec];', 'select array[(1, 2)]::_s.spec[], array[(1, 2)::_s.spec];'],
    // Inside a dollar-quoted body too (the tools that fill them in replace the text everywhere).
    ['create function :S.f() returns int as $$ select count(*)::int from :S.jobs $$ language sql;', 'create function _s.f() returns int as $$ select count(*)::int from _s.jobs $$ language sql;'],
  ])('%s', (sql, masked) => {
    expect(maskPlaceholders(sql, 'postgres')).toBe(masked);
  });

  it.each([
    ['a cast', 'select x::text, y::int from t;'],
    ['a string literal', "insert into t values ('12:30', '{\"a\":true}', E'x\\':y');"],
    ['a comment', '-- run with :schema set\n/* or :other */ select 1;'],
    ['a quoted name', 'select 1 as ":not_a_var";'],
    ['an array slice', 'select arr[lo:hi], arr[ :n] from t;'],
    ['a PL/pgSQL assignment', 'do $$ declare n int; begin n := 1; end $$;'],
    ['a word before the colon', 'select a:b from t;'],
    ['a quote left open inside a body', "do $$ begin raise notice $q$ it's $q$; end $$; select ':x';"],
  ])('not in %s', (_what, sql) => {
    expect(maskPlaceholders(sql, 'postgres')).toBe(sql);
  });

  it('only in Postgres', () => {
    expect(maskPlaceholders('create table :s.t (id int);', 'mysql')).toBe('create table :s.t (id int);');
  });

  it('a schema given as a psql variable: findings at their lines and columns, the file text as written, no syntax error', async () => {
    const findings = await lintSql([
      { name: '000001.sql', up: 'create table :APP_SCHEMA.jobs (id bigint, run_at timestamptz);\ncreate index on :APP_SCHEMA.jobs (run_at);\n' },
      { name: '000002.sql', up: '-- speed up the poll\ncreate index jobs_id on :APP_SCHEMA.jobs (id);\nalter table :APP_SCHEMA.jobs rename to _private_jobs;\n' },
    ]);
    expect(locate(findings, [])).toEqual([
      ['require-concurrent-index', 2, 1],
      ['no-rename-table', 3, 1],
    ]);
    expect(findings[0]!.message).toMatch(/"_app_schema\.jobs"/);
    expect(findings[1]!.text).toBe('alter table :APP_SCHEMA.jobs rename to _private_jobs');
  });
});

describe('hostile input', () => {
  it('a 10 MB line of `{{` without `}}` is scanned in linear time (within the test timeout), and left as it is', () => {
    const text = '{{'.repeat(5_000_000);
    expect(maskPlaceholders(text, 'postgres')).toBe(text);
    const closed = `${'{{ a'.repeat(1_000_000)}}}`;
    expect(maskPlaceholders(closed, 'postgres')).toHaveLength(closed.length);
  });
});
