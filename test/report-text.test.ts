import { describe, expect, it } from 'vitest';
import type { Finding, Severity, SourceFile } from '../src/model.js';
import type { LintResult, LintSummary } from '../src/engine/result.js';
import type { Rule } from '../src/engine/rule.js';
import { formatResult } from '../src/report/index.js';
import { formatText } from '../src/report/text.js';

const CWD = '/work/repo';

const rules: Rule[] = [
  {
    meta: {
      id: 'no-drop-table',
      description: 'Reports DROP TABLE on a table that holds data.',
      help: 'Rename the table first and drop it in a later release.',
      defaultLevel: 'error',
      dialects: ['postgres', 'sqlite', 'mysql'],
      recommended: true,
    },
  },
  {
    meta: {
      id: 'require-concurrent-index',
      description: 'Reports CREATE INDEX without CONCURRENTLY on an existing table.',
      help: 'Use CREATE INDEX CONCURRENTLY outside a transaction.',
      defaultLevel: 'warn',
      dialects: ['postgres'],
      recommended: true,
    },
  },
];

function source(relPath: string, text: string): SourceFile {
  return { path: `${CWD}/${relPath}`, relPath, text };
}

function finding(
  file: SourceFile,
  needle: string,
  ruleId = 'no-drop-table',
  severity: Severity = 'error',
  extra: Partial<Finding> = {},
): Finding {
  const start = file.text.indexOf(needle);
  if (start < 0) throw new Error(`${JSON.stringify(needle)} not in ${file.relPath}`);
  return { ruleId, severity, message: 'Dropping table "users" deletes its rows.', span: { file, start, end: start + needle.length }, ...extra };
}

function lint(findings: Finding[], over: Omit<Partial<LintResult>, 'summary'> & { summary?: Partial<LintSummary> } = {}): LintResult {
  const count = (s: Severity) => findings.filter((f) => f.severity === s).length;
  return {
    findings,
    fileProblems: over.fileProblems ?? [],
    sets: [],
    rules: over.rules ?? rules,
    cwd: CWD,
    summary: {
      sets: 1,
      migrations: 4,
      files: 4,
      errors: count('error'),
      warnings: count('warn'),
      infos: count('info'),
      ...over.summary,
    },
  };
}

const plain = (r: LintResult) => formatText(r, { color: false });

/** The frame rows of the first finding's block (the lines holding a ` | ` gutter). */
function frame(out: string): string[] {
  const block = out.split('\n\n')[1]!;
  return block.split('\n');
}

