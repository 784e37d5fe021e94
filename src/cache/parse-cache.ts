/**
 * `check --cache`: the Postgres parser's outcome of each section (lowered statements and syntax
 * errors: ./outcome-json.ts) kept in a file between runs, keyed by the file's path, a hash of its
 * text and the section's place in it. A pre-commit run over one migration of a long chain parses
 * every earlier up for the schema they build; with the cache, only what changed since the last
 * run is parsed again.
 *
 * The cache is a directory (default `.migralint-cache` in the working directory) holding a
 * `.gitignore` of `*` (git never sees it) and `parse.json`. It is only ever a shortcut: an entry
 * is used only for text that hashes the same, everything is discarded on another migralint
 * version or build, and a missing, unreadable or damaged cache means parsing as without one: each
 * entry carries a checksum of what it holds, and one whose text no longer matches it (edited by
 * hand, damaged on disk) is parsed again, never decoded. The file is replaced whole by a rename,
 * so runs at once each see a complete one.
 *
 * A repository under review may plant links where the cache goes: a directory that is a symbolic
 * link is neither read nor written, the file is read only when it is a regular file (never a
 * FIFO, never through a link that leads out of the directory), and files are written by creating
 * a new file and renaming it over the old name (a link there is replaced, not followed).
 */
import { createHash } from 'node:crypto';
import { lstatSync, mkdirSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Section, SourceFile } from '../model.js';
import { describeFsError, readTextFile } from '../discover/read-file.js';
import { VERSION } from '../package-info.js';
import type { ParseOutcome } from '../sql/parser.js';
import { decodeOutcome, encodeOutcome, type EncodedOutcome } from './outcome-json.js';

const CACHE_FILE = 'parse.json';
/** A cache file larger than this is not read (a whole-folder run of lemmy's 342 migrations writes 7 MB). */
const MAX_CACHE_BYTES = 1024 * 1024 * 1024;
/** Bumped when what is cached changes shape. */
const CACHE_FORMAT = 2;

interface CachedSection extends EncodedOutcome {
  /** `checksum` of the rest, as written. */
  readonly sum: string;
}

interface CachedFile {
  /** sha1 of the file's text. */
  readonly hash: string;
  /** By `start:end` of the section. */
  readonly sections: Record<string, CachedSection>;
}

interface CacheText {
  readonly key: string;
  readonly files: Record<string, CachedFile>;
}

export interface ParseCache {
  /** Where it is kept (for messages). */
  readonly dir: string;
  /**
   * Whether a section's outcome is cached for its file's text (without decoding it), with its
   * statements' ASTs if `withAsts`.
   */
  has(section: Section, withAsts: boolean): boolean;
  /**
   * The cached outcome of a Postgres section, if its file's text is the one cached. `withAsts`:
   * only an entry that kept the statements' ASTs will do (rules read them in the migrations a run
   * reports on, not in those it reads only for the chain's schema).
   */
  lookup(section: Section, withAsts: boolean): ParseOutcome | undefined;
  /** Keep a section's outcome (written by `save`), with the ASTs if `withAsts` (the cache is then about 2.5 times larger). */
  store(section: Section, outcome: ParseOutcome, withAsts: boolean): void;
  /** Sections looked up, and found. */
  readonly stats: { lookups: number; hits: number };
  /** Writes the cache if anything was stored; the reason when it could not be written. */
  save(): string | undefined;
}

/** What invalidates everything: migralint's version and build, the parser's version, this format. */
function cacheKey(): string {
  let build = '';
  try {
    // The built module itself (a rebuilt bundle, or edited sources under a test runner).
    const st = statSync(fileURLToPath(import.meta.url));
    build = `${st.size}:${Math.round(st.mtimeMs)}`;
  } catch {
    // not a file: no build stamp
  }
  let parser = '';
  try {
    parser = (createRequire(import.meta.url)('libpg-query/package.json') as { version: string }).version;
  } catch {
    // unknown version
  }
  return `migralint ${VERSION} (${build}) libpg-query ${parser} format ${CACHE_FORMAT}`;
}

