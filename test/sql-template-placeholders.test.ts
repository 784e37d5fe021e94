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

describe('hostile input', () => {
  it('a 10 MB line of `{{` without `}}` is scanned in linear time (within the test timeout), and left as it is', () => {
    const text = '{{'.repeat(5_000_000);
    expect(maskPlaceholders(text, 'postgres')).toBe(text);
    const closed = `${'{{ a'.repeat(1_000_000)}}}`;
    expect(maskPlaceholders(closed, 'postgres')).toHaveLength(closed.length);
  });
});
