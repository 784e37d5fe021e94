/**
 * Synthetic Postgres migration corpus for `npm run bench` (deterministic for a given seed).
 *
 * One directory of plain ordered `.sql` files (`0001_m0001.sql`, ...). A schema state is kept
 * across the files so that DROP TABLE, DROP COLUMN, TRUNCATE, CREATE INDEX, ADD COLUMN and SET NOT
 * NULL mostly target tables created by earlier files (the interesting case for the linters), with
 * some targeting tables created in the same file. Every statement is valid Postgres.
 */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** mulberry32: small, fast, seeded. */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const MULTIBYTE = [
  'naïve café',
  'Zürich — Genève',
  '東京都渋谷区',
  'Привет, мир',
  'emoji 🚀✨ rocket',
  'ελληνικά κείμενο',
  'señor ñandú',
  'mañana; über; 😀 ; done', // semicolons inside a string literal
];

export function generateCorpus(dir, { files = 1000, seed = 42, minStatements = 10, maxStatements = 14 } = {}) {
  const rand = rng(seed);
  const int = (n) => Math.floor(rand() * n);
  const pick = (arr) => arr[int(arr.length)];
  const chance = (p) => rand() < p;
  const str = () => pick(MULTIBYTE).replace(/'/g, "''");

  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });

  /** @type {Map<string, {cols: {name: string, nullable: boolean}[], createdIn: number}>} */
  const tables = new Map();
  let tableSeq = 0;
  let colSeq = 0;
  let idxSeq = 0;
  let fnSeq = 0;
  let statements = 0;
  const counts = {};
  const count = (kind, n = 1) => {
    counts[kind] = (counts[kind] ?? 0) + n;
  };

  const width = String(files).length < 4 ? 4 : String(files).length;
  let smallFile = null;

  for (let fileNo = 1; fileNo <= files; fileNo++) {
    const out = [];
    let n = 0;
    const emit = (kind, sql) => {
      if (chance(0.25)) out.push(`-- ${kind}: ${chance(0.3) ? str() : 'step ' + (n + 1)}`);
      else if (chance(0.08)) out.push(`/* ${kind}\n * ${str()} */`);
      out.push(sql);
      n++;
      count(kind);
    };
    const existing = () => [...tables.keys()].filter((t) => tables.get(t).createdIn < fileNo);
    const anyTable = () => {
      const old = existing();
      if (old.length > 0 && chance(0.85)) return pick(old);
      const all = [...tables.keys()];
      return all.length > 0 ? pick(all) : null;
    };

    const createTable = () => {
      const name = `t_${++tableSeq}`;
      const cols = [
        { name: 'name', nullable: false },
        { name: 'note', nullable: true },
        { name: 'score', nullable: true },
      ];
      tables.set(name, { cols, createdIn: fileNo });
      emit(
        'create-table',
        `CREATE TABLE ${name} (\n  id bigserial PRIMARY KEY,\n  name text NOT NULL,\n  note varchar(200) DEFAULT '${str()}',\n  score integer,\n  created_at timestamptz NOT NULL DEFAULT now()\n);`,
      );
      return name;
    };

    const target = minStatements + int(maxStatements - minStatements + 1);
    out.push(`-- Migration ${fileNo}: ${str()}`);
    while (n < target) {
      if (tables.size < 5) {
        createTable();
        continue;
      }
      const r = rand();
      const t = anyTable();
      const info = tables.get(t);
      if (r < 0.12) {
        const name = createTable();
        if (chance(0.5)) emit('create-index', `CREATE INDEX idx_${++idxSeq} ON ${name} (name);`);
      } else if (r < 0.24) {
        const col = pick(info.cols).name;
        const unique = chance(0.2) ? 'UNIQUE ' : '';
        if (chance(0.5)) emit('create-index-concurrently', `CREATE ${unique}INDEX CONCURRENTLY IF NOT EXISTS idx_${++idxSeq} ON ${t} (${col});`);
        else emit('create-index', `CREATE ${unique}INDEX idx_${++idxSeq} ON ${t} (${col}${chance(0.3) ? ', id' : ''});`);
      } else if (r < 0.34) {
        const col = `c_${++colSeq}`;
        if (chance(0.5)) {
          emit('add-column-not-null-default', `ALTER TABLE ${t} ADD COLUMN ${col} text NOT NULL DEFAULT '${str()}';`);
          info.cols.push({ name: col, nullable: false });
        } else {
          emit('add-column-not-null', `ALTER TABLE ${t} ADD COLUMN ${col} integer NOT NULL;`);
          info.cols.push({ name: col, nullable: false });
        }
      } else if (r < 0.46) {
        // add nullable, backfill, SET NOT NULL: the safe path
        const col = `c_${++colSeq}`;
        emit('add-column', `ALTER TABLE ${t} ADD COLUMN ${col} text;`);
        emit('update-backfill', `UPDATE ${t} SET ${col} = '${str()}' WHERE ${col} IS NULL;`);
        emit('set-not-null', `ALTER TABLE ${t} ALTER COLUMN ${col} SET NOT NULL;`);
        info.cols.push({ name: col, nullable: false });
      } else if (r < 0.54) {
        // CHECK ... NOT VALID + VALIDATE, then SET NOT NULL, on an existing nullable column
        const col = info.cols.find((c) => c.nullable);
        if (!col) continue;
        const cname = `${t}_${col.name}_not_null`;
        emit('check-not-valid', `ALTER TABLE ${t} ADD CONSTRAINT ${cname} CHECK (${col.name} IS NOT NULL) NOT VALID;`);
        emit('validate-constraint', `ALTER TABLE ${t} VALIDATE CONSTRAINT ${cname};`);
        emit('set-not-null', `ALTER TABLE ${t} ALTER COLUMN ${col.name} SET NOT NULL;`);
        col.nullable = false;
      } else if (r < 0.59) {
        // SET NOT NULL with nothing proving it: a finding
        const col = info.cols.find((c) => c.nullable);
        if (!col) continue;
        emit('set-not-null', `ALTER TABLE ${t} ALTER COLUMN ${col.name} SET NOT NULL;`);
        col.nullable = false;
      } else if (r < 0.65) {
        if (info.cols.length < 3) continue;
        const i = 1 + int(info.cols.length - 1); // never `name`
        const [col] = info.cols.splice(i, 1);
        emit('drop-column', `ALTER TABLE ${t} DROP COLUMN ${col.name};`);
      } else if (r < 0.69) {
        if (tables.size < 40) continue;
        tables.delete(t);
        emit('drop-table', `DROP TABLE ${chance(0.5) ? 'IF EXISTS ' : ''}${t};`);
      } else if (r < 0.72) {
        emit('truncate', `TRUNCATE ${chance(0.5) ? 'TABLE ' : ''}${t}${chance(0.3) ? ' CASCADE' : ''};`);
      } else if (r < 0.8) {
        const fn = `fn_${++fnSeq}`;
        const tag = chance(0.5) ? '$$' : '$body$';
        emit(
          'function',
          `CREATE OR REPLACE FUNCTION ${fn}() RETURNS trigger\nLANGUAGE plpgsql AS ${tag}\nBEGIN\n  -- ${str()}; not a statement end\n  NEW.note := '${str()}';\n  IF NEW.score IS NULL THEN\n    NEW.score := 0;\n  END IF;\n  RETURN NEW;\nEND;\n${tag};`,
        );
        if (chance(0.5)) emit('do-block', `DO $$\nBEGIN\n  RAISE NOTICE '${str()}';\n  PERFORM 1;\nEND\n$$;`);
      } else if (r < 0.9) {
        const rows = 1 + int(3);
        const values = Array.from({ length: rows }, () => `('${str()}', '${str()}')`).join(',\n  ');
        emit('insert', `INSERT INTO ${t} (name, note) VALUES\n  ${values};`);
      } else if (r < 0.95) {
        emit('comment-on', `COMMENT ON TABLE ${t} IS '${str()}';`);
      } else {
        emit('update', `UPDATE ${t} SET note = '${str()}' WHERE id < ${1 + int(1000)};`);
      }
    }
    const name = `${String(fileNo).padStart(width, '0')}_m${fileNo}.sql`;
    const text = out.join('\n') + '\n';
    writeFileSync(path.join(dir, name), text);
    statements += n;
  }

  // The pre-commit case: one small file on its own, in its own directory.
  const oneDir = `${dir}-one`;
  rmSync(oneDir, { recursive: true, force: true });
  mkdirSync(oneDir, { recursive: true });
  smallFile = path.join(oneDir, '0001_add_column.sql');
  writeFileSync(
    smallFile,
    `-- ${MULTIBYTE[1]}\nALTER TABLE accounts ADD COLUMN region text NOT NULL;\nCREATE INDEX idx_accounts_region ON accounts (region);\nDROP TABLE legacy_accounts;\n`,
  );

  const written = readdirSync(dir).filter((f) => f.endsWith('.sql')).length;
  return { dir, files: written, statements, counts, smallFile, smallStatements: 3 };
}
