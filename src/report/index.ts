/** The reporters: a LintResult in, the text to print or write out. */
import type { LintResult } from '../engine/result.js';
import { formatGithub } from './github.js';
import { formatJson } from './json.js';
import { formatSarif } from './sarif.js';
import { formatText } from './text.js';

export type ReportFormat = 'text' | 'json' | 'sarif' | 'github';
export const REPORT_FORMATS: readonly ReportFormat[] = ['text', 'json', 'sarif', 'github'];

export interface ReportOptions {
  /** ANSI colours (text format only). */
  readonly color: boolean;
  /** migralint's version, recorded in JSON and SARIF. */
  readonly version: string;
}

export function formatResult(result: LintResult, format: ReportFormat, options: ReportOptions): string {
  switch (format) {
    case 'text':
      return formatText(result, options);
    case 'json':
      return formatJson(result, options);
    case 'sarif':
      return formatSarif(result, options);
    case 'github':
      return formatGithub(result);
    default: {
      const unknown: never = format;
      throw new Error(`unknown report format: ${String(unknown)}`);
    }
  }
}

export { formatGithub, escapeData, escapeProperty } from './github.js';
export { formatJson, buildJsonReport, type JsonReport, type JsonFinding } from './json.js';
export { formatSarif, buildSarif } from './sarif.js';
export { formatText, formatSummary } from './text.js';
export { spanToRegion, offsetToPosition, lineIndex, LineIndex, type Region, type Position } from './location.js';
export { primaryLocationLineHash, lineHashes, computeLineHashes } from './fingerprint.js';
