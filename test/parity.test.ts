import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderRulesMarkdown } from '../src/cli/rules-table.js';
import { RULES } from '../src/engine/registry.js';

const root = path.resolve(import.meta.dirname, '..');
const ruleFiles = readdirSync(path.join(root, 'rules')).filter((f) => f.endsWith('.ts'));
const REQUIRED_HEADINGS = ['## Problem', '## Solution', '## Frameworks', '## When it does not fire', '## Fix', '## Confirmation'];

describe('rules folder, registry, docs, tests and README agree', () => {
  it('registers every file in rules/ under its file name, and nothing else', () => {
    const fromFiles = ruleFiles.map((f) => f.replace(/\.ts$/, '')).sort();
    const registered = RULES.map((r) => r.meta.id).sort();
    expect(registered).toEqual(fromFiles);
  });

  it.each(RULES.map((r) => r.meta.id))('%s has a doc with the required headings', (id) => {
    const doc = path.join(root, 'rules', `${id}.md`);
    expect(existsSync(doc), `rules/${id}.md is missing`).toBe(true);
    const text = readFileSync(doc, 'utf8');
    expect(text.startsWith(`# ${id}\n`), `rules/${id}.md must start with "# ${id}"`).toBe(true);
    for (const h of REQUIRED_HEADINGS) expect(text, `rules/${id}.md lacks "${h}"`).toMatch(new RegExp(`^${h}$`, 'm'));
  });

  it.each(RULES.map((r) => r.meta.id))('%s has a test file', (id) => {
    expect(existsSync(path.join(root, 'test', 'rules', `${id}.test.ts`)), `test/rules/${id}.test.ts is missing`).toBe(true);
  });

  it.each(RULES.map((r) => r.meta.id))('%s metadata is complete', (id) => {
    const rule = RULES.find((r) => r.meta.id === id)!;
    expect(rule.meta.id).toMatch(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/);
    expect(rule.meta.description.length).toBeGreaterThan(10);
    expect(rule.meta.help.length).toBeGreaterThan(10);
    expect(rule.meta.dialects.length).toBeGreaterThan(0);
  });

  it('the README rules table matches the registry', () => {
    const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
    const table = /<!-- rules:start -->\n([\s\S]*?)\n<!-- rules:end -->/.exec(readme)?.[1];
    expect(table, 'README.md lacks the rules table markers').toBeDefined();
    expect(table, 'README rules table is stale: run `npm run rules-table`').toBe(renderRulesMarkdown(RULES));
  });
});
