/**
 * GitHub Actions workflow commands: each finding becomes an `::error`, `::warning` or `::notice`
 * annotation on its file and lines; files that could not be read become `::error` annotations.
 * A plain summary line closes the output (it shows in the job log).
 */
import type { Severity } from '../model.js';
import type { LintResult } from '../engine/result.js';
import { docsUrl } from '../engine/rule.js';
import { escapeKeepingLineBreaks } from './escape.js';
import { displayPath, spanToRegion } from './location.js';
import { formatSummary } from './text.js';

/**
 * Escapes the message part of a workflow command (as `@actions/core` does: `%`, CR, LF), after
 * showing every other control character visibly: the runner decodes only those three, and the
 * log would otherwise pass ESC sequences to whoever reads it.
 */
export function escapeData(value: string): string {
  return escapeKeepingLineBreaks(value).replaceAll('%', '%25').replaceAll('\r', '%0D').replaceAll('\n', '%0A');
}

/** Escapes a property value of a workflow command: also `:` and `,`, which delimit properties. */
export function escapeProperty(value: string): string {
  return escapeData(value).replaceAll(':', '%3A').replaceAll(',', '%2C');
}

function commandFor(severity: Severity): 'error' | 'warning' | 'notice' {
  return severity === 'error' ? 'error' : severity === 'warn' ? 'warning' : 'notice';
}

function command(name: string, properties: [string, string | number][], message: string): string {
  const props = properties.map(([k, v]) => `${k}=${escapeProperty(String(v))}`).join(',');
  return `::${name}${props ? ` ${props}` : ''}::${escapeData(message)}`;
}

export function formatGithub(result: LintResult): string {
  const rules = new Map(result.rules.map((r) => [r.meta.id, r] as const));
  const lines: string[] = [];

  for (const f of result.findings) {
    const r = spanToRegion(f.span);
    const rule = rules.get(f.ruleId);
    const parts = [f.message];
    const help = f.help ?? rule?.meta.help;
    if (help) parts.push(`Help: ${help}`);
    if (rule) parts.push(`Docs: ${docsUrl(rule.meta.id)}`);
    if (f.confirmation) parts.push(`Confirmation (${f.confirmation.status}): ${f.confirmation.evidence}`);
    lines.push(
      command(
        commandFor(f.severity),
        [
          ['file', displayPath(result.cwd, f.span.file.relPath)],
          ['line', r.line],
          ['col', r.column],
          ['endLine', r.endLine],
          ['endColumn', r.endColumn],
          ['title', f.ruleId],
        ],
        parts.join('\n'),
      ),
    );
  }

  for (const p of result.fileProblems) {
    lines.push(command('error', [['file', displayPath(result.cwd, p.path)], ['title', 'migralint']], p.reason));
  }

  lines.push(...formatSummary(result, { color: false }));
  return `${lines.join('\n')}\n`;
}
