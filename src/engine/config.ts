/**
 * Configuration: `migralint.config.json`, or the `migralint` key of package.json, found in the
 * working directory or its nearest ancestor that has one; `--config FILE` names one explicitly.
 * Validated against schema/config.schema.json; unknown rule ids are errors that name the id.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { ValidateFunction } from 'ajv';
import type { Dialect, FormatId, Level } from '../model.js';
import { readTextFile } from '../discover/read-file.js';
import { packagePath } from '../package-info.js';
import { findRule } from './registry.js';

export interface Config {
  readonly rules: Readonly<Record<string, Level>>;
  /** Globs relative to the working directory. */
  readonly ignore: readonly string[];
  readonly dialect?: Dialect;
  readonly format?: FormatId;
  readonly postgresVersion: number;
  /** MySQL (or MariaDB) server version, `8.0.12` style (default DEFAULT_MYSQL_VERSION). */
  readonly mysqlVersion?: string;
  readonly paths?: readonly string[];
  /** Where it came from (relative to cwd), or undefined for the defaults. */
  readonly source?: string;
  /** Absolute directory of the config file (symbolic links may lead there). */
  readonly dir?: string;
  /** Files larger than this are refused unread (default 16). */
  readonly maxFileSizeMiB?: number;
  /** check --confirm: production row counts per table, for duration estimates. */
  readonly tableRows?: Readonly<Record<string, number>>;
  /** check --confirm defaults (the command line wins). */
  readonly confirm?: ConfirmConfig;
}

export interface ConfirmConfig {
  readonly seedRows?: number;
  readonly seed?: number;
  /** Seconds. */
  readonly statementTimeout?: number;
  readonly databaseUrl?: string;
}

export const DEFAULT_POSTGRES_VERSION = 14;
/** MySQL 8.4, the current long-term-support release: instant ADD/DROP COLUMN anywhere. */
export const DEFAULT_MYSQL_VERSION = '8.4.0';
/** `8`, `8.0`, `8.0.12`, `10.11.6` (MariaDB). */
export const MYSQL_VERSION_PATTERN = /^\d{1,2}(?:\.\d{1,3}){0,2}$/;

/** What applies where no config is found. */
export const DEFAULT_CONFIG: Config = { rules: {}, ignore: [], postgresVersion: DEFAULT_POSTGRES_VERSION };

export class ConfigError extends Error {}

interface RawConfig {
  rules?: Record<string, Level>;
  ignore?: string[];
  dialect?: Dialect;
  format?: FormatId;
  postgresVersion?: number;
  mysqlVersion?: string;
  paths?: string[];
  maxFileSizeMiB?: number;
  tableRows?: Record<string, number>;
  confirm?: ConfirmConfig;
}

/** Find the config for `cwd`: the explicit file, else the nearest migralint.config.json / package.json key. */
export async function loadConfig(cwd: string, explicit?: string): Promise<Config> {
  return loadConfigSync(cwd, explicit);
}

/**
 * `loadConfig` for synchronous callers (the ESLint plugin lints a file synchronously). `from` is
 * where the search starts (default `cwd`); paths in the config are made relative to `cwd`.
 */
export function loadConfigSync(cwd: string, explicit?: string, from = cwd): Config {
  if (explicit) {
    const file = path.resolve(cwd, explicit);
    if (!existsSync(file)) throw new ConfigError(`${explicit}: config file not found`);
    return fromFile(cwd, file);
  }
  for (let dir = path.resolve(from); ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'migralint.config.json');
    if (existsSync(candidate)) return fromFile(cwd, candidate);
    const pkg = path.join(dir, 'package.json');
    if (existsSync(pkg)) {
      const parsed = readJson(cwd, pkg) as { migralint?: unknown };
      if (parsed && typeof parsed === 'object' && parsed.migralint !== undefined) return finish(cwd, pkg, parsed.migralint, 'package.json "migralint" key');
    }
    if (path.dirname(dir) === dir) break;
  }
  return DEFAULT_CONFIG;
}

function readJson(cwd: string, file: string): unknown {
  const rel = path.relative(cwd, file) || file;
  const decoded = readTextFile(file);
  if (!decoded.ok) throw new ConfigError(`${rel}: cannot read config (${decoded.reason})`);
  const text = decoded.text;
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new ConfigError(`${rel}: invalid JSON (${(err as Error).message})`);
  }
}