export function openParseCache(dir: string): ParseCache {
  const file = path.join(dir, CACHE_FILE);
  const key = cacheKey();
  const files = readCache(file, key);
  const hashes = new WeakMap<SourceFile, string>();
  const hashOf = (f: SourceFile): string => {
    let h = hashes.get(f);
    if (h === undefined) hashes.set(f, (h = createHash('sha1').update(f.text).digest('hex')));
    return h;
  };
  /** Whether an entry's checksum matched (each is checked once, when first wanted). */
  const intact = new WeakMap<CachedSection, boolean>();
  const entry = (section: Section, withAsts: boolean): EncodedOutcome | undefined => {
    const cached = files[section.file.path];
    const e = cached && cached.hash === hashOf(section.file) ? cached.sections[`${section.start}:${section.end}`] : undefined;
    if (!e || (withAsts && e.asts === null)) return undefined;
    let ok = intact.get(e);
    if (ok === undefined) intact.set(e, (ok = checksum(e) === e.sum));
    return ok ? e : undefined;
  };
  let changed = false;
  const stats = { lookups: 0, hits: 0 };
  return {
    dir,
    stats,
    has(section, withAsts) {
      return entry(section, withAsts) !== undefined;
    },
    lookup(section, withAsts) {
      stats.lookups++;
      const encoded = entry(section, withAsts);
      const outcome = encoded && decodeOutcome(encoded, section.file);
      if (outcome) stats.hits++;
      return outcome;
    },
    store(section, outcome, withAsts) {
      const encoded = encodeOutcome(outcome, section.file, withAsts);
      if (!encoded) return;
      const hash = hashOf(section.file);
      let cached = files[section.file.path];
      if (!cached || cached.hash !== hash) files[section.file.path] = cached = { hash, sections: {} };
      cached.sections[`${section.start}:${section.end}`] = { ...encoded, sum: checksum(encoded) };
      changed = true;
    },
    save() {
      if (!changed) return undefined;
      try {
        mkdirSync(dir, { recursive: true });
        if (!isRealDirectory(dir)) return 'it is a symbolic link or not a directory: not written';
        const ignore = path.join(dir, '.gitignore');
        if (!isRegularFile(ignore)) replaceFile(ignore, '# written by migralint check --cache: nothing here belongs in git\n*\n');
        const text: CacheText = { key, files };
        replaceFile(file, JSON.stringify(text));
        changed = false;
        return undefined;
      } catch (err) {
        return describeFsError(err);
      }
    },
  };
}

/**
 * sha1 of an entry's JSON and ASTs, NUL between the parts: JSON text never holds a NUL
 * character (it writes `\u0000`), so no two entries give the same sequence.
 */
function checksum(e: EncodedOutcome): string {
  const h = createHash('sha1').update(e.json);
  if (e.asts === null) h.update('\0-');
  else for (const a of e.asts) h.update(a === null ? '\0\x01' : `\0${a}`);
  return h.digest('hex');
}

/** `text` in `file`, through a new file renamed over it. */
function replaceFile(file: string, text: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    // wx: created here, never an existing file or a link planted under that name.
    writeFileSync(tmp, text, { flag: 'wx' });
    renameSync(tmp, file);
  } catch (err) {
    try {
      unlinkSync(tmp);
    } catch {
      // never created
    }
    throw err;
  }
}

function isRealDirectory(p: string): boolean {
  try {
    return lstatSync(p).isDirectory();
  } catch {
    return false;
  }
}

function isRegularFile(p: string): boolean {
  try {
    return lstatSync(p).isFile();
  } catch {
    return false;
  }
}

/** The cached files, or none when the cache is missing, damaged or of another build. */
function readCache(file: string, key: string): Record<string, CachedFile> {
  const files = Object.create(null) as Record<string, CachedFile>;
  // Read as migrations are: a regular file only (no FIFO waits), not through a link that leads
  // out of the cache's directory; the directory itself not through a link.
  if (!isRealDirectory(path.dirname(file))) return files;
  const read = readTextFile(file, { allowedRoots: [path.dirname(file)], maxBytes: MAX_CACHE_BYTES });
  if (!read.ok) return files;
  let parsed: unknown;
  try {
    parsed = JSON.parse(read.text);
  } catch {
    return files;
  }
  const c = parsed as Partial<CacheText> | null;
  if (!c || typeof c !== 'object' || c.key !== key || typeof c.files !== 'object' || c.files === null) return files;
  for (const [p, f] of Object.entries(c.files)) {
    if (f && typeof f === 'object' && typeof f.hash === 'string' && f.sections && typeof f.sections === 'object') {
      const sections = Object.create(null) as Record<string, CachedSection>;
      for (const [k, e] of Object.entries(f.sections as Record<string, Partial<CachedSection> | null>)) {
        if (e && typeof e.json === 'string' && typeof e.sum === 'string' && (e.asts === null || (Array.isArray(e.asts) && e.asts.every((a) => a === null || typeof a === 'string')))) sections[k] = e as CachedSection;
      }
      files[p] = { hash: f.hash, sections };
    }
  }
  return files;
}
