/** The rules table, from the rules' own metadata: `migralint rules` and the README share it. */
import { docsUrl, type Rule } from '../engine/rule.js';
import { FORMATS } from '../model.js';

const LEVEL_NAMES = { error: 'error', warn: 'warning', info: 'info', off: 'off' } as const;

/** The description, with a note on rules that only `check --confirm` reports. */
function describe(r: Rule): string {
  return r.meta.confirmOnly ? `${r.meta.description} (fires only under --confirm)` : r.meta.description;
}

export function renderRulesTable(rules: readonly Rule[]): string {
  const rows = rules.map((r) => [r.meta.id, LEVEL_NAMES[r.meta.defaultLevel], r.meta.dialects.join(', '), describe(r)]);
  const header = ['rule', 'default', 'dialects', 'what it reports'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.slice().map((row) => row[i]!.length)));
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line), '', 'Run `migralint explain <rule>` for the problem, the safe alternative and examples.', ''].join('\n');
}

/** `migralint rules --format json`: one object per rule, stable for scripts. */
export function rulesJson(rules: readonly Rule[]): string {
  const rows = rules.map((r) => ({
    id: r.meta.id,
    level: r.meta.defaultLevel,
    dialects: [...r.meta.dialects],
    formats: [...(r.meta.formats ?? FORMATS)],
    recommended: r.meta.recommended,
    confirmOnly: r.meta.confirmOnly ?? false,
    fixable: r.meta.fixable ?? false,
    docsUrl: docsUrl(r.meta.id),
  }));
  return `${JSON.stringify(rows, null, 2)}\n`;
}

/** The Markdown table in README.md between `<!-- rules:start -->` and `<!-- rules:end -->`. */
export function renderRulesMarkdown(rules: readonly Rule[]): string {
  const rows = rules.map((r) => `| [\`${r.meta.id}\`](rules/${r.meta.id}.md) | ${LEVEL_NAMES[r.meta.defaultLevel]} | ${r.meta.dialects.join(', ')} | ${describe(r)} |`);
  return ['| rule | default | dialects | what it reports |', '| --- | --- | --- | --- |', ...rows].join('\n');
}
