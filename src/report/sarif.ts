/**
 * SARIF 2.1.0 for GitHub code scanning (and any other SARIF viewer): one run, every known rule in
 * `tool.driver.rules`, results with relative URIs under `%SRCROOT%`, 1-based UTF-16 regions and
 * `primaryLocationLineHash` fingerprints computed as GitHub's upload action would.
 */
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as Sarif from 'sarif';
import type { Finding, Fix, Severity } from '../model.js';
import type { LintResult } from '../engine/result.js';
import { docsUrl, type Rule } from '../engine/rule.js';
import { confirmationSentence } from './confirmation.js';
import { primaryLocationLineHash } from './fingerprint.js';
import { stringifyReport } from './json.js';
import { displayPath, spanToRegion } from './location.js';

export interface SarifReportOptions {
  readonly version: string;
}

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
export const INFORMATION_URI = 'https://github.com/migralint/migralint';
const SRCROOT = '%SRCROOT%';

type SarifLevel = 'error' | 'warning' | 'note';

export function sarifLevel(severity: Severity): SarifLevel {
  return severity === 'error' ? 'error' : severity === 'warn' ? 'warning' : 'note';
}

/** `no-drop-table` → `NoDropTable`. */
export function pascalCase(id: string): string {
  return id
    .split(/[^A-Za-z0-9]+/)
    .filter((part) => part !== '')
    .map((part) => part[0]!.toUpperCase() + part.slice(1))
    .join('');
}

const SEMVER = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;

function ruleDescriptor(rule: Rule): Sarif.ReportingDescriptor {
  const { id, description, help, defaultLevel, dialects, recommended } = rule.meta;
  const url = docsUrl(id);
  return {
    id,
    name: pascalCase(id),
    shortDescription: { text: description },
    fullDescription: { text: description },
    help: {
      text: `${help}\n\nDocumentation: ${url}`,
      markdown: `${help}\n\n[Documentation for \`${id}\`](${url})`,
    },
    helpUri: url,
    defaultConfiguration: { level: defaultLevel === 'off' ? 'none' : sarifLevel(defaultLevel), ...(defaultLevel === 'off' ? { enabled: false } : {}) },
    properties: {
      tags: ['migration', ...dialects],
      recommended,
    },
  };
}

/** A descriptor for a rule id the run does not know (a loader's own finding, for instance). */
function unknownRuleDescriptor(id: string, severity: Severity): Sarif.ReportingDescriptor {
  return {
    id,
    name: pascalCase(id),
    shortDescription: { text: id },
    fullDescription: { text: id },
    defaultConfiguration: { level: sarifLevel(severity) },
    properties: { tags: ['migration'] },
  };
}

/**
 * `artifactLocation` for a path: relative paths are percent-encoded per segment under
 * `%SRCROOT%`; a path outside the working directory becomes an absolute file URL.
 */
export function artifactLocation(cwd: string, path: string): Sarif.ArtifactLocation {
  const shown = displayPath(cwd, path);
  // Paths arrive relative to cwd; `../` ones (`check ../shared/db`) lie outside %SRCROOT%.
  if (isAbsolute(shown) || shown === '..' || shown.startsWith('../')) return { uri: pathToFileURL(resolve(cwd, shown)).href };
  return { uri: shown.split('/').map(encodeURIComponent).join('/'), uriBaseId: SRCROOT };
}

/** The file URL of a directory, ending with `/` as SARIF requires of a base URI. */
export function directoryUri(dir: string): string {
  const href = pathToFileURL(dir).href;
  return href.endsWith('/') ? href : `${href}/`;
}

function messageText(finding: Finding, rule: Rule | undefined): string {
  let text = finding.message;
  // The rule's own help is in the rules table; repeat only help specific to this finding.
  if (finding.help && finding.help !== rule?.meta.help) text += `\n\nHelp: ${finding.help}`;
  if (finding.confirmation) {
    text += `\n\n${confirmationSentence(finding.confirmation, true)}`;
  }
  return text;
}

