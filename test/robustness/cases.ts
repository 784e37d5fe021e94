/**
 * The robustness cases: each a folder of its own (under one generated tree) holding a good
 * migration `1_good.sql` (`DROP TABLE good_<case>`, so a no-drop-table finding proves it was
 * linted) beside the input that must survive. Inputs are generated here, nothing large is
 * committed; big files are sparse (truncate) where only their size matters.
 */
import { chmodSync, mkdirSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';

export interface RobustnessCase {
  readonly name: string;
  /** Why the case cannot run here (e.g. root reads mode-000 files), or null. */
  readonly skip?: () => string | null;
  /** Writes the case's files into `dir` (the case's own folder, `good` already written). */
  readonly setup: (dir: string) => void;
  /** [path relative to the case folder, reason] of every file problem expected. */
  readonly problems: readonly [string, string | RegExp][];
  /** [path relative to the case folder, line, column, rule] expected besides the good finding. */
  readonly findings?: readonly [string, number, number, string][];
}

const isRoot = (): string | null => (process.getuid?.() === 0 ? 'running as root, which reads and lists mode-000 files and folders' : null);

const OUTSIDE = "a symbolic link that leads outside the checked paths (and the config's directory): not read";
const LOOP = 'too many levels of symbolic links (a symlink loop?)';

function utf16(text: string, endian: 'le' | 'be'): Buffer {
  const le = Buffer.from(`\ufeff${text}`, 'utf16le');
  if (endian === 'le') return le;
  const be = Buffer.alloc(le.length);
  for (let i = 0; i + 1 < le.length; i += 2) {
    be[i] = le[i + 1]!;
    be[i + 1] = le[i]!;
  }
  return be;
}

export const CASES: readonly RobustnessCase[] = [
  {
    name: 'fifo',
    setup: (d) => execFileSync('mkfifo', [path.join(d, '2_pipe.sql')]),
    problems: [['2_pipe.sql', 'not a regular file (a named pipe)']],
  },
  {
    name: 'dev-zero',
    setup: (d) => symlinkSync('/dev/zero', path.join(d, '2_zero.sql')),
    problems: [['2_zero.sql', OUTSIDE]],
  },
  {
    name: 'etc-passwd',
    setup: (d) => symlinkSync('/etc/passwd', path.join(d, '2_passwd.sql')),
    problems: [['2_passwd.sql', OUTSIDE]],
  },
  {
    name: 'dir-named-sql',
    setup: (d) => mkdirSync(path.join(d, '2_folder.sql')),
    problems: [['2_folder.sql', 'is a directory, not a file']],
  },
  {
    name: 'symlink-loop',
    setup: (d) => symlinkSync('2_loop.sql', path.join(d, '2_loop.sql')),
    problems: [['2_loop.sql', LOOP]],
  },
  {
    name: 'directory-link-loop',
    setup: (d) => {
      symlinkSync('b', path.join(d, 'a'));
      symlinkSync('a', path.join(d, 'b'));
    },
    problems: [
      ['a', LOOP],
      ['b', LOOP],
    ],
  },
  {
    name: 'dangling-link',
    // The closest a test gets to "deleted during the scan": listed, then gone when read.
    setup: (d) => symlinkSync('2_deleted.sql.gone', path.join(d, '2_deleted.sql')),
    problems: [['2_deleted.sql', 'no such file or directory']],
  },
  {
    name: 'unreadable-subdir',
    skip: isRoot,
    setup: (d) => {
      mkdirSync(path.join(d, 'locked'));
      writeFileSync(path.join(d, 'locked', '1_hidden.sql'), 'DROP TABLE hidden;\n');
      chmodSync(path.join(d, 'locked'), 0o000);
    },
    problems: [['locked', 'cannot list this directory: permission denied']],
  },
  {
    name: 'unreadable-file',
    skip: isRoot,
    setup: (d) => {
      writeFileSync(path.join(d, '2_secret.sql'), 'DROP TABLE secret;\n');
      chmodSync(path.join(d, '2_secret.sql'), 0o000);
    },
    problems: [['2_secret.sql', 'permission denied']],
  },
  {
    name: 'nul-after-8k',
    setup: (d) => writeFileSync(path.join(d, '2_nul.sql'), Buffer.concat([Buffer.from(`SELECT 1;\n${'-- padding\n'.repeat(1000)}`), Buffer.from([0]), Buffer.from('DROP TABLE after_nul;\n')])),
    problems: [['2_nul.sql', 'binary file (a NUL byte at offset 11010), not a migration']],
  },
  {
    name: 'too-large',
    // 50 MiB, sparse: refused on its size before a byte is read.
    setup: (d) => {
      writeFileSync(path.join(d, '2_huge.sql'), 'DROP TABLE huge;\n');
      truncateSync(path.join(d, '2_huge.sql'), 50 * 1024 * 1024);
    },
    problems: [['2_huge.sql', 'too large to lint (50 MiB, over the size limit of 16 MiB (raise "maxFileSizeMiB" in the config to lint it))']],
  },
  {
    name: 'utf16-le',
    setup: (d) => writeFileSync(path.join(d, '2_utf16le.sql'), utf16('-- UTF-16 LE\r\nDROP TABLE wide;\r\n', 'le')),
    problems: [],
    findings: [['2_utf16le.sql', 2, 1, 'no-drop-table']],
  },
  {
    name: 'utf16-be',
    setup: (d) => writeFileSync(path.join(d, '2_utf16be.sql'), utf16('DROP TABLE wide_be;\n', 'be')),
    problems: [],
    findings: [['2_utf16be.sql', 1, 1, 'no-drop-table']],
  },
  {
    name: 'empty-and-comments',
    setup: (d) => {
      writeFileSync(path.join(d, '2_empty.sql'), '');
      writeFileSync(path.join(d, '3_comments.sql'), '-- nothing to do\n/* still nothing */\n');
      writeFileSync(path.join(d, '4_blank.sql'), '\n\n   \n\t\n');
    },
    problems: [],
  },
  {
    name: 'bom-crlf',
    setup: (d) => writeFileSync(path.join(d, '2_crlf.sql'), '\ufeff-- windows\r\nCREATE TABLE t (id int);\r\nDROP TABLE crlf;\r\n'),
    problems: [],
    findings: [['2_crlf.sql', 3, 1, 'no-drop-table']],
  },
  {
    name: 'long-line',
    setup: (d) => writeFileSync(path.join(d, '2_long.sql'), `SELECT '${'x'.repeat(300_000)}'; DROP TABLE long_line;\n`),
    problems: [],
    findings: [['2_long.sql', 1, 300_012, 'no-drop-table']],
  },
  {
    name: 'ten-thousand-statements',
    setup: (d) => writeFileSync(path.join(d, '2_many.sql'), `${'INSERT INTO t VALUES (1);\n'.repeat(10_000)}DROP TABLE many;\n`),
    problems: [],
    findings: [['2_many.sql', 10_001, 1, 'no-drop-table']],
  },
  {
    name: 'unicode-names',
    setup: (d) => writeFileSync(path.join(d, '2_ünï©ødé_表.sql'), 'DROP TABLE "表";\n'),
    problems: [],
    findings: [['2_ünï©ødé_表.sql', 1, 1, 'no-drop-table']],
  },
  {
    name: 'control-names',
    setup: (d) => {
      writeFileSync(path.join(d, '2_\u001b[2J\u001b]0;pwned\u0007.sql'), 'DROP TABLE esc;\n');
      writeFileSync(path.join(d, '3_two\nlines\r.sql'), 'DROP TABLE nl;\n');
      mkdirSync(path.join(d, '4_\u001b[31mred.sql'));
    },
    problems: [['4_\u001b[31mred.sql', 'is a directory, not a file']],
    findings: [
      ['2_\u001b[2J\u001b]0;pwned\u0007.sql', 1, 1, 'no-drop-table'],
      ['3_two\nlines\r.sql', 1, 1, 'no-drop-table'],
    ],
  },
  {
    name: 'truncated-string',
    setup: (d) => writeFileSync(path.join(d, '2_trunc.sql'), "DROP TABLE before_string;\nINSERT INTO t VALUES ('never closed\n"),
    problems: [],
    findings: [
      ['2_trunc.sql', 1, 1, 'no-drop-table'],
      ['2_trunc.sql', 2, 23, 'syntax-error'],
    ],
  },
  {
    name: 'truncated-dollar',
    setup: (d) => writeFileSync(path.join(d, '2_trunc.sql'), 'DROP TABLE before_dollar;\nCREATE FUNCTION f() RETURNS int AS $body$ SELECT 1;\n'),
    problems: [],
    findings: [
      ['2_trunc.sql', 1, 1, 'no-drop-table'],
      ['2_trunc.sql', 2, 36, 'syntax-error'],
    ],
  },
  {
    name: 'truncated-comment-and-ident',
    setup: (d) => {
      writeFileSync(path.join(d, '2_comment.sql'), 'DROP TABLE before_comment;\n/* never closed\n');
      writeFileSync(path.join(d, '3_ident.sql'), 'DROP TABLE before_ident;\nSELECT "never closed\n');
    },
    problems: [],
    findings: [
      ['2_comment.sql', 1, 1, 'no-drop-table'],
      ['2_comment.sql', 2, 1, 'syntax-error'],
      ['3_ident.sql', 1, 1, 'no-drop-table'],
      ['3_ident.sql', 2, 8, 'syntax-error'],
    ],
  },
  {
    name: 'drizzle-journal-dir',
    setup: (d) => {
      mkdirSync(path.join(d, 'drizzle', 'meta', '_journal.json'), { recursive: true });
      writeFileSync(path.join(d, 'drizzle', '0000_init.sql'), 'DROP TABLE drizzle_t;\n');
    },
    problems: [['drizzle/meta/_journal.json', 'is a directory, not a file']],
    findings: [['drizzle/0000_init.sql', 1, 1, 'no-drop-table']],
  },
  {
    name: 'drizzle-journal-huge',
    setup: (d) => {
      mkdirSync(path.join(d, 'drizzle', 'meta'), { recursive: true });
      writeFileSync(path.join(d, 'drizzle', 'meta', '_journal.json'), '{"entries": []}');
      truncateSync(path.join(d, 'drizzle', 'meta', '_journal.json'), 1024 * 1024 * 1024);
      writeFileSync(path.join(d, 'drizzle', '0000_init.sql'), 'DROP TABLE drizzle_h;\n');
    },
    problems: [['drizzle/meta/_journal.json', 'too large to lint (1024 MiB, over the size limit of 16 MiB (raise "maxFileSizeMiB" in the config to lint it))']],
    findings: [['drizzle/0000_init.sql', 1, 1, 'no-drop-table']],
  },
  {
    name: 'drizzle-journal-dev-zero',
    setup: (d) => {
      mkdirSync(path.join(d, 'drizzle', 'meta'), { recursive: true });
      symlinkSync('/dev/zero', path.join(d, 'drizzle', 'meta', '_journal.json'));
      writeFileSync(path.join(d, 'drizzle', '0000_init.sql'), 'DROP TABLE drizzle_z;\n');
    },
    problems: [['drizzle/meta/_journal.json', OUTSIDE]],
    findings: [['drizzle/0000_init.sql', 1, 1, 'no-drop-table']],
  },
  {
    name: 'deep-js',
    setup: (d) => {
      mkdirSync(path.join(d, 'knex'));
      writeFileSync(path.join(d, 'knex', '1_arrays.js'), `exports.up = (knex) => knex.raw(${'['.repeat(10_000)}${']'.repeat(10_000)});\nexports.down = () => {};\n`);
      writeFileSync(path.join(d, 'knex', '2_sum.js'), `exports.up = (knex) => knex.raw('SELECT ' + ${Array.from({ length: 100_000 }, () => '1').join('+')});\nexports.down = () => {};\n`);
      writeFileSync(path.join(d, 'knex', '3_good.js'), "exports.up = (knex) => knex.schema.dropTable('knex_good');\nexports.down = (knex) => knex.schema.createTable('knex_good', (t) => { t.increments(); });\n");
    },
    problems: [],
    findings: [
      ['knex/1_arrays.js', 1, 1, 'syntax-error'],
      ['knex/2_sum.js', 1, 1, 'syntax-error'],
      ['knex/3_good.js', 1, 24, 'no-drop-table'],
    ],
  },
];

/** Writes every case under `root/<case>/` (skipped ones left out); returns the cases written. */
export function writeCases(root: string): RobustnessCase[] {
  const written: RobustnessCase[] = [];
  for (const c of CASES) {
    if (c.skip?.()) continue;
    const dir = path.join(root, c.name);
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, '1_good.sql'), `DROP TABLE good_${c.name.replace(/-/g, '_')};\n`);
    c.setup(dir);
    written.push(c);
  }
  return written;
}