function fromFile(cwd: string, file: string): Config {
  const raw = readJson(cwd, file);
  if (path.basename(file) === 'package.json') {
    const key = (raw as { migralint?: unknown } | null)?.migralint;
    return finish(cwd, file, key ?? {}, 'package.json "migralint" key');
  }
  return finish(cwd, file, raw, undefined);
}

function finish(cwd: string, file: string, raw: unknown, what: string | undefined): Config {
  const rel = (path.relative(cwd, file) || path.basename(file)).split(path.sep).join('/');
  const label = what ? `${rel} (${what})` : rel;
  validate(raw, label);
  const c = raw as RawConfig;
  for (const id of Object.keys(c.rules ?? {})) {
    if (!findRule(id)) throw new ConfigError(`${label}: unknown rule "${id}" in "rules" (run \`migralint rules\` for the list)`);
  }
  const configDir = path.relative(cwd, path.dirname(file)).split(path.sep).join('/');
  // `paths` stay inside the config's directory: a config does not send migralint elsewhere.
  for (const p of c.paths ?? []) {
    const rel = path.relative(path.dirname(file), path.resolve(path.dirname(file), p));
    if (rel.startsWith('..') || path.isAbsolute(rel)) {
      throw new ConfigError(`${label}: "paths" entry ${JSON.stringify(p)} is outside the config's directory; not followed (give it on the command line to check it)`);
    }
  }
  const prefix = configDir === '' ? '' : `${configDir}/`;
  return {
    rules: { ...(c.rules ?? {}) },
    ignore: (c.ignore ?? []).map((g) => prefix + g.replace(/^\.\//, '')),
    dialect: c.dialect,
    format: c.format,
    postgresVersion: c.postgresVersion ?? DEFAULT_POSTGRES_VERSION,
    ...(c.mysqlVersion !== undefined ? { mysqlVersion: c.mysqlVersion } : {}),
    // Relative to the working directory, whether the entry was written relative or absolute.
    paths: c.paths?.map((p) => path.relative(cwd, path.resolve(path.dirname(file), p)).split(path.sep).join('/') || '.'),
    source: label,
    dir: path.dirname(file),
    ...(c.maxFileSizeMiB !== undefined ? { maxFileSizeMiB: c.maxFileSizeMiB } : {}),
    ...(c.tableRows ? { tableRows: { ...c.tableRows } } : {}),
    ...(c.confirm ? { confirm: { ...c.confirm } } : {}),
  };
}

/** The schema's validator: ajv is loaded and the schema compiled only once a config exists. */
let validator: ValidateFunction | undefined;

function configValidator(): ValidateFunction {
  if (!validator) {
    const { Ajv } = createRequire(import.meta.url)('ajv') as typeof import('ajv');
    const schema = JSON.parse(readFileSync(packagePath('schema', 'config.schema.json'), 'utf8')) as object;
    validator = new Ajv({ allErrors: false, strict: false }).compile(schema);
  }
  return validator;
}

function validate(raw: unknown, label: string): void {
  const check = configValidator();
  if (check(raw)) return;
  const e = check.errors?.[0];
  if (!e) throw new ConfigError(`${label}: invalid config`);
  const where = e.instancePath ? e.instancePath.slice(1).replace(/\//g, '.') : 'config';
  let detail = e.message ?? 'is invalid';
  if (e.keyword === 'additionalProperties') detail = `has unknown key "${(e.params as { additionalProperty: string }).additionalProperty}"`;
  if (e.keyword === 'enum') detail = `must be one of ${(e.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ')}`;
  throw new ConfigError(`${label}: "${where}" ${detail}`);
}

/** `--rule ID=level` from the command line, validated. */
export function parseRuleOverride(spec: string): [string, Level] {
  const m = /^([a-z0-9-]+)=(off|info|warn|error)$/.exec(spec.trim());
  if (!m) throw new ConfigError(`--rule ${spec}: expected RULE=off|info|warn|error`);
  if (!findRule(m[1]!)) throw new ConfigError(`--rule ${spec}: unknown rule "${m[1]}" (run \`migralint rules\` for the list)`);
  return [m[1]!, m[2] as Level];
}
