/**
 * Parsing is most of a large run's time, and libpg-query is synchronous: on a big chain, a worker
 * thread parses half of the Postgres sections (by size) while the main thread parses the rest.
 * Small runs (a pre-commit hook's) never pay for the worker.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { MigrationSet, Operation, RawFinding, Section, SourceFile, Span, Statement } from '../model.js';
import type { ParseOutcome, SectionParser } from './parser.js';

/** Below this much SQL the worker's start-up costs more than it saves. */
const MIN_PARALLEL_CHARS = 256 * 1024;

type Flat<T> = Omit<T, 'span'> & { span: [number, number] };
interface FlatStatement {
  readonly span: [number, number];
  readonly type: string;
  readonly ops: Flat<Operation>[];
}
export interface FlatOutcome {
  readonly statements: FlatStatement[];
  readonly errors: Flat<RawFinding>[];
}

const flatSpan = (s: Span): [number, number] => [s.start, s.end];

/** Spans become plain offsets so the outcome can cross a thread (the AST is left behind). */
export function flattenOutcome(o: ParseOutcome): FlatOutcome {
  return {
    statements: o.statements.map((s) => ({ span: flatSpan(s.span), type: s.type, ops: s.ops.map((op) => ({ ...op, span: flatSpan(op.span) }) as Flat<Operation>) })),
    errors: o.errors.map((e) => ({ ...e, span: flatSpan(e.span) })),
  };
}

function restore(flat: FlatOutcome, section: Section): ParseOutcome {
  const file: SourceFile = section.file;
  const at = ([start, end]: [number, number]): Span => ({ file, start: section.start + start, end: section.start + end });
  return {
    statements: flat.statements.map((s): Statement => ({ span: at(s.span), type: s.type, ops: s.ops.map((op) => ({ ...op, span: at(op.span) }) as Operation) })),
    errors: flat.errors.map((e) => ({ ...e, span: at(e.span) })),
  };
}

/** Postgres sections the engine will parse itself (sources like Knex hand over statements). */
function postgresSections(sets: readonly MigrationSet[]): Section[] {
  const sections: Section[] = [];
  for (const set of sets) {
    if (set.dialect !== 'postgres') continue;
    for (const m of set.migrations) {
      if (m.up && !m.upStatements) sections.push(m.up);
      if (m.down && m.downState === 'present' && !m.downStatements) sections.push(m.down);
    }
  }
  return sections;
}

/**
 * Parse the run's Postgres sections, half in a worker thread, when there is enough SQL for that
 * to pay off; otherwise return an empty map and let the engine parse as it goes.
 * `MIGRALINT_WORKERS=0` turns the worker off.
 */
export async function preparsePostgres(sets: readonly MigrationSet[], parser: () => Promise<SectionParser>): Promise<Map<Section, ParseOutcome>> {
  const done = new Map<Section, ParseOutcome>();
  const sections = postgresSections(sets);
  const size = (s: Section): number => s.end - s.start;
  const total = sections.reduce((n, s) => n + size(s), 0);
  if (total < MIN_PARALLEL_CHARS || availableParallelism() < 2 || process.env.MIGRALINT_WORKERS === '0') return done;

  // The main thread keeps the first half (by size); the worker takes the rest.
  let acc = 0;
  const split = sections.findIndex((s) => (acc += size(s)) >= total / 2) + 1;
  const mine = sections.slice(0, split);
  const theirs = sections.slice(split);
  let worker: Worker | undefined;
  let answer: Promise<FlatOutcome[]> | undefined;
  try {
    worker = new Worker(new URL('./parse-worker.js', import.meta.url));
    const w = worker;
    answer = new Promise<FlatOutcome[]>((resolve, reject) => {
      w.once('message', resolve);
      w.once('error', reject);
      w.once('exit', (code) => reject(new Error(`parse worker exited with code ${code}`)));
    });
    // Unhandled until awaited below; keep a failure from surfacing as an unhandled rejection.
    answer.catch(() => undefined);
    worker.postMessage(theirs.map((s) => s.file.text.slice(s.start, s.end)));
  } catch {
    worker = undefined;
  }
  const parse = await parser();
  for (const s of mine) done.set(s, parse(s));
  if (worker && answer) {
    try {
      const flat = await answer;
      theirs.forEach((s, i) => done.set(s, restore(flat[i]!, s)));
    } catch {
      // The worker failed (e.g. no worker support): the engine parses the rest itself.
    } finally {
      await worker.terminate();
    }
  }
  return done;
}
