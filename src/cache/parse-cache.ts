/**
 * `check --cache`: the Postgres parser's outcome of each section (lowered statements and syntax
 * errors: ./outcome-json.ts) kept in a file between runs, keyed by the file's path, a hash of its
 * text and the section's place in it. A pre-commit run over one migration of a long chain parses
 * every earlier up for the schema they build; with the cache, only what changed since the last
 * run is parsed again. And that schema itself (the walk's SchemaState after the migrations before
 * the first one reported on, any dialect) is kept too, keyed by a hash of those migrations' ids,
 * files and texts in order: a later run over the same migration, or one after it, resumes the
 * walk there (src/engine/lint.ts).
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
import type { Migration, MigrationSet, Section, SourceFile } from '../model.js';
import { describeFsError, readTextFile } from '../discover/read-file.js';
import { SchemaState } from '../engine/schema-state.js';
import { VERSION } from '../package-info.js';
import type { ParseOutcome } from '../sql/parser.js';
import { decodeOutcome, encodeOutcome, type EncodedOutcome } from './outcome-json.js';
import { decodeValue, encodeValue } from './value-json.js';

const CACHE_FILE = 'parse.json';
/** A cache file larger than this is not read (a whole-folder run of lemmy's 342 migrations writes 7 MB). */
const MAX_CACHE_BYTES = 1024 * 1024 * 1024;
/** Bumped when what is cached changes shape. */
const CACHE_FORMAT = 4;
/** Chain states kept (the newest first): a few sets, or a few places in one. */
const MAX_CHAINS = 8;

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

/**
 * The schema state after a set's first `length` migrations, each read for the chain's context
 * only (a commit hook's run on the migrations after them).
 */
interface CachedChain {
  /** `chainHashes` of those migrations. */
  readonly hash: string;
  readonly length: number;
  /** The state (SchemaState.snapshot), written with ./value-json.ts, those migrations' files by their place in `chainFiles`. */
  readonly state: string;
  /** sha1 of `state`, as written. */
  readonly sum: string;
}