/**
 * A SARIF fix: one artifact change (the finding's file) with its replacements. Whether
 * `migralint check --fix` applies it is `properties.safe`; a suggestion says in its description
 * what else it changes.
 */
function sarifFix(fix: Fix, finding: Finding, cwd: string): Sarif.Fix {
  const file = finding.span.file;
  return {
    description: { text: fix.safe ? fix.description : `Suggestion (not applied by --fix): ${fix.description}` },
    artifactChanges: [
      {
        artifactLocation: artifactLocation(cwd, file.relPath),
        replacements: fix.edits.map((e) => {
          const r = spanToRegion({ file, start: e.start, end: e.end });
          return {
            deletedRegion: { startLine: r.line, startColumn: r.column, endLine: r.endLine, endColumn: r.endColumn },
            ...(e.text !== '' ? { insertedContent: { text: e.text } } : {}),
          };
        }),
      },
    ],
    properties: { safe: fix.safe },
  };
}

export function buildSarif(result: LintResult, options: SarifReportOptions): Sarif.Log {
  const rulesById = new Map<string, Rule>();
  const indexById = new Map<string, number>();
  const descriptors: Sarif.ReportingDescriptor[] = [];
  for (const rule of result.rules) {
    if (indexById.has(rule.meta.id)) continue;
    rulesById.set(rule.meta.id, rule);
    indexById.set(rule.meta.id, descriptors.length);
    descriptors.push(ruleDescriptor(rule));
  }
  for (const f of result.findings) {
    if (indexById.has(f.ruleId)) continue;
    indexById.set(f.ruleId, descriptors.length);
    descriptors.push(unknownRuleDescriptor(f.ruleId, f.severity));
  }

  const results = result.findings.map((f): Sarif.Result => {
    const region = spanToRegion(f.span);
    const rule = rulesById.get(f.ruleId);
    const out: Sarif.Result = {
      ruleId: f.ruleId,
      ruleIndex: indexById.get(f.ruleId)!,
      level: sarifLevel(f.severity),
      message: { text: messageText(f, rule) },
      locations: [
        {
          physicalLocation: {
            artifactLocation: artifactLocation(result.cwd, f.span.file.relPath),
            region: {
              startLine: region.line,
              startColumn: region.column,
              endLine: region.endLine,
              endColumn: region.endColumn,
            },
          },
        },
      ],
      partialFingerprints: {
        primaryLocationLineHash: primaryLocationLineHash(f.span.file, region.line),
      },
    };
    if (f.fixes && f.fixes.length > 0) out.fixes = f.fixes.map((fix) => sarifFix(fix, f, result.cwd));
    const properties: Record<string, unknown> = {};
    if (f.migration !== undefined) properties['migration'] = f.migration;
    if (f.confirmation) properties['confirmation'] = { ...f.confirmation };
    if (Object.keys(properties).length > 0) out.properties = properties;
    return out;
  });

  const notifications = result.fileProblems.map(
    (p): Sarif.Notification => ({
      level: 'error',
      message: { text: p.reason },
      locations: [{ physicalLocation: { artifactLocation: artifactLocation(result.cwd, p.path) } }],
    }),
  );

  const driver: Sarif.ToolComponent = {
    name: 'migralint',
    informationUri: INFORMATION_URI,
    version: options.version,
    ...(SEMVER.test(options.version) ? { semanticVersion: options.version } : {}),
    rules: descriptors,
  };

  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: { driver },
        originalUriBaseIds: { [SRCROOT]: { uri: directoryUri(result.cwd) } },
        columnKind: 'utf16CodeUnits',
        invocations: [
          {
            executionSuccessful: result.fileProblems.length === 0,
            toolExecutionNotifications: notifications,
          },
        ],
        results,
        ...(result.summary.dialectAssumed ? { properties: { dialectAssumed: { ...result.summary.dialectAssumed } } } : {}),
      },
    ],
  };
}

export function formatSarif(result: LintResult, options: SarifReportOptions): string {
  return stringifyReport(buildSarif(result, options));
}
