/**
 * The default Postgres driver: PGlite (Postgres 18 compiled to WASM, no server), run in a
 * worker thread.
 *
 * Why a worker: PGlite executes a statement synchronously on the thread that calls it, so
 * Postgres's own `statement_timeout` (a timer on that thread) can never fire while a statement
 * runs: `SELECT pg_sleep(3)` under a 1 s timeout simply takes 3 s. In a worker, this thread keeps
 * the clock: a call that outlives the timeout gets SQLSTATE 57014, the worker is terminated, and
 * a new one is booted and given every statement that succeeded before (the journal), so the
 * chain goes on from the same state. The worker also boots on another core while the CLI lints
 * (`prewarmPglite`). `lock_timeout` needs no watchdog: PGlite has one backend, so no lock is
 * ever waited for.
 *
 * One instance is booted per process and reused by every set: booting costs seconds, while
 * emptying it costs milliseconds (`DROP SCHEMA ... CASCADE` + `CREATE SCHEMA public` 27-37 ms,
 * against 3.9 s for a saved data dir reopened, 8.2 s for `clone()`). `reset()` therefore drops
 * every user schema and extension instead of booting again.
 *
 * PGlite's contrib extensions (pgcrypto, uuid-ossp, citext, hstore, pg_trgm, ...) exist only in
 * an instance booted with them: all of them add up to a second of boot. A chain that creates
 * some (`provideExtensions`) gets an instance rebuilt with those, once; the others never pay.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { Driver, QueryResult } from '../driver.js';
import { RESET_SQL } from '../reset.js';

/** The worker: boots PGlite, answers { id, op, sql, params } with { id, ok, rows, n } or the error. */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
let db;
const ready = (async () => {
  const { PGlite } = require(workerData.pglite);
  const extensions = {};
  for (const [name, file] of workerData.extensions) extensions[name] = require(file)[name];
  db = await PGlite.create({ extensions });
})();
ready.then(() => parentPort.postMessage({ id: 0, ok: true }), (e) => parentPort.postMessage({ id: 0, ok: false, message: String((e && e.message) || e) }));
parentPort.on('message', async (msg) => {
  try {
    await ready;
    if (msg.op === 'exec') {
      await db.exec(msg.sql);
      parentPort.postMessage({ id: msg.id, ok: true });
    } else {
      const r = await db.query(msg.sql, msg.params);
      parentPort.postMessage({ id: msg.id, ok: true, rows: r.rows, n: r.affectedRows });
    }
  } catch (e) {
    parentPort.postMessage({ id: msg.id, ok: false, code: e && typeof e.code === 'string' ? e.code : undefined, message: String((e && e.message) || e) });
  }
});
`;

interface Reply {
  readonly id: number;
  readonly ok: boolean;
  readonly rows?: Record<string, unknown>[];
  readonly n?: number;
  readonly code?: string;
  readonly message?: string;
}

interface Call {
  readonly op: 'exec' | 'query';
  readonly sql: string;
  readonly params?: readonly unknown[];
}

/** A database error as PGlite would throw it (code = SQLSTATE). */
class PgliteError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
  }
}

/** One worker with its PGlite instance. The worker keeps the process alive only while a call waits. */
class Instance {
  private readonly worker: Worker;
  private readonly waiting = new Map<number, { resolve: (r: Reply) => void; reject: (e: Error) => void }>();
  private next = 1;
  private dead: Error | undefined;
  /** The worker is gone (its exit came): terminate() has nothing to wait for. */
  private exited = false;
  /** Callers waiting for the boot (a boot nobody waits for does not keep the process alive). */
  private readyWaiters = 0;
  readonly ready: Promise<void>;

  constructor(extensions: readonly (readonly [string, string])[]) {
    const pglite = createRequire(import.meta.url).resolve('@electric-sql/pglite');
    this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { pglite, extensions } });
    this.worker.unref();
    this.worker.on('message', (r: Reply) => {
      const w = this.waiting.get(r.id);
      if (!w) return;
      this.waiting.delete(r.id);
      this.refCount();
      w.resolve(r);
    });
    const fail = (e: Error): void => {
      this.dead ??= e;
      for (const w of this.waiting.values()) w.reject(e);
      this.waiting.clear();
    };
    this.worker.on('error', fail);
    this.worker.on('exit', (code) => {
      this.exited = true;
      fail(new Error(`the PGlite worker exited (code ${code})`));
    });
    this.ready = this.send(0).then((r) => {
      if (!r.ok) throw new Error(r.message ?? 'PGlite did not start');
    });
  }

  private refCount(): void {
    const busy = this.waiting.size - (this.waiting.has(0) ? 1 : 0) + this.readyWaiters;
    if (busy > 0) this.worker.ref();
    else this.worker.unref();
  }

  /** The boot, awaited by someone: the process stays alive for it. */
  async whenReady(): Promise<void> {
    this.readyWaiters++;
    this.refCount();
    try {
      await this.ready;
    } finally {
      this.readyWaiters--;
      this.refCount();
    }
  }

  private send(id: number, call?: Call): Promise<Reply> {
    if (this.dead) return Promise.reject(this.dead);
    return new Promise<Reply>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.refCount();
      if (call) this.worker.postMessage({ id, ...call, params: call.params ? [...call.params] : undefined });
    });
  }

  /** Run a call; rejects with the database's error, or with `timedOut` after `timeoutMs`. */
  async run(call: Call, timeoutMs: number, timedOut: () => Error): Promise<Reply> {
    await this.whenReady();
    const id = this.next++;
    let timer: NodeJS.Timeout | undefined;
    const reply = this.send(id, call);
    const expired = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const w = this.waiting.get(id);
        this.waiting.delete(id);
        this.refCount();
        w?.reject(timedOut());
        reject(timedOut());
      }, timeoutMs);
    });
    try {
      const r = await Promise.race([reply, expired]);
      if (!r.ok) throw new PgliteError(r.message ?? 'unknown PGlite error', r.code);
      return r;
    } finally {
      clearTimeout(timer);
    }
  }

  async terminate(): Promise<void> {
    this.dead ??= new Error('PGlite was shut down');
    if (this.exited) return;
    // A worker still booting (deep in PGlite's WebAssembly) holds nothing of the event loop while
    // it is terminated, and its exit comes only once the boot returns to JavaScript: awaited
    // alone, the run's end had nothing left in the loop and the process ended with code 13
    // ("unsettled top-level await") before printing its report. The timer keeps the loop alive
    // for the exit, a while at most; the thread ends with the process anyway.
    let timer: NodeJS.Timeout | undefined;
    const patience = new Promise<void>((resolve) => (timer = setTimeout(resolve, TERMINATE_WAIT_MS)));
    await Promise.race([this.worker.terminate().catch(() => undefined), patience]);
    clearTimeout(timer);
  }
}

/** How long shutting the worker down waits for it to exit. */
const TERMINATE_WAIT_MS = 2000;

let current: Instance | undefined;
/** The contrib extensions (module name, file) a new instance is booted with. */
let extensions: (readonly [string, string])[] = [];
/** Every state-changing call since the instance was emptied: what a rebuilt instance is given. */
let journal: Call[] = [];
/** A rebuild after a timeout, which later calls wait for. */
let rebuilding: Promise<void> | undefined;

function instance(): Instance {
  if (!current) {
    const inst = new Instance(extensions);
    current = inst;
    // A failed boot is not kept: the next open tries again.
    inst.ready.catch(() => {
      if (current === inst) current = undefined;
    });
  }
  return current;
}

/** Start booting now (the CLI calls this before linting, so the boot overlaps it). */
export function prewarmPglite(): void {
  instance().ready.catch(() => undefined);
}

/** A query that only reads (catalog probes, counts): replaying it would change nothing. */
const READ_ONLY = /^\s*(SELECT|SHOW)\b/i;

/** The default bound of a call when the driver is opened without one. */
const DEFAULT_TIMEOUT_MS = 60_000;

async function rebuild(ms: number): Promise<void> {
  const old = current;
  current = undefined;
  await old?.terminate();
  const fresh = instance();
  await fresh.whenReady();
  for (const call of journal) {
    // Each of these succeeded before on the same state; one that fails now changes nothing.
    await fresh.run(call, Math.max(ms, DEFAULT_TIMEOUT_MS), () => new Error('timeout while rebuilding')).catch(() => undefined);
  }
}

async function call(c: Call, timeoutMs: number): Promise<Reply> {
  if (rebuilding) await rebuilding;
  const inst = instance();
  const timedOut = () =>
    new PgliteError(`canceling statement due to statement timeout (after ${formatSeconds(timeoutMs)}; PGlite cannot interrupt a running statement, so migralint stopped it and rebuilt the database from the statements before it)`, '57014');
  try {
    const r = await inst.run(c, timeoutMs, timedOut);
    if (c.op === 'exec' || !READ_ONLY.test(c.sql)) journal.push(c);
    return r;
  } catch (e) {
    if ((e as PgliteError).code === '57014' && current === inst && !rebuilding) {
      rebuilding = rebuild(timeoutMs).finally(() => {
        rebuilding = undefined;
      });
      await rebuilding.catch(() => undefined);
    }
    throw e;
  }
}

const contribFiles = new Map<string, string | undefined>();

/** PGlite's contrib module for extension `name` (`uuid-ossp`: `contrib/uuid_ossp`) and its file, if it ships one. */
function contribModule(name: string): readonly [string, string] | undefined {
  const module = name.toLowerCase().replace(/-/g, '_');
  if (!/^[a-z0-9_]+$/.test(module)) return undefined;
  if (!contribFiles.has(module)) {
    let file: string | undefined;
    try {
      file = createRequire(import.meta.url).resolve(`@electric-sql/pglite/contrib/${module}`);
    } catch {
      file = undefined; // not one PGlite ships: CREATE EXTENSION says it is not available
    }
    contribFiles.set(module, file);
  }
  const file = contribFiles.get(module);
  return file === undefined ? undefined : [module, file];
}

/** Boot the instance again with the contrib extensions among `names` it lacks (the journal brings the state back). */
async function provideExtensions(names: readonly string[], timeoutMs: number): Promise<void> {
  const missing: (readonly [string, string])[] = [];
  for (const name of names) {
    const contrib = contribModule(name);
    if (contrib && ![...extensions, ...missing].some(([m]) => m === contrib[0])) missing.push(contrib);
  }
  if (missing.length === 0) return;
  if (rebuilding) await rebuilding.catch(() => undefined);
  const before = extensions;
  const boot = async (): Promise<void> => {
    rebuilding = rebuild(timeoutMs).finally(() => {
      rebuilding = undefined;
    });
    await rebuilding;
  };
  extensions = [...extensions, ...missing];
  try {
    await boot();
  } catch {
    // An instance that cannot boot with them: without them, CREATE EXTENSION says what is missing.
    extensions = before;
    await boot().catch(() => undefined);
  }
}

function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}

export interface PgliteOptions {
  /** Bound of every call (the run's --statement-timeout); default 60 s. */
  readonly statementTimeoutMs?: number;
}

async function emptyDatabase(timeoutMs: number): Promise<void> {
  // Leftovers of an earlier use in this process (an aborted transaction, objects of another set).
  await call({ op: 'exec', sql: 'ROLLBACK' }, timeoutMs).catch(() => undefined);
  journal = [];
  await call({ op: 'exec', sql: RESET_SQL }, Math.max(timeoutMs, DEFAULT_TIMEOUT_MS));
}

export async function openPglite(opts: PgliteOptions = {}): Promise<Driver> {
  const timeoutMs = opts.statementTimeoutMs ?? DEFAULT_TIMEOUT_MS;
  await instance().whenReady();
  await emptyDatabase(timeoutMs);
  const version = String((await call({ op: 'query', sql: 'SHOW server_version' }, timeoutMs)).rows?.[0]?.server_version ?? '?');
  const driver: Driver = {
    kind: 'pglite',
    label: `PGlite ${version.split(' ')[0]}`,
    dialect: 'postgres',
    async exec(sql: string): Promise<void> {
      await call({ op: 'exec', sql }, timeoutMs);
    },
    async query(sql: string, params?: readonly unknown[]): Promise<QueryResult> {
      const r = await call(params ? { op: 'query', sql, params } : { op: 'query', sql }, timeoutMs);
      return { rows: r.rows ?? [], rowCount: r.n };
    },
    provideExtensions(names: readonly string[]): Promise<void> {
      return provideExtensions(names, timeoutMs);
    },
    async reset(): Promise<void> {
      await emptyDatabase(timeoutMs);
    },
    async close(): Promise<void> {
      // The instance stays booted for the next set or run in this process; it holds no files.
      await call({ op: 'exec', sql: 'ROLLBACK' }, timeoutMs).catch(() => undefined);
    },
  };
  return driver;
}

/** Shut the shared instance down (tests, and the CLI at the end of a run). */
export async function shutdownPglite(): Promise<void> {
  if (rebuilding) await rebuilding.catch(() => undefined);
  const inst = current;
  current = undefined;
  journal = [];
  await inst?.terminate();
}