describe('text report', () => {
  it('prints header, message, code frame, help, docs and confirmation', () => {
    const file = source('db/migrations/002_drop.sql', 'CREATE TABLE a (id int);\n\nSELECT 1;\nDROP TABLE users;\n');
    const out = plain(
      lint([
        finding(file, 'DROP TABLE users;', 'no-drop-table', 'error', {
          confirmation: { status: 'confirmed', evidence: 'seeded 3 rows into users; all 3 were lost' },
        }),
      ]),
    );
    expect(out).toBe(
      [
        'db/migrations/002_drop.sql:4:1  error  no-drop-table',
        '  Dropping table "users" deletes its rows.',
        '',
        '    2 |',
        '    3 | SELECT 1;',
        '  > 4 | DROP TABLE users;',
        '      | ^^^^^^^^^^^^^^^^^',
        '',
        '  help: Rename the table first and drop it in a later release.',
        '  docs: https://github.com/migralint/migralint/blob/main/rules/no-drop-table.md',
        '  confirmed: seeded 3 rows into users; all 3 were lost',
        '',
        '✖ 1 problem (1 error, 0 warnings) in 4 migrations (4 files)',
        '',
      ].join('\n'),
    );
  });

  it('underlines exactly the span columns, not the whole line', () => {
    const file = source('a.sql', 'ALTER TABLE t ADD COLUMN c int NOT NULL;');
    const out = plain(lint([finding(file, 'NOT NULL')]));
    expect(frame(out)).toEqual(['  > 1 | ALTER TABLE t ADD COLUMN c int NOT NULL;', '      |                                ^^^^^^^^']);
  });

  it('keeps the caret aligned after tabs', () => {
    const file = source('a.sql', 'BEGIN;\n\t\tDROP TABLE users;\n\tx\tDROP TABLE t;\n');
    const out1 = plain(lint([finding(file, 'DROP TABLE users')]));
    expect(frame(out1).slice(-2)).toEqual(['  > 2 |         DROP TABLE users;', '      |         ^^^^^^^^^^^^^^^^']);
    // A tab after text advances to the next tab stop (4), not by a fixed amount.
    const out2 = plain(lint([finding(file, 'DROP TABLE t;')]));
    expect(frame(out2).slice(-2)).toEqual(['  > 3 |     x   DROP TABLE t;', '      |         ^^^^^^^^^^^^^']);
  });

  it('keeps the caret aligned after wide and multi-unit characters', () => {
    const file = source('a.sql', "SELECT '日本', '😀', 'é'; DROP TABLE t;");
    const out = plain(lint([finding(file, 'DROP TABLE t')]));
    // 日 and 本 take two cells each, 😀 two cells (two UTF-16 units), é one.
    expect(frame(out)).toEqual([
      "  > 1 | SELECT '日本', '😀', 'é'; DROP TABLE t;",
      '      |                           ^^^^^^^^^^^^',
    ]);
    expect(out.split('\n')[0]).toBe('a.sql:1:25  error  no-drop-table');
  });

  it('handles CRLF files: right line numbers, no stray carriage returns', () => {
    const file = source('a.sql', 'SELECT 1;\r\nSELECT 2;\r\nDROP TABLE users;\r\nSELECT 3;\r\n');
    // A statement span that swallowed its line break still ends on its own line.
    const f: Finding = { ...finding(file, 'DROP'), span: { file, start: file.text.indexOf('DROP'), end: file.text.indexOf('SELECT 3') } };
    const out = plain(lint([f]));
    expect(out).not.toContain('\r');
    expect(out.split('\n')[0]).toBe('a.sql:3:1  error  no-drop-table');
    expect(frame(out)).toEqual([
      '    1 | SELECT 1;',
      '    2 | SELECT 2;',
      '  > 3 | DROP TABLE users;',
      '      | ^^^^^^^^^^^^^^^^^',
    ]);
  });

  it('marks the lines of a multi-line span and caps long spans', () => {
    const body = Array.from({ length: 8 }, (_, i) => `  ADD COLUMN c${i} int NOT NULL`).join(',\n');
    const file = source('a.sql', `-- add columns\nALTER TABLE t\n${body};\n`);
    const start = file.text.indexOf('ALTER');
    const f: Finding = { ...finding(file, 'ALTER'), span: { file, start, end: file.text.length - 1 } };
    expect(frame(plain(lint([f])))).toEqual([
      '    1 | -- add columns',
      '  > 2 | ALTER TABLE t',
      '      | ^^^^^^^^^^^^^',
      '  > 3 |   ADD COLUMN c0 int NOT NULL,',
      '  > 4 |   ADD COLUMN c1 int NOT NULL,',
      '    ⋮ | (6 more lines)',
    ]);

    const short = source('b.sql', 'ALTER TABLE t\n  ADD c int;\n');
    const g: Finding = { ...finding(short, 'ALTER'), span: { file: short, start: 0, end: short.text.length - 1 } };
    expect(frame(plain(lint([g])))).toEqual(['  > 1 | ALTER TABLE t', '      | ^^^^^^^^^^^^^', '  > 2 |   ADD c int;']);
  });

  it('shows one caret for an empty span', () => {
    const file = source('a.sql', 'SELECT 1;\n');
    const f: Finding = { ...finding(file, 'SELECT'), span: { file, start: 7, end: 7 } };
    expect(frame(plain(lint([f])))).toEqual(['  > 1 | SELECT 1;', '      |        ^']);
  });

  it('shows a window of a very long line around the span', () => {
    const file = source('seed.sql', `INSERT INTO t VALUES ${'(1),'.repeat(200)}(2); DROP TABLE t;`);
    const rows = frame(plain(lint([finding(file, 'DROP TABLE t;')])));
    expect(rows[0]!.length).toBeLessThan(200);
    expect(rows[0]!).toContain('DROP TABLE t;');
    const caretAt = rows[1]!.indexOf('^');
    expect(rows[0]!.slice(caretAt, caretAt + 13)).toBe('DROP TABLE t;');
  });

  it('neutralises terminal control characters from the source and messages', () => {
    const file = source('a.sql', 'SELECT \u001b[31m1;\nDROP TABLE t;');
    const f = finding(file, 'DROP TABLE t;', 'no-drop-table', 'error', { message: 'bad \u001b]0;title\u0007 name' });
    const out = plain(lint([f]));
    expect(out).not.toMatch(/\u001b|\u0007/);
    expect(out).toContain('SELECT ␛[31m1;');
  });

  it('links docs only for rules the run knows, and prefers the finding help', () => {
    const file = source('a.sql', 'DROP TABLE t;');
    const loaderFinding: Finding = { ...finding(file, 'DROP'), ruleId: 'journal-mismatch', message: 'Journal lists 3 entries.' };
    const withHelp = finding(file, 'DROP TABLE t;', 'no-drop-table', 'error', { help: 'Use knex.schema.renameTable first.' });
    const out = plain(lint([loaderFinding, withHelp]));
    const [first, second] = out.split('\n\n').reduce<string[][]>((acc, chunk) => {
      if (/^\S+:\d+:\d+ /.test(chunk)) acc.push([chunk]);
      else acc.at(-1)?.push(chunk);
      return acc;
    }, []);
    expect(first!.join('\n')).not.toContain('docs:');
    expect(second!.join('\n')).toContain('  help: Use knex.schema.renameTable first.');
    expect(second!.join('\n')).toContain('  docs: https://github.com/migralint/migralint/blob/main/rules/no-drop-table.md');
  });

  it('prints confirmation outcomes other than confirmed', () => {
    const file = source('a.sql', 'CREATE INDEX i ON t (c);');
    const f = finding(file, 'CREATE INDEX i ON t (c);', 'require-concurrent-index', 'warn', {
      message: 'CREATE INDEX blocks writes.',
      confirmation: { status: 'not-reproduced', evidence: 'took ShareLock on t\nfor 2 ms' },
    });
    const out = plain(lint([f]));
    expect(out).toContain('a.sql:1:1  warning  require-concurrent-index');
    expect(out).toContain('  not reproduced: took ShareLock on t\n    for 2 ms');
  });

  it('lists unreadable files and summarises', () => {
    const out = plain(
      lint([], {
        fileProblems: [{ path: `${CWD}/db/blob.sql`, reason: 'not valid UTF-8' }],
        summary: { migrations: 12, files: 3 },
      }),
    );
    expect(out).toBe('db/blob.sql: not valid UTF-8\n\n! No problems in 12 migrations (3 files); 1 file could not be linted\n');
  });

  it('says so when there is nothing to report', () => {
    expect(plain(lint([], { summary: { migrations: 12, files: 3 } }))).toBe('✔ No problems in 12 migrations (3 files)\n');
    expect(plain(lint([], { summary: { migrations: 1, files: 1 } }))).toBe('✔ No problems in 1 migration (1 file)\n');
  });

  it('counts severities and shows the analysable share of Knex operations', () => {
    const file = source('a.sql', 'DROP TABLE a;\nDROP TABLE b;\nCREATE INDEX i ON t (c);');
    const out = plain(
      lint(
        [
          finding(file, 'DROP TABLE a;'),
          finding(file, 'DROP TABLE b;'),
          finding(file, 'CREATE INDEX', 'require-concurrent-index', 'warn'),
          finding(file, 'ON t', 'require-concurrent-index', 'info'),
        ],
        { summary: { analyzable: { analyzed: 18, total: 20 } } },
      ),
    );
    const tail = out.trimEnd().split('\n').slice(-2);
    expect(tail).toEqual([
      '✖ 4 problems (2 errors, 1 warning, 1 info) in 4 migrations (4 files)',
      'Knex: 18/20 operations analysed statically (90%)',
    ]);
  });

  it('colours only when asked', () => {
    const file = source('a.sql', 'DROP TABLE t;');
    const r = lint([finding(file, 'DROP TABLE t;')]);
    expect(formatResult(r, 'text', { color: false, version: '1.0.0' })).not.toContain('\u001b[');
    const coloured = formatResult(r, 'text', { color: true, version: '1.0.0' });
    expect(coloured).toContain('\u001b[');
    // Same text once the colour codes are stripped.
    expect(coloured.replace(/\u001b\[\d+m/g, '')).toBe(plain(r));
  });
});
