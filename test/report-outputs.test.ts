import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import AjvDraft04 from 'ajv-draft-04';
import type * as Sarif from 'sarif';
import type { Finding, Severity, SourceFile } from '../src/model.js';
import type { LintResult } from '../src/engine/result.js';
import type { Rule } from '../src/engine/rule.js';
import { computeLineHashes } from '../src/report/fingerprint.js';
import { escapeData, escapeProperty, formatGithub } from '../src/report/github.js';
import { formatResult } from '../src/report/index.js';
import { artifactLocation, pascalCase } from '../src/report/sarif.js';

const CWD = '/work/my repo';
const VERSION = '0.3.1';

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
      help: 'Use `CREATE INDEX CONCURRENTLY` outside a transaction.',
      defaultLevel: 'warn',
      dialects: ['postgres'],
      recommended: true,
    },
  },
  {
    meta: {
      id: 'require-down',
      description: 'Reports a migration without a down migration.',
      help: 'Write the down migration.',
      defaultLevel: 'info',
      dialects: ['postgres', 'sqlite', 'mysql'],
      recommended: true,
    },
  },
  {
    meta: {
      id: 'no-truncate',
      description: 'Reports TRUNCATE.',
      help: 'Delete in batches.',
      defaultLevel: 'error',
      dialects: ['postgres', 'mysql'],
      recommended: true,
    },
  },
];

function source(relPath: string, text: string): SourceFile {
  return { path: `${CWD}/${relPath}`, relPath, text };
}

function at(file: SourceFile, needle: string, ruleId: string, severity: Severity, extra: Partial<Finding> = {}): Finding {
  const start = file.text.indexOf(needle);
  if (start < 0) throw new Error(`${needle} not found`);
  return { ruleId, severity, message: `${ruleId} here`, span: { file, start, end: start + needle.length }, ...extra };
}

const up = source(
  'db/migrations/001 init#1.sql',
  'CREATE TABLE users (id int);\r\n\r\n\tDROP TABLE legacy;\r\nCREATE INDEX users_id ON users (id);\r\n',
);
const knex = source('db/knex/20240101_ünï.js', 'exports.up = (knex) =>\n  knex.schema.dropTable("accounts");\n');

function sample(): LintResult {
  const findings: Finding[] = [
    at(up, 'DROP TABLE legacy;', 'no-drop-table', 'error', {
      migration: 'db/migrations#001',
      message: 'Dropping table "legacy" deletes its rows.',
      confirmation: { status: 'confirmed', evidence: 'seeded 3 rows; all lost', rowsLost: 3 },
    }),
    at(up, 'CREATE INDEX users_id ON users (id);', 'require-concurrent-index', 'warn', { migration: 'db/migrations#001' }),
    { ...at(up, 'CREATE', 'require-down', 'info'), span: { file: up, start: 0, end: 0 } },
    at(knex, 'knex.schema.dropTable("accounts")', 'no-drop-table', 'warn', {
      help: 'Use knex.schema.renameTable first.',
      migration: 'db/knex#20240101',
    }),
    at(knex, 'exports.up', 'journal-mismatch', 'error', { message: 'Loader problem' }),
  ];
  return {
    findings,
    fileProblems: [{ path: `${CWD}/db/migrations/002,bad:name.sql`, reason: 'not valid UTF-8' }],
    sets: [],
    rules,
    cwd: CWD,
    summary: { sets: 2, migrations: 2, files: 3, errors: 2, warnings: 2, infos: 1, analyzable: { analyzed: 1, total: 1 } },
  };
}