interface CacheText {
  readonly key: string;
  readonly files: Record<string, CachedFile>;
  readonly chains: CachedChain[];
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
  /**
   * The schema state kept after the longest run of `prefix` (a set's first migrations, all read
   * only for the chain's context) that was stored, and how many of them it covers: the walk
   * applies only those after it (on the state given, which is its own).
   */
  chainState(set: MigrationSet, prefix: readonly Migration[]): { readonly state: SchemaState; readonly length: number } | undefined;
  /** Keep the state after all of `prefix`: written out now, while it is what the walk holds. */
  storeChainState(set: MigrationSet, prefix: readonly Migration[], state: SchemaState): void;
  /** Sections looked up, and found; chain states looked up, and found (with how many migrations they saved). */
  readonly stats: { lookups: number; hits: number; chainLookups: number; chainHits: number; chainSkipped: number };
  /**
   * Forget everything it held (a run that could not use it: what it held was well-formed and
   * matched its checksums, yet not what migralint writes). `save` then writes it empty.
   */
  reset(): void;
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
  const { files, chains } = readCache(file, key);
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
    const e = cached && cached.hash === hashOf(section.file) ? cached.sections[sectionKey(section)] : undefined;
    if (!e || (withAsts && e.asts === null)) return undefined;
    let ok = intact.get(e);
    if (ok === undefined) intact.set(e, (ok = checksum(e) === e.sum));
    return ok ? e : undefined;
  };
  let changed = false;
  const stats = { lookups: 0, hits: 0, chainLookups: 0, chainHits: 0, chainSkipped: 0 };
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
      cached.sections[sectionKey(section)] = { ...encoded, sum: checksum(encoded) };
      changed = true;
    },
    chainState(set, prefix) {
      stats.chainLookups++;
      const mine = chains.filter((c) => c.length <= prefix.length).sort((a, b) => b.length - a.length);
      if (mine.length === 0) return undefined;
      const hashes = chainHashes(set, prefix, new Set(mine.map((c) => c.length)));
      for (const c of mine) {
        if (hashes.get(c.length) !== c.hash || sha1(c.state) !== c.sum) continue;
        let state;
        try {
          state = SchemaState.restore(decodeValue(c.state, chainFiles(prefix.slice(0, c.length))));
        } catch {
          // damaged: the next one, or the walk from the start
        }
        if (state === undefined) continue;
        stats.chainHits++;
        stats.chainSkipped += c.length;
        return { state, length: c.length };
      }
      return undefined;
    },
    storeChainState(set, prefix, state) {
      const text = encodeValue(state.snapshot(), chainFiles(prefix));
      if (text === undefined) return;
      const hash = chainHashes(set, prefix, new Set([prefix.length])).get(prefix.length)!;
      const kept = chains.filter((c) => c.hash !== hash);
      chains.length = 0;
      chains.push({ hash, length: prefix.length, state: text, sum: sha1(text) }, ...kept.slice(0, MAX_CHAINS - 1));
      // What these ups were kept for without their ASTs (the chain's context) is what the state
      // now stands for: every later run would read it for nothing (5 of the corpus' 7 MB).
      for (const m of prefix) {
        if (!m.up) continue;
        const cached = files[m.up.file.path];
        const k = sectionKey(m.up);
        if (cached?.sections[k]?.asts !== null) continue;
        delete cached.sections[k];
        if (Object.keys(cached.sections).length === 0) delete files[m.up.file.path];
      }
      changed = true;
    },
    reset() {
      for (const p of Object.keys(files)) delete files[p];
      chains.length = 0;
      changed = true;
      // Nothing it gave was used.
      stats.hits = 0;
      stats.chainHits = 0;
      stats.chainSkipped = 0;
    },
    save() {
      if (!changed) return undefined;
      try {
        mkdirSync(dir, { recursive: true });
        if (!isRealDirectory(dir)) return 'it is a symbolic link or not a directory: not written';
        const ignore = path.join(dir, '.gitignore');
        if (!isRegularFile(ignore)) replaceFile(ignore, '# written by migralint check --cache: nothing here belongs in git\n*\n');
        const text: CacheText = { key, files, chains };
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

/** Where a section lies in its file: its entry's key among the file's cached sections. */
function sectionKey(section: Section): string {
  return `${section.start}:${section.end}`;
}

function sha1(text: string): string {
  return createHash('sha1').update(text).digest('hex');
}

/**
 * The distinct files of these migrations, in order: a chain state names them by their place in
 * this list (the same migrations give the same list).
 */
function chainFiles(migrations: readonly Migration[]): SourceFile[] {
  // Ups only: the chain's context is walked without its downs, and `chainHashes` covers these files.
  const out = new Set<SourceFile>();
  for (const m of migrations) {
    out.add(m.file);
    if (m.up) out.add(m.up.file);
  }
  return [...out];
}

/**
 * For each length in `lengths`, a hash of the set's first that many migrations of `prefix`:
 * everything their ups apply to the schema comes from what it covers (the set's place, layout and
 * dialect; each migration's id, files, texts and where its up lies in them).
 */
function chainHashes(set: MigrationSet, prefix: readonly Migration[], lengths: ReadonlySet<number>): Map<number, string> {
  const out = new Map<number, string>();
  const h = createHash('sha1').update(`chain\0${set.root}\0${set.format}\0${set.dialect}\0`);
  const field = (s: string): void => {
    h.update(`${s.length}\0`);
    h.update(s);
  };
  for (let i = 0; i < prefix.length; i++) {
    const m = prefix[i]!;
    field(m.id);
    field(m.file.path);
    field(m.file.text);
    if (m.up) {
      field(sectionKey(m.up));
      field(m.up.file.path);
      if (m.up.file !== m.file) field(m.up.file.text);
    } else field('-');
    if (lengths.has(i + 1)) out.set(i + 1, h.copy().digest('hex'));
  }
  return out;
}

/** The cached files and chain states, or none when the cache is missing, damaged or of another build. */
function readCache(file: string, key: string): { files: Record<string, CachedFile>; chains: CachedChain[] } {
  const files = Object.create(null) as Record<string, CachedFile>;
  const chains: CachedChain[] = [];
  const none = { files, chains };
  // Read as migrations are: a regular file only (no FIFO waits), not through a link that leads
  // out of the cache's directory; the directory itself not through a link.
  if (!isRealDirectory(path.dirname(file))) return none;
  const read = readTextFile(file, { allowedRoots: [path.dirname(file)], maxBytes: MAX_CACHE_BYTES });
  if (!read.ok) return none;
  let parsed: unknown;
  try {
    parsed = JSON.parse(read.text);
  } catch {
    return none;
  }
  const c = parsed as Partial<CacheText> | null;
  if (!c || typeof c !== 'object' || c.key !== key || typeof c.files !== 'object' || c.files === null) return none;
  if (Array.isArray(c.chains)) {
    for (const ch of c.chains as Partial<CachedChain>[]) {
      if (ch && typeof ch === 'object' && typeof ch.hash === 'string' && Number.isInteger(ch.length) && (ch.length as number) > 0 && typeof ch.state === 'string' && typeof ch.sum === 'string' && chains.length < MAX_CHAINS) chains.push(ch as CachedChain);
    }
  }
  for (const [p, f] of Object.entries(c.files)) {
    if (f && typeof f === 'object' && typeof f.hash === 'string' && f.sections && typeof f.sections === 'object') {
      const sections = Object.create(null) as Record<string, CachedSection>;
      for (const [k, e] of Object.entries(f.sections as Record<string, Partial<CachedSection> | null>)) {
        if (e && typeof e.json === 'string' && typeof e.sum === 'string' && (e.asts === null || (Array.isArray(e.asts) && e.asts.every((a) => a === null || typeof a === 'string')))) sections[k] = e as CachedSection;
      }
      files[p] = { hash: f.hash, sections };
    }
  }
  return none;
}
