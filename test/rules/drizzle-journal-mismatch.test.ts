import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { discover } from '../../src/discover/discover.js';
import { DEFAULT_POSTGRES_VERSION } from '../../src/engine/config.js';
import { lint } from '../../src/engine/lint.js';
import { RULES } from '../../src/engine/registry.js';
import { spanToRegion } from '../../src/report/location.js';

const FIXTURE = path.resolve(import.meta.dirname, '../../fixtures/drizzle/pg-classic');

/** Copy the pg-classic Drizzle fixture, let `edit` break it, and lint it through the engine. */
async function lintDrizzle(edit: (out: string) => void) {
  const dir = mkdtempSync(path.join(tmpdir(), 'migralint-journal-'));
  cpSync(FIXTURE, dir, { recursive: true });
  edit(path.join(dir, 'drizzle'));
  const found = await discover(['.'], { cwd: dir });
  const out = await lint(found.sets, RULES, { rules: {}, ignore: [], postgresVersion: DEFAULT_POSTGRES_VERSION });
  return out.findings
    .filter((f) => f.ruleId === 'drizzle-journal-mismatch')
    .map((f) => ({ file: f.span.file.relPath, line: spanToRegion(f.span).line, message: f.message }));
}

const journalPath = (out: string) => path.join(out, 'meta', '_journal.json');
const editJournal = (out: string, change: (j: { entries: { tag: string; when: number }[] }) => void) => {
  const j = JSON.parse(readFileSync(journalPath(out), 'utf8'));
  change(j);
  writeFileSync(journalPath(out), JSON.stringify(j, null, 2));
};

describe('drizzle-journal-mismatch', () => {
  it('fires on a .sql file the journal does not list', async () => {
    const findings = await lintDrizzle((out) => writeFileSync(path.join(out, '0003_hand_written.sql'), 'SELECT 1;\n'));
    expect(findings).toEqual([{ file: 'drizzle/0003_hand_written.sql', line: 1, message: expect.stringContaining('not listed') }]);
  });

  it('fires on a journal entry whose file is missing, at the entry', async () => {
    const findings = await lintDrizzle((out) => rmSync(path.join(out, '0002_brainy_shiver_man.sql')));
    expect(findings).toHaveLength(1);
    expect(findings[0]!.file).toBe('drizzle/meta/_journal.json');
    expect(findings[0]!.message).toContain('0002_brainy_shiver_man');
  });

  it('fires on an entry older than the one before it', async () => {
    const findings = await lintDrizzle((out) =>
      editJournal(out, (j) => {
        j.entries[2]!.when = j.entries[1]!.when - 1000;
      }),
    );
    expect(findings).toHaveLength(1);
    expect(findings[0]!.file).toBe('drizzle/meta/_journal.json');
    expect(findings[0]!.message).toContain('0002_brainy_shiver_man');
  });

  it('does not fire on a consistent journal', async () => {
    expect(await lintDrizzle(() => undefined)).toEqual([]);
  });
});