describe('json report', () => {
  const out = formatResult(sample(), 'json', { color: true, version: VERSION });
  const json = JSON.parse(out);

  it('is pretty-printed with two spaces and ends with a newline', () => {
    expect(out.endsWith('}\n')).toBe(true);
    expect(out.split('\n')[1]).toMatch(/^ {2}"/);
    expect(out).not.toContain('\u001b[');
  });

  it('has the documented top-level shape', () => {
    expect(Object.keys(json)).toEqual(['version', 'findings', 'fileProblems', 'summary']);
    expect(json.version).toBe(VERSION);
    expect(json.summary).toEqual(sample().summary);
    expect(json.fileProblems).toEqual([{ file: 'db/migrations/002,bad:name.sql', reason: 'not valid UTF-8' }]);
  });

  it('gives each finding its fields with 1-based positions and mapped severities', () => {
    expect(json.findings[0]).toEqual({
      ruleId: 'no-drop-table',
      severity: 'error',
      message: 'Dropping table "legacy" deletes its rows.',
      help: 'Rename the table first and drop it in a later release.',
      file: 'db/migrations/001 init#1.sql',
      line: 3,
      column: 2,
      endLine: 3,
      endColumn: 20,
      migration: 'db/migrations#001',
      confirmation: { status: 'confirmed', evidence: 'seeded 3 rows; all lost', rowsLost: 3 },
    });
    expect(json.findings.map((f: { severity: string }) => f.severity)).toEqual(['error', 'warning', 'info', 'warning', 'error']);
    expect(json.findings[1]).not.toHaveProperty('confirmation');
    expect(json.findings[2]).toMatchObject({ line: 1, column: 1, endLine: 1, endColumn: 1, migration: null });
    expect(json.findings[3]).toMatchObject({ help: 'Use knex.schema.renameTable first.', file: 'db/knex/20240101_ünï.js', line: 2, column: 3 });
    expect(json.findings[4].help).toBeNull();
  });

  it('survives bigint evidence', () => {
    const r = sample();
    r.findings[0]!.confirmation = { status: 'confirmed', evidence: 'rewrite', relfilenode: 12345678901234567890n };
    const parsed = JSON.parse(formatResult(r, 'json', { color: false, version: VERSION }));
    expect(parsed.findings[0].confirmation.relfilenode).toBe('12345678901234567890');
  });
});

describe('sarif report', () => {
  const schema = JSON.parse(
    readFileSync(new URL('../node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json', import.meta.url), 'utf8'),
  );
  // The package is CommonJS with `module.exports = Ajv` and `exports.default = Ajv`.
  const Ajv = AjvDraft04.default;
  const ajv = new Ajv({ strict: false, validateFormats: false, allErrors: true, unicodeRegExp: false });
  const validate = ajv.compile(schema);

  const text = formatResult(sample(), 'sarif', { color: false, version: VERSION });
  const log = JSON.parse(text) as Sarif.Log;
  const run = log.runs[0]!;
  const driver = run.tool.driver;

  it('validates against the official SARIF 2.1.0 schema', () => {
    const ok = validate(log);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it('the schema check is real: a region with column 0 fails', () => {
    const broken = structuredClone(log);
    broken.runs[0]!.results![0]!.locations![0]!.physicalLocation!.region!.startColumn = 0;
    expect(validate(broken)).toBe(false);
  });

  it('also validates with no findings and no problems', () => {
    const empty: LintResult = { ...sample(), findings: [], fileProblems: [] };
    const l = JSON.parse(formatResult(empty, 'sarif', { color: false, version: VERSION })) as Sarif.Log;
    expect(validate(l)).toBe(true);
    expect(l.runs[0]!.results).toEqual([]);
    expect(l.runs[0]!.tool.driver.rules).toHaveLength(rules.length);
    expect(l.runs[0]!.invocations![0]!.executionSuccessful).toBe(true);
  });

  it('has the header GitHub expects', () => {
    expect(log.$schema).toBe('https://json.schemastore.org/sarif-2.1.0.json');
    expect(log.version).toBe('2.1.0');
    expect(log.runs).toHaveLength(1);
    expect(driver.name).toBe('migralint');
    expect(driver.version).toBe(VERSION);
    expect(driver.semanticVersion).toBe(VERSION);
    expect(driver.informationUri).toMatch(/^https:\/\//);
    expect(run.columnKind).toBe('utf16CodeUnits');
    expect(run.originalUriBaseIds).toEqual({ '%SRCROOT%': { uri: 'file:///work/my%20repo/' } });
  });

  it('lists every rule of the run, including rules without findings', () => {
    const ids = driver.rules!.map((r) => r.id);
    expect(ids.slice(0, rules.length)).toEqual(rules.map((r) => r.meta.id));
    expect(ids).toContain('no-truncate');
    const drop = driver.rules![0]!;
    expect(drop).toEqual({
      id: 'no-drop-table',
      name: 'NoDropTable',
      shortDescription: { text: 'Reports DROP TABLE on a table that holds data.' },
      fullDescription: { text: 'Reports DROP TABLE on a table that holds data.' },
      help: {
        text: expect.stringContaining('Rename the table first and drop it in a later release.'),
        markdown: expect.stringContaining(
          '[Documentation for `no-drop-table`](https://github.com/migralint/migralint/blob/main/rules/no-drop-table.md)',
        ),
      },
      helpUri: 'https://github.com/migralint/migralint/blob/main/rules/no-drop-table.md',
      defaultConfiguration: { level: 'error' },
      properties: { tags: ['migration', 'postgres', 'sqlite', 'mysql'], recommended: true },
    });
    expect(driver.rules!.map((r) => r.defaultConfiguration?.level).slice(0, 4)).toEqual(['error', 'warning', 'note', 'error']);
  });

  it('points every result at its rule through ruleIndex', () => {
    for (const result of run.results!) {
      expect(driver.rules![result.ruleIndex!]!.id).toBe(result.ruleId);
    }
    // A rule id the run does not know still gets a descriptor so the index is valid.
    const loader = run.results!.find((r) => r.ruleId === 'journal-mismatch')!;
    expect(loader.ruleIndex).toBe(rules.length);
    expect(run.results!.map((r) => r.level)).toEqual(['error', 'warning', 'note', 'warning', 'error']);
  });

  it('locates results relative to %SRCROOT% with encoded URIs and 1-based regions', () => {
    const [drop, index, down, knexDrop] = run.results!;
    expect(drop!.locations).toHaveLength(1);
    expect(drop!.locations![0]!.physicalLocation).toEqual({
      artifactLocation: { uri: 'db/migrations/001%20init%231.sql', uriBaseId: '%SRCROOT%' },
      region: { startLine: 3, startColumn: 2, endLine: 3, endColumn: 20 },
    });
    expect(index!.locations![0]!.physicalLocation!.region).toEqual({ startLine: 4, startColumn: 1, endLine: 4, endColumn: 37 });
    expect(down!.locations![0]!.physicalLocation!.region).toEqual({ startLine: 1, startColumn: 1, endLine: 1, endColumn: 1 });
    expect(knexDrop!.locations![0]!.physicalLocation!.artifactLocation).toEqual({
      uri: 'db/knex/20240101_%C3%BCn%C3%AF.js',
      uriBaseId: '%SRCROOT%',
    });
    // The URI resolves back to the file under the base.
    const base = run.originalUriBaseIds!['%SRCROOT%']!.uri!;
    expect(decodeURIComponent(new URL(drop!.locations![0]!.physicalLocation!.artifactLocation!.uri!, base).pathname)).toBe(
      `${CWD}/db/migrations/001 init#1.sql`,
    );
  });

  it('a file outside the working directory (`check ../shared`) gets an absolute file URI, not a `../` one under %SRCROOT%', () => {
    expect(artifactLocation('/work/repo/app', '../shared/db/1 init.sql')).toEqual({ uri: 'file:///work/repo/shared/db/1%20init.sql' });
    expect(artifactLocation('/work/repo/app', '/elsewhere/1.sql')).toEqual({ uri: 'file:///elsewhere/1.sql' });
    expect(artifactLocation('/work/repo/app', 'db/1.sql')).toEqual({ uri: 'db/1.sql', uriBaseId: '%SRCROOT%' });
    // A folder whose name starts with two dots is still inside.
    expect(artifactLocation('/work/repo/app', '..db/1.sql')).toEqual({ uri: '..db/1.sql', uriBaseId: '%SRCROOT%' });
  });

  it('fingerprints each result with the line hash of its start line', () => {
    const [drop, index, , knexDrop] = run.results!;
    expect(drop!.partialFingerprints).toEqual({ primaryLocationLineHash: computeLineHashes(up.text)[2] });
    expect(index!.partialFingerprints!['primaryLocationLineHash']).toBe(computeLineHashes(up.text)[3]);
    expect(knexDrop!.partialFingerprints!['primaryLocationLineHash']).toBe(computeLineHashes(knex.text)[1]);
    for (const r of run.results!) expect(r.partialFingerprints!['primaryLocationLineHash']).toMatch(/^[0-9a-f]+:\d+$/);
  });

  it('carries confirmation evidence in properties and in the message', () => {
    const [drop, index, , knexDrop] = run.results!;
    expect(drop!.properties!['confirmation']).toEqual({ status: 'confirmed', evidence: 'seeded 3 rows; all lost', rowsLost: 3 });
    expect(drop!.message.text).toContain('seeded 3 rows; all lost');
    expect(index!.properties?.['confirmation']).toBeUndefined();
    // Finding-specific help is kept; the rule's own help lives in the rules table.
    expect(knexDrop!.message.text).toContain('Use knex.schema.renameTable first.');
    expect(index!.message.text).toBe('require-concurrent-index here');
  });

  it('reports unreadable files as tool execution notifications', () => {
    const inv = run.invocations![0]!;
    expect(inv.executionSuccessful).toBe(false);
    expect(inv.toolExecutionNotifications).toEqual([
      {
        level: 'error',
        message: { text: 'not valid UTF-8' },
        locations: [
          { physicalLocation: { artifactLocation: { uri: 'db/migrations/002%2Cbad%3Aname.sql', uriBaseId: '%SRCROOT%' } } },
        ],
      },
    ]);
  });

  it('leaves out semanticVersion when the version is not semver', () => {
    const l = JSON.parse(formatResult(sample(), 'sarif', { color: false, version: 'dev' })) as Sarif.Log;
    expect(l.runs[0]!.tool.driver.version).toBe('dev');
    expect(l.runs[0]!.tool.driver).not.toHaveProperty('semanticVersion');
    expect(validate(l)).toBe(true);
  });

  it('names rules in PascalCase', () => {
    expect(pascalCase('require-not-null-backfill')).toBe('RequireNotNullBackfill');
    expect(pascalCase('no-drop-table')).toBe('NoDropTable');
  });
});

describe('github report', () => {
  it('writes one workflow command per finding with its region and rule as title', () => {
    const lines = formatGithub(sample()).trimEnd().split('\n');
    expect(lines[0]).toBe(
      '::error file=db/migrations/001 init#1.sql,line=3,col=2,endLine=3,endColumn=20,title=no-drop-table::' +
        'Dropping table "legacy" deletes its rows.%0AHelp: Rename the table first and drop it in a later release.' +
        '%0ADocs: https://github.com/migralint/migralint/blob/main/rules/no-drop-table.md' +
        '%0AConfirmation (confirmed): seeded 3 rows; all lost',
    );
    expect(lines[1]).toMatch(/^::warning file=db\/migrations\/001 init#1\.sql,line=4,col=1,endLine=4,endColumn=37,title=require-concurrent-index::/);
    expect(lines[2]).toMatch(/^::notice file=.*,line=1,col=1,endLine=1,endColumn=1,title=require-down::/);
    expect(lines[4]).toBe('::error file=db/knex/20240101_ünï.js,line=1,col=1,endLine=1,endColumn=11,title=journal-mismatch::Loader problem');
    // A file that could not be read: `,` and `:` in the path are escaped as properties require.
    expect(lines[5]).toBe('::error file=db/migrations/002%2Cbad%3Aname.sql,title=migralint::not valid UTF-8');
    expect(lines.at(-2)).toMatch(/^✖ 5 problems \(2 errors, 2 warnings, 1 info\)/);
    expect(formatResult(sample(), 'github', { color: true, version: VERSION })).not.toContain('\u001b[');
  });

  it('escapes data and properties the way the runner parses them', () => {
    expect(escapeData('100% sure\r\nnext: a, b')).toBe('100%25 sure%0D%0Anext: a, b');
    expect(escapeProperty('a:b,c%d\ne')).toBe('a%3Ab%2Cc%25d%0Ae');
    const file = source('x,y:z.sql', 'DROP TABLE t;');
    const r: LintResult = {
      ...sample(),
      fileProblems: [],
      findings: [at(file, 'DROP TABLE t;', 'no-truncate', 'error', { message: '50% of\r\nrows: gone, really', help: 'h' })],
    };
    const line = formatGithub(r).split('\n')[0];
    expect(line).toBe(
      '::error file=x%2Cy%3Az.sql,line=1,col=1,endLine=1,endColumn=14,title=no-truncate::50%25 of%0D%0Arows: gone, really%0AHelp: h' +
        '%0ADocs: https://github.com/migralint/migralint/blob/main/rules/no-truncate.md',
    );
  });
});

describe('formatResult', () => {
  it('dispatches on the format', () => {
    const r = sample();
    expect(formatResult(r, 'json', { color: false, version: VERSION })).toMatch(/^\{\n {2}"version"/);
    expect(JSON.parse(formatResult(r, 'sarif', { color: false, version: VERSION })).version).toBe('2.1.0');
    expect(formatResult(r, 'github', { color: false, version: VERSION })).toMatch(/^::error /);
    expect(formatResult(r, 'text', { color: false, version: VERSION })).toMatch(/^db\/migrations\/001 init#1\.sql:3:2 {2}error/);
    expect(() => formatResult(r, 'xml' as never, { color: false, version: VERSION })).toThrow(/xml/);
  });
});
