import { describe, it } from 'vitest';
import { expectFires, expectSilent, type Case } from '../helpers/lint-sql.js';

const RULE = 'require-not-null-backfill';
const SET_NN = 'ALTER TABLE users ALTER COLUMN email SET NOT NULL;';

const mustFire: Case[] = [
  {
    name: 'a CTE UPDATE whose WHERE (a join to another CTE) may leave rows: said to be an UPDATE, not "nothing earlier"',
    sql: "ALTER TABLE jobs ADD COLUMN run_id uuid;\nWITH keys AS (SELECT id FROM jobs WHERE run_id IS NULL LIMIT 100),\nbatch AS (UPDATE jobs j SET run_id = gen_random_uuid() FROM keys k WHERE j.id = k.id RETURNING j.id)\nSELECT count(*) FROM batch;\nALTER TABLE jobs ALTER COLUMN run_id SET NOT NULL;",
    expect: [[RULE, 5, 18, 5, 50]],
    message: 'an earlier UPDATE sets the column, but no earlier statement of this migration is known to fill every row',
  },
  {
    name: 'ADD COLUMN NOT NULL without DEFAULT',
    sql: 'ALTER TABLE users ADD COLUMN age int NOT NULL;',
    expect: [[RULE, 1, 19, 1, 46]],
    message: 'Adding NOT NULL column "age" without a DEFAULT to "users" fails as soon as the table has a row.',
    help: 'constant DEFAULT',
  },
  { name: 'ADD COLUMN ... PRIMARY KEY is NOT NULL too', sql: 'ALTER TABLE users ADD COLUMN id int PRIMARY KEY;', expect: [[RULE, 1, 19, 1, 48]] },
  {
    name: 'SET NOT NULL with nothing proving the column',
    sql: SET_NN,
    expect: [[RULE, 1, 19, 1, 50]],
    message: 'SET NOT NULL on "users"."email" fails if any row holds NULL, and scans the whole table under an ACCESS EXCLUSIVE lock',
  },
  {
    name: 'column added nullable, then SET NOT NULL, in the same migration',
    sql: 'ALTER TABLE users ADD COLUMN age int;\nALTER TABLE users ALTER COLUMN age SET NOT NULL;',
    expect: [[RULE, 2, 19, 2, 48]],
    message: 'It was added in this migration, so every existing row holds NULL.',
  },
  {
    name: 'CHECK ... NOT VALID alone proves nothing',
    sql: `ALTER TABLE users ADD CONSTRAINT email_nn CHECK (email IS NOT NULL) NOT VALID;\n${SET_NN}`,
    expect: [[RULE, 2, 19, 2, 50]],
  },
  {
    name: 'validating another constraint proves nothing',
    sql: `ALTER TABLE users ADD CONSTRAINT email_nn CHECK (email IS NOT NULL) NOT VALID;\nALTER TABLE users VALIDATE CONSTRAINT other_check;\n${SET_NN}`,
    expect: [[RULE, 3, 19, 3, 50]],
  },
  {
    name: 'a CHECK added without NOT VALID in the same migration takes the same lock',
    sql: `ALTER TABLE users ADD CONSTRAINT email_nn CHECK (email IS NOT NULL);\n${SET_NN}`,
    expect: [[RULE, 2, 19, 2, 50]],
    message: 'without NOT VALID takes the same lock and fails on the same rows',
  },
  { name: 'backfilling another column does not count', sql: `UPDATE users SET name = '';\n${SET_NN}`, expect: [[RULE, 2, 19, 2, 50]] },
  { name: 'backfilling another table does not count', sql: `UPDATE accounts SET email = '';\n${SET_NN}`, expect: [[RULE, 2, 19, 2, 50]] },
  {
    name: 'multi-subcommand ALTER TABLE: findings on the exact sub-commands',
    sql: 'ALTER TABLE t ADD COLUMN a int DEFAULT 0, ADD COLUMN b int NOT NULL, ALTER COLUMN c SET NOT NULL;',
    expect: [[RULE, 1, 43, 1, 68], [RULE, 1, 70, 1, 97]],
    message: ['column "b"', '"t"."c"'],
  },
  {
    name: 'multi-line ALTER TABLE with CRLF line endings',
    sql: 'ALTER TABLE users\r\n  ADD COLUMN a int NOT NULL,\r\n  ALTER COLUMN b SET NOT NULL;\r\n',
    expect: [[RULE, 2, 3, 2, 28], [RULE, 3, 3, 3, 30]],
  },
  { name: 'after a multi-byte UTF-8 character in the same statement', sql: "ALTER TABLE t ADD COLUMN x text DEFAULT '€', ADD COLUMN y int NOT NULL;", expect: [[RULE, 1, 46, 1, 71]] },
  { name: 'a non-ASCII column name', sql: "UPDATE t SET note = 'ça';\nALTER TABLE t ADD COLUMN 名前 text NOT NULL;", expect: [[RULE, 2, 15, 2, 42]], message: '"名前"' },
  {
    name: 'table created in an EARLIER migration is an existing table',
    migrations: [
      { name: '001_create.sql', up: 'CREATE TABLE users (id int, email text);' },
      { name: '002_not_null.sql', up: `ALTER TABLE users ADD COLUMN age int NOT NULL;\n${SET_NN}` },
    ],
    expect: [[RULE, 1, 19, 1, 46], [RULE, 2, 19, 2, 50]],
    file: 'migrations/002_not_null.sql',
  },
  {
    name: 'column added with a DEFAULT in an EARLIER migration: the scan still happens',
    migrations: [
      { name: '001_add.sql', up: 'ALTER TABLE users ADD COLUMN age int DEFAULT 0;' },
      { name: '002_not_null.sql', up: 'ALTER TABLE users ALTER COLUMN age SET NOT NULL;' },
    ],
    expect: [[RULE, 1, 19, 1, 48]],
  },
  { name: 'Postgres 18 ADD CONSTRAINT ... NOT NULL col', sql: 'ALTER TABLE users ADD CONSTRAINT email_nn NOT NULL email;', expect: [[RULE, 1, 19, 1, 57]] },
  {
    name: 'a down that puts NOT NULL back',
    migrations: [{ name: '001_relax.sql', up: 'ALTER TABLE users ALTER COLUMN email DROP NOT NULL;', down: SET_NN }],
    expect: [[RULE, 1, 19, 1, 50]],
    file: 'migrations/001_relax.down.sql',
  },
  {
    name: 'a suppression naming another rule above a multi-line statement',
    sql: '-- migralint-disable-next-line no-drop-column\nALTER TABLE users\n  ADD COLUMN age int NOT NULL;',
    expect: [['unused-disable', 1, 1], [RULE, 3, 3, 3, 30]],
  },
  { name: 'SQLite', sql: 'ALTER TABLE users ADD COLUMN age int NOT NULL;', options: { dialect: 'sqlite' }, expect: [[RULE, 1, 19, 1, 46]] },
  {
    name: 'MySQL MODIFY ... NOT NULL: worded for MySQL, not Postgres',
    sql: 'ALTER TABLE users MODIFY email varchar(255) NOT NULL;',
    options: { dialect: 'mysql' },
    expect: [[RULE, 1, 19, 1, 53]],
    message: 'in MySQL\'s non-strict mode, silently turns NULLs into the type\'s zero value',
  },
  {
    name: 'SET DEFAULT after a nullable ADD COLUMN fills no existing row',
    sql: 'ALTER TABLE users ADD COLUMN age int;\nALTER TABLE users ALTER COLUMN age SET DEFAULT 0;\nALTER TABLE users ALTER COLUMN age SET NOT NULL;',
    expect: [[RULE, 3, 19, 3, 48]],
    message: 'It was added in this migration',
  },
  { name: 'DEFAULT NULL is no DEFAULT', sql: 'ALTER TABLE users ADD COLUMN a int NOT NULL DEFAULT NULL, ADD COLUMN b int NOT NULL DEFAULT NULL::int;', expect: [[RULE, 1, 19, 1, 57], [RULE, 1, 59, 1, 102]] },
  { name: 'DEFAULT NULL is no DEFAULT (SQLite)', sql: 'ALTER TABLE users ADD COLUMN a int NOT NULL DEFAULT (NULL);', options: { dialect: 'sqlite' }, expect: [[RULE, 1, 19, 1, 59]] },
  {
    name: 'a table this migration created but filled with CREATE TABLE ... AS',
    sql: 'CREATE TABLE users2 AS SELECT * FROM users;\nALTER TABLE users2 ADD COLUMN age int NOT NULL;',
    expect: [[RULE, 2, 20, 2, 47]],
    message: 'already put rows in it',
  },
  {
    name: 'SQLite rebuild: the new table holds the copied rows',
    sql: [
      'CREATE TABLE __new_users (id integer PRIMARY KEY NOT NULL, name text);',
      'INSERT INTO __new_users (id, name) SELECT id, name FROM users;',
      'DROP TABLE users;',
      'ALTER TABLE __new_users RENAME TO users;',
      'ALTER TABLE users ADD COLUMN age integer NOT NULL;',
    ].join('\n'),
    options: { dialect: 'sqlite' },
    expect: [[RULE, 5, 19, 5, 50]],
  },
  {
    name: 'Postgres 11: the validated CHECK proves it, but SET NOT NULL still scans',
    sql: 'ALTER TABLE t ADD CONSTRAINT t_a_nn CHECK (a IS NOT NULL) NOT VALID;\nALTER TABLE t VALIDATE CONSTRAINT t_a_nn;\nALTER TABLE t ALTER COLUMN a SET NOT NULL;',
    options: { config: { postgresVersion: 11 } },
    expect: [['require-not-null-backfill', 3, 15]],
    message: 'before Postgres 12 (configured: 11) SET NOT NULL cannot use it and still scans the whole table',
  },
  {
    name: 'a copy of a joined value its WHERE does not demand (sqlite)',
    migrations: [{ name: '001_tables.sql', up: 'CREATE TABLE mtp (mid integer, x integer);\nCREATE TABLE m (id integer, w integer);' }, { name: '002_copy.sql', up: 'CREATE TABLE pc (w integer NOT NULL, p integer NOT NULL);\nINSERT INTO pc (w, p) SELECT m.w, 1 FROM mtp INNER JOIN m ON mtp.mid = m.id WHERE mtp.x IS NOT NULL;' }],
    options: { dialect: 'sqlite' },
    expect: [[RULE, 2, 1]],
    file: 'migrations/002_copy.sql',
    message: 'fills it from a value that may be NULL',
  },
  {
    name: 'a copy of a joined value its WHERE does not demand (mysql)',
    migrations: [{ name: '001_tables.sql', up: 'CREATE TABLE mtp (mid integer, x integer);\nCREATE TABLE m (id integer, w integer);' }, { name: '002_copy.sql', up: 'CREATE TABLE pc (w integer NOT NULL, p integer NOT NULL);\nINSERT INTO pc (w, p) SELECT m.w, 1 FROM mtp INNER JOIN m ON mtp.mid = m.id WHERE mtp.x IS NOT NULL;' }],
    options: { dialect: 'mysql' },
    expect: [[RULE, 2, 1]],
    file: 'migrations/002_copy.sql',
    message: 'fills it from a value that may be NULL',
  },
  {
    name: 'a copy of a joined value its WHERE does not demand (postgres)',
    migrations: [{ name: '001_tables.sql', up: 'CREATE TABLE mtp (mid integer, x integer);\nCREATE TABLE m (id integer, w integer);' }, { name: '002_copy.sql', up: 'CREATE TABLE pc (w integer NOT NULL, p integer NOT NULL);\nINSERT INTO pc (w, p) SELECT m.w, 1 FROM mtp INNER JOIN m ON mtp.mid = m.id WHERE mtp.x IS NOT NULL;' }],
    options: { dialect: 'postgres' },
    expect: [[RULE, 2, 1]],
    file: 'migrations/002_copy.sql',
    message: 'fills it from a value that may be NULL',
  },
  {
    name: 'the same UPDATEs when the column may be NULL (a CHECK passes on NULL)',
    migrations: [{ name: '001_a.sql', up: 'CREATE TABLE account (id int PRIMARY KEY, kind text, owner_id int);' }, { name: '002_b.sql', up: "ALTER TABLE account ADD CONSTRAINT account_kind_check CHECK (kind IN ('person', 'team'));\nUPDATE account SET owner_id = 1 WHERE kind = 'person';\nUPDATE account SET owner_id = 0 WHERE kind = 'team';\nALTER TABLE account ALTER COLUMN owner_id SET NOT NULL;" }],
    expect: [[RULE, 4, 21]],
    file: 'migrations/002_b.sql',
  },
  {
    name: 'the same UPDATEs when the CHECK is NOT VALID (old rows may break it)',
    migrations: [{ name: '001_a.sql', up: 'CREATE TABLE account (id int PRIMARY KEY, kind text NOT NULL, owner_id int);' }, { name: '002_b.sql', up: "ALTER TABLE account ADD CONSTRAINT account_kind_check CHECK (kind IN ('person', 'team')) NOT VALID;\nUPDATE account SET owner_id = 1 WHERE kind = 'person';\nUPDATE account SET owner_id = 0 WHERE kind = 'team';\nALTER TABLE account ALTER COLUMN owner_id SET NOT NULL;" }],
    expect: [[RULE, 4, 21]],
    file: 'migrations/002_b.sql',
  },
  {
    name: 'a nullable column carried through a joined subquery, or a value the subquery computes',
    migrations: [{ name: '001_tables.sql', up: 'CREATE TABLE artifact (id serial PRIMARY KEY, repo text, digest text);' }, { name: '002_copy.sql', up: 'CREATE TABLE tag (artifact_id int NOT NULL, repo text NOT NULL);\nINSERT INTO tag (artifact_id, repo)\nSELECT o.n, o.repo\nFROM artifact AS art\nJOIN (SELECT max(id) AS n, repo FROM artifact GROUP BY repo) AS o ON art.repo = o.repo;\nINSERT INTO tag (artifact_id, repo) SELECT s.id, s.repo FROM artifact AS a JOIN (SELECT id, repo FROM artifact) AS s ON s.id = a.id;' }],
    expect: [[RULE, 2, 1], [RULE, 2, 1], [RULE, 6, 1]],
    file: 'migrations/002_copy.sql',
  },
  {
    name: 'a value a LEFT JOIN ON compares may be NULL (no match) (postgres)',
    migrations: [{ name: '001_tables.sql', up: 'CREATE TABLE tm (id integer, g integer, u integer);\nCREATE TABLE og (id integer, k integer);' }, { name: '002_copy.sql', up: 'CREATE TABLE ogm (group_id integer NOT NULL, n integer NOT NULL);\nINSERT INTO ogm (group_id, n) SELECT og.id, 1 FROM tm LEFT JOIN og ON og.id = tm.g;' }],
    options: { dialect: 'postgres' },
    expect: [[RULE, 2, 1]],
    file: 'migrations/002_copy.sql',
  },
  {
    name: 'a value a LEFT JOIN ON compares may be NULL (no match) (sqlite)',
    migrations: [{ name: '001_tables.sql', up: 'CREATE TABLE tm (id integer, g integer, u integer);\nCREATE TABLE og (id integer, k integer);' }, { name: '002_copy.sql', up: 'CREATE TABLE ogm (group_id integer NOT NULL, n integer NOT NULL);\nINSERT INTO ogm (group_id, n) SELECT og.id, 1 FROM tm LEFT JOIN og ON og.id = tm.g;' }],
    options: { dialect: 'sqlite' },
    expect: [[RULE, 2, 1]],
    file: 'migrations/002_copy.sql',
  },
  {
    name: 'a value a LEFT JOIN ON compares may be NULL (no match) (mysql)',
    migrations: [{ name: '001_tables.sql', up: 'CREATE TABLE tm (id integer, g integer, u integer);\nCREATE TABLE og (id integer, k integer);' }, { name: '002_copy.sql', up: 'CREATE TABLE ogm (group_id integer NOT NULL, n integer NOT NULL);\nINSERT INTO ogm (group_id, n) SELECT og.id, 1 FROM tm LEFT JOIN og ON og.id = tm.g;' }],
    options: { dialect: 'mysql' },
    expect: [[RULE, 2, 1]],
    file: 'migrations/002_copy.sql',
  },
  {
    name: 'a nullable column of a LEFT JOIN the WHERE demands a match of (postgres)',
    migrations: [{ name: '001_tables.sql', up: 'CREATE TABLE board (id varchar(20) PRIMARY KEY NOT NULL);\nCREATE TABLE section (id varchar(20) PRIMARY KEY NOT NULL, board_id varchar(20) NOT NULL);\nCREATE TABLE item (id varchar(20) PRIMARY KEY NOT NULL, section_id varchar(20) NOT NULL, x_offset integer NOT NULL, width integer);' }, { name: '002_copy.sql', up: 'CREATE TABLE item_layout (item_id varchar(20) NOT NULL, section_id varchar(20) NOT NULL, x integer NOT NULL);\nINSERT INTO item_layout (item_id, section_id, x) SELECT item.id, section.id, item.width FROM board LEFT JOIN section ON section.board_id = board.id LEFT JOIN item ON item.section_id = section.id WHERE item.id IS NOT NULL;' }],
    options: { dialect: 'postgres' },
    expect: [[RULE, 2, 1]],
    file: 'migrations/002_copy.sql',
    message: 'makes "x" NOT NULL and fills it from a value that may be NULL',
  },
  {
    name: 'a nullable column of a LEFT JOIN the WHERE demands a match of (sqlite)',
    migrations: [{ name: '001_tables.sql', up: 'CREATE TABLE board (id varchar(20) PRIMARY KEY NOT NULL);\nCREATE TABLE section (id varchar(20) PRIMARY KEY NOT NULL, board_id varchar(20) NOT NULL);\nCREATE TABLE item (id varchar(20) PRIMARY KEY NOT NULL, section_id varchar(20) NOT NULL, x_offset integer NOT NULL, width integer);' }, { name: '002_copy.sql', up: 'CREATE TABLE item_layout (item_id varchar(20) NOT NULL, section_id varchar(20) NOT NULL, x integer NOT NULL);\nINSERT INTO item_layout (item_id, section_id, x) SELECT item.id, section.id, item.width FROM board LEFT JOIN section ON section.board_id = board.id LEFT JOIN item ON item.section_id = section.id WHERE item.id IS NOT NULL;' }],
    options: { dialect: 'sqlite' },
    expect: [[RULE, 2, 1]],
    file: 'migrations/002_copy.sql',
    message: 'makes "x" NOT NULL and fills it from a value that may be NULL',
  },
  {
    name: 'a nullable column of a LEFT JOIN the WHERE demands a match of (mysql)',
    migrations: [{ name: '001_tables.sql', up: 'CREATE TABLE board (id varchar(20) PRIMARY KEY NOT NULL);\nCREATE TABLE section (id varchar(20) PRIMARY KEY NOT NULL, board_id varchar(20) NOT NULL);\nCREATE TABLE item (id varchar(20) PRIMARY KEY NOT NULL, section_id varchar(20) NOT NULL, x_offset integer NOT NULL, width integer);' }, { name: '002_copy.sql', up: 'CREATE TABLE item_layout (item_id varchar(20) NOT NULL, section_id varchar(20) NOT NULL, x integer NOT NULL);\nINSERT INTO item_layout (item_id, section_id, x) SELECT item.id, section.id, item.width FROM board LEFT JOIN section ON section.board_id = board.id LEFT JOIN item ON item.section_id = section.id WHERE item.id IS NOT NULL;' }],
    options: { dialect: 'mysql' },
    expect: [[RULE, 2, 1]],
    file: 'migrations/002_copy.sql',
    message: 'makes "x" NOT NULL and fills it from a value that may be NULL',
  },
];

mustFire.push(
  {
    name: 'a partial backfill (WHERE on another column) leaves other rows NULL',
    sql: `UPDATE users SET email = 'x' WHERE id < 1000;\n${SET_NN}`,
    expect: [[RULE, 2, 19, 2, 50]],
  },
  {
    name: 'WHERE email IS NULL AND ... is partial too',
    sql: `UPDATE users SET email = 'x' WHERE email IS NULL AND id < 10;\n${SET_NN}`,
    expect: [[RULE, 2, 19, 2, 50]],
  },
  {
    name: 'a partial UPDATE of a column added here: the message says what is known, not "every row holds NULL"',
    sql: "ALTER TABLE users ADD COLUMN age int;\nUPDATE users SET age = 0 WHERE id < 1000;\nALTER TABLE users ALTER COLUMN age SET NOT NULL;",
    expect: [[RULE, 3, 19, 3, 48]],
    message: 'an earlier UPDATE sets the column, but no earlier statement of this migration is known to fill every row',
  },
  { name: 'SET c = b where b may be NULL', sql: `UPDATE users SET email = backup_email;\n${SET_NN}`, expect: [[RULE, 2, 19, 2, 50]], message: 'no earlier statement of this migration is known to fill every row' },
  { name: 'SET c = NULL fills nothing', sql: `UPDATE users SET email = NULL WHERE email IS NULL;\n${SET_NN}`, expect: [[RULE, 2, 19, 2, 50]] },
  { name: 'SET c = b from another table (UPDATE ... FROM): may be NULL', sql: `UPDATE users u SET email = a.email FROM accounts a WHERE u.email IS NULL;\n${SET_NN}`, expect: [[RULE, 2, 19, 2, 50]] },
  { name: 'UPDATE ... FROM with a join condition leaves unmatched rows', sql: `UPDATE users u SET email = 'x' FROM accounts a WHERE a.user_id = u.id;\n${SET_NN}`, expect: [[RULE, 2, 19, 2, 50]] },
  { name: 'two conditions that leave a gap (a = 0, and NULL a)', sql: `UPDATE users SET email = 'p' WHERE score > 0;\nUPDATE users SET email = 'n' WHERE score < 0;\n${SET_NN}`, expect: [[RULE, 3, 19, 3, 50]] },
  { name: 'complementary on numbers but NULL scores left out', sql: `UPDATE users SET email = 'p' WHERE score > 0;\nUPDATE users SET email = 'n' WHERE score <= 0;\n${SET_NN}`, expect: [[RULE, 3, 19, 3, 50]] },
  {
    name: 'the second WHERE reads a column an UPDATE in between changed',
    sql: `UPDATE users SET email = 'p' WHERE score > 0;\nUPDATE users SET score = 5;\nUPDATE users SET email = 'n' WHERE score <= 0 OR score IS NULL;\n${SET_NN}`,
    expect: [[RULE, 4, 19, 4, 50]],
  },
  { name: 'a later UPDATE that may put NULL back', sql: `UPDATE users SET email = '' WHERE email IS NULL;\nUPDATE users SET email = other WHERE id = 1;\n${SET_NN}`, expect: [[RULE, 3, 19, 3, 50]] },
  { name: 'DELETE of some other rows is no proof', sql: `DELETE FROM users WHERE id < 10;\n${SET_NN}`, expect: [[RULE, 2, 19, 2, 50]] },
  {
    name: 'MySQL: UPDATE ... LIMIT fills only some rows',
    sql: "UPDATE users SET email = '' WHERE email IS NULL LIMIT 1000;\nALTER TABLE users MODIFY email varchar(255) NOT NULL;",
    options: { dialect: 'mysql' },
    expect: [[RULE, 2, 19, 2, 53]],
  },
  {
    name: 'MySQL: a multi-table UPDATE fills only the joined rows',
    sql: "UPDATE users u JOIN accounts a ON a.id = u.account_id SET u.email = a.email;\nALTER TABLE users MODIFY email varchar(255) NOT NULL;",
    options: { dialect: 'mysql' },
    expect: [[RULE, 2, 19, 2, 53]],
  },
);

const mustNotFire: Case[] = [
  {
    name: 'a NOT NULL column of a table, carried through a joined subquery (renamed or not)',
    migrations: [{ name: '001_tables.sql', up: 'CREATE TABLE artifact (id serial PRIMARY KEY, repo text, digest text, tag text);' }, { name: '002_copy.sql', up: 'CREATE TABLE tag (artifact_id int NOT NULL, first_id int NOT NULL, name text);\nINSERT INTO tag (artifact_id, first_id, name)\nSELECT o.id, o.first, art.tag\nFROM artifact AS art\nJOIN (SELECT id, id AS first, repo, digest, row_number() OVER (PARTITION BY repo, digest ORDER BY id) AS seq FROM artifact) AS o ON art.repo = o.repo AND art.digest = o.digest\nWHERE o.seq = 1;' }],
  },
  {
    name: 'backfilled by an UPDATE in a data-modifying CTE (a batch that reports what it updated)',
    sql: "ALTER TABLE jobs ADD COLUMN run_id uuid;\nWITH batch AS (\n  UPDATE jobs SET run_id = gen_random_uuid() WHERE run_id IS NULL RETURNING id\n)\nSELECT count(*) FROM batch;\nALTER TABLE jobs ALTER COLUMN run_id SET NOT NULL;",
  },
  {
    name: 'backfilled by a CTE UPDATE in a DO block loop',
    sql: "ALTER TABLE jobs ADD COLUMN run_id uuid;\nDO $$\nDECLARE n int;\nBEGIN\n  LOOP\n    WITH batch AS (UPDATE jobs SET run_id = gen_random_uuid() WHERE run_id IS NULL RETURNING 1)\n    SELECT count(*) INTO n FROM batch;\n    EXIT WHEN n = 0;\n  END LOOP;\nEND $$;\nALTER TABLE jobs ALTER COLUMN run_id SET NOT NULL;",
  },
  {
    name: 'MySQL backtick-qualified columns (Drizzle): the FROM table\'s NOT NULL key and a matched LEFT JOIN\'s NOT NULL column',
    migrations: [{ name: '001_tables.sql', up: 'CREATE TABLE `board` (`id` varchar(64) NOT NULL, PRIMARY KEY (`id`));\nCREATE TABLE `section` (`id` varchar(64) NOT NULL, `board_id` varchar(64) NOT NULL, `x_offset` int NOT NULL);' }, { name: '002_copy.sql', up: 'CREATE TABLE `sl` (`section_id` varchar(64) NOT NULL, `layout_id` varchar(64) NOT NULL, `x` int NOT NULL);\nINSERT INTO `sl`(`section_id`, `layout_id`, `x`) SELECT `section`.`id`, `board`.`id`, `section`.`x_offset` FROM `board` LEFT JOIN `section` ON `section`.`board_id`=`board`.`id` WHERE `section`.`id` IS NOT NULL;' }],
    options: { dialect: 'mysql' },
  },
  {
    name: 'LEFT JOINs the WHERE demands a match of: their NOT NULL columns and ON-compared keys are never NULL (postgres)',
    migrations: [{ name: '001_tables.sql', up: 'CREATE TABLE board (id varchar(20) PRIMARY KEY NOT NULL);\nCREATE TABLE section (id varchar(20) PRIMARY KEY NOT NULL, board_id varchar(20) NOT NULL);\nCREATE TABLE item (id varchar(20) PRIMARY KEY NOT NULL, section_id varchar(20) NOT NULL, x_offset integer NOT NULL, width integer);' }, { name: '002_copy.sql', up: 'CREATE TABLE item_layout (item_id varchar(20) NOT NULL, section_id varchar(20) NOT NULL, x integer NOT NULL);\nINSERT INTO item_layout (item_id, section_id, x) SELECT item.id, section.id, item.x_offset FROM board LEFT JOIN section ON section.board_id = board.id LEFT JOIN item ON item.section_id = section.id WHERE item.id IS NOT NULL;' }],
    options: { dialect: 'postgres' },
  },
  {
    name: 'LEFT JOINs the WHERE demands a match of: their NOT NULL columns and ON-compared keys are never NULL (sqlite)',
    migrations: [{ name: '001_tables.sql', up: 'CREATE TABLE board (id varchar(20) PRIMARY KEY NOT NULL);\nCREATE TABLE section (id varchar(20) PRIMARY KEY NOT NULL, board_id varchar(20) NOT NULL);\nCREATE TABLE item (id varchar(20) PRIMARY KEY NOT NULL, section_id varchar(20) NOT NULL, x_offset integer NOT NULL, width integer);' }, { name: '002_copy.sql', up: 'CREATE TABLE item_layout (item_id varchar(20) NOT NULL, section_id varchar(20) NOT NULL, x integer NOT NULL);\nINSERT INTO item_layout (item_id, section_id, x) SELECT item.id, section.id, item.x_offset FROM board LEFT JOIN section ON section.board_id = board.id LEFT JOIN item ON item.section_id = section.id WHERE item.id IS NOT NULL;' }],
    options: { dialect: 'sqlite' },
  },
  {
    name: 'LEFT JOINs the WHERE demands a match of: their NOT NULL columns and ON-compared keys are never NULL (mysql)',
    migrations: [{ name: '001_tables.sql', up: 'CREATE TABLE board (id varchar(20) PRIMARY KEY NOT NULL);\nCREATE TABLE section (id varchar(20) PRIMARY KEY NOT NULL, board_id varchar(20) NOT NULL);\nCREATE TABLE item (id varchar(20) PRIMARY KEY NOT NULL, section_id varchar(20) NOT NULL, x_offset integer NOT NULL, width integer);' }, { name: '002_copy.sql', up: 'CREATE TABLE item_layout (item_id varchar(20) NOT NULL, section_id varchar(20) NOT NULL, x integer NOT NULL);\nINSERT INTO item_layout (item_id, section_id, x) SELECT item.id, section.id, item.x_offset FROM board LEFT JOIN section ON section.board_id = board.id LEFT JOIN item ON item.section_id = section.id WHERE item.id IS NOT NULL;' }],
    options: { dialect: 'mysql' },
  },
  {
    name: 'a value an INNER JOIN ON compares, and one the WHERE compares, are never NULL (postgres)',
    migrations: [{ name: '001_tables.sql', up: 'CREATE TABLE tm (id integer, g integer, u integer);\nCREATE TABLE og (id integer, k integer);' }, { name: '002_copy.sql', up: 'CREATE TABLE ogm (group_id integer NOT NULL, n integer NOT NULL);\nINSERT INTO ogm (group_id, n) SELECT og.id, tm.u FROM tm JOIN og ON og.id = tm.g AND og.k = 1 WHERE tm.u <> 3;' }],
    options: { dialect: 'postgres' },
  },
  {
    name: 'a value an INNER JOIN ON compares, and one the WHERE compares, are never NULL (sqlite)',
    migrations: [{ name: '001_tables.sql', up: 'CREATE TABLE tm (id integer, g integer, u integer);\nCREATE TABLE og (id integer, k integer);' }, { name: '002_copy.sql', up: 'CREATE TABLE ogm (group_id integer NOT NULL, n integer NOT NULL);\nINSERT INTO ogm (group_id, n) SELECT og.id, tm.u FROM tm JOIN og ON og.id = tm.g AND og.k = 1 WHERE tm.u <> 3;' }],
    options: { dialect: 'sqlite' },
  },
  {
    name: 'a value an INNER JOIN ON compares, and one the WHERE compares, are never NULL (mysql)',
    migrations: [{ name: '001_tables.sql', up: 'CREATE TABLE tm (id integer, g integer, u integer);\nCREATE TABLE og (id integer, k integer);' }, { name: '002_copy.sql', up: 'CREATE TABLE ogm (group_id integer NOT NULL, n integer NOT NULL);\nINSERT INTO ogm (group_id, n) SELECT og.id, tm.u FROM tm JOIN og ON og.id = tm.g AND og.k = 1 WHERE tm.u <> 3;' }],
    options: { dialect: 'mysql' },
  },
  {
    name: 'a fill proven on a table with many NOT NULL columns (only the columns the WHEREs read are enumerated)',
    migrations: [{ name: '001_a.sql', up: 'CREATE TABLE community (id int PRIMARY KEY, inbox_url text NOT NULL, shared_inbox_url text, c0 int NOT NULL DEFAULT 0, c1 int NOT NULL DEFAULT 0, c2 int NOT NULL DEFAULT 0, c3 int NOT NULL DEFAULT 0, c4 int NOT NULL DEFAULT 0, c5 int NOT NULL DEFAULT 0, c6 int NOT NULL DEFAULT 0, c7 int NOT NULL DEFAULT 0, c8 int NOT NULL DEFAULT 0, c9 int NOT NULL DEFAULT 0, c10 int NOT NULL DEFAULT 0, c11 int NOT NULL DEFAULT 0, c12 int NOT NULL DEFAULT 0, c13 int NOT NULL DEFAULT 0);' }, { name: '002_b.sql', up: 'UPDATE community SET shared_inbox_url = inbox_url WHERE shared_inbox_url IS NULL;\nALTER TABLE community ALTER COLUMN shared_inbox_url SET NOT NULL;' }],
  },
  {
    name: 'UPDATEs per value of a NOT NULL column that a CHECK limits to those values cover every row',
    migrations: [{ name: '001_a.sql', up: 'CREATE TABLE account (id int PRIMARY KEY, kind text NOT NULL, owner_id int);' }, { name: '002_b.sql', up: "ALTER TABLE account ADD CONSTRAINT account_kind_check CHECK (kind IN ('person', 'team'));\nUPDATE account SET owner_id = 1 WHERE kind = 'person';\nUPDATE account SET owner_id = 0 WHERE kind = 'team';\nALTER TABLE account ALTER COLUMN owner_id SET NOT NULL;" }],
  },
  {
    name: 'a copy whose WHERE demands the joined value IS NOT NULL, and ROW_NUMBER() (sqlite)',
    migrations: [{ name: '001_tables.sql', up: 'CREATE TABLE mtp (mid integer, x integer);\nCREATE TABLE m (id integer, w integer);' }, { name: '002_copy.sql', up: 'CREATE TABLE pc (w integer NOT NULL, p integer NOT NULL);\nINSERT INTO pc (w, p) SELECT m.w, ROW_NUMBER() OVER (ORDER BY m.w) FROM mtp INNER JOIN m ON mtp.mid = m.id WHERE m.w IS NOT NULL AND mtp.x = 1;' }],
    options: { dialect: 'sqlite' },
  },
  {
    name: 'a copy whose WHERE demands the joined value IS NOT NULL, and ROW_NUMBER() (mysql)',
    migrations: [{ name: '001_tables.sql', up: 'CREATE TABLE mtp (mid integer, x integer);\nCREATE TABLE m (id integer, w integer);' }, { name: '002_copy.sql', up: 'CREATE TABLE pc (w integer NOT NULL, p integer NOT NULL);\nINSERT INTO pc (w, p) SELECT m.w, ROW_NUMBER() OVER (ORDER BY m.w) FROM mtp INNER JOIN m ON mtp.mid = m.id WHERE m.w IS NOT NULL AND mtp.x = 1;' }],
    options: { dialect: 'mysql' },
  },
  {
    name: 'a copy whose WHERE demands the joined value IS NOT NULL, and ROW_NUMBER() (postgres)',
    migrations: [{ name: '001_tables.sql', up: 'CREATE TABLE mtp (mid integer, x integer);\nCREATE TABLE m (id integer, w integer);' }, { name: '002_copy.sql', up: 'CREATE TABLE pc (w integer NOT NULL, p integer NOT NULL);\nINSERT INTO pc (w, p) SELECT m.w, ROW_NUMBER() OVER (ORDER BY m.w) FROM mtp INNER JOIN m ON mtp.mid = m.id WHERE m.w IS NOT NULL AND mtp.x = 1;' }],
    options: { dialect: 'postgres' },
  },
  { name: 'backfill WHERE col IS NULL (Postgres)', sql: `UPDATE users SET email = 'x' WHERE email IS NULL;\n${SET_NN}` },
  {
    name: 'backfill WHERE col IS NULL (MySQL)',
    sql: "UPDATE users SET email = 'x' WHERE email IS NULL;\nALTER TABLE users MODIFY email varchar(255) NOT NULL;",
    options: { dialect: 'mysql' },
  },
  { name: 'WHERE col IS NULL OR col = \'\'', sql: `UPDATE users SET email = 'x' WHERE email IS NULL OR email = '';\n${SET_NN}` },
  { name: 'WHERE col IS NULL AND TRUE', sql: `UPDATE users SET email = 'x' WHERE email IS NULL AND TRUE;\n${SET_NN}` },
  { name: 'WHERE NOT (col IS NOT NULL) OR col IN (...)', sql: `UPDATE users SET email = 'x' WHERE NOT (email IS NOT NULL) OR email IN ('', 'n/a');\n${SET_NN}` },
  { name: 'WHERE with the target table\'s alias', sql: `UPDATE users AS u SET email = 'x' WHERE u.email IS NULL;\n${SET_NN}` },
  { name: 'DELETE ... WHERE col IS NULL removes the rows that would fail', sql: `DELETE FROM users WHERE email IS NULL;\n${SET_NN}` },
  { name: 'an UPDATE of some rows, then a DELETE of the NULL rest', sql: `UPDATE users SET email = 'x' WHERE id < 1000 AND email IS NULL;\nDELETE FROM users WHERE email IS NULL;\n${SET_NN}` },
  { name: 'complementary WHEREs on another column, NULL included', sql: `UPDATE users SET email = 'p' WHERE score > 0;\nUPDATE users SET email = 'n' WHERE score <= 0 OR score IS NULL;\n${SET_NN}` },
  { name: 'complementary WHEREs on strings', sql: `UPDATE users SET email = 'a' WHERE kind = 'admin';\nUPDATE users SET email = 'u' WHERE kind <> 'admin' OR kind IS NULL;\n${SET_NN}` },
  { name: 'complementary WHEREs on a boolean column', sql: `UPDATE users SET email = 'a' WHERE active;\nUPDATE users SET email = 'b' WHERE NOT active;\nUPDATE users SET email = 'c' WHERE active IS NULL;\n${SET_NN}` },
  { name: 'BETWEEN and its complement', sql: `UPDATE users SET email = 'a' WHERE score BETWEEN 1 AND 10;\nUPDATE users SET email = 'b' WHERE score NOT BETWEEN 1 AND 10 OR score IS NULL;\n${SET_NN}` },
  { name: 'SET c = COALESCE(b, constant)', sql: `UPDATE users SET email = COALESCE(backup_email, 'none');\n${SET_NN}` },
  { name: 'SET c = now() / CURRENT_TIMESTAMP / gen_random_uuid()', sql: 'UPDATE users SET a = now(), b = CURRENT_TIMESTAMP, c = gen_random_uuid()::text;\nALTER TABLE users ALTER COLUMN a SET NOT NULL, ALTER COLUMN b SET NOT NULL, ALTER COLUMN c SET NOT NULL;' },
  { name: 'SET c = CASE ... ELSE constant END', sql: `UPDATE users SET email = CASE WHEN id > 0 THEN 'p' ELSE 'n' END;\n${SET_NN}` },
  {
    name: 'SET c = b where b is known NOT NULL from the chain',
    migrations: [
      { name: '001_create.sql', up: 'CREATE TABLE users (id int, login text NOT NULL, email text);' },
      { name: '002_fill.sql', up: `UPDATE users SET email = lower(login) || '@example.com';\n${SET_NN}` },
    ],
  },
  {
    name: 'dbmate: backfill with IS NULL OR = \'\' then SET NOT NULL',
    migrations: [{ name: '001_x.sql', text: `-- migrate:up\nUPDATE users SET email = 'x' WHERE email IS NULL OR email = '';\n${SET_NN}\n-- migrate:down\nALTER TABLE users ALTER COLUMN email DROP NOT NULL;\n` }],
  },
  {
    name: 'Drizzle: backfill then SET NOT NULL',
    migrations: [{ name: '0001_x.sql', up: `UPDATE "users" SET "email" = '' WHERE "email" IS NULL OR "email" = '';--> statement-breakpoint\nALTER TABLE "users" ALTER COLUMN "email" SET NOT NULL;` }],
    options: { format: 'drizzle' },
  },
  {
    name: 'MySQL: backfill with IS NULL OR = \'\'',
    sql: "UPDATE users SET email = '' WHERE email IS NULL OR email = 'none';\nALTER TABLE users MODIFY email varchar(255) NOT NULL;",
    options: { dialect: 'mysql' },
  },
  {
    name: 'MySQL: complementary WHEREs and a DELETE',
    sql: "UPDATE users SET email = 'a' WHERE score > 0;\nDELETE FROM users WHERE score <= 0 OR score IS NULL;\nALTER TABLE users MODIFY email varchar(255) NOT NULL;",
    options: { dialect: 'mysql' },
  },
  { name: 'nullable ADD COLUMN', sql: 'ALTER TABLE users ADD COLUMN age int;' },
  { name: 'constant DEFAULT', sql: 'ALTER TABLE users ADD COLUMN active boolean NOT NULL DEFAULT true;' },
  { name: 'stable DEFAULT now()', sql: 'ALTER TABLE users ADD COLUMN created_at timestamptz NOT NULL DEFAULT now();' },
  { name: 'volatile DEFAULT is still fine for this rule', sql: 'ALTER TABLE users ADD COLUMN token uuid NOT NULL DEFAULT gen_random_uuid();' },
  { name: 'serial and identity columns fill every row', sql: 'ALTER TABLE a ADD COLUMN id bigserial NOT NULL;\nALTER TABLE b ADD COLUMN id int GENERATED ALWAYS AS IDENTITY NOT NULL;' },
  { name: 'stored generated column', sql: 'ALTER TABLE t ADD COLUMN total int GENERATED ALWAYS AS (price * qty) STORED NOT NULL;' },
  {
    name: 'table created in the same migration (NOT NULL column added, SET NOT NULL)',
    sql: 'CREATE TABLE users (id int, email text);\nALTER TABLE users ADD COLUMN age int NOT NULL;\nALTER TABLE users ALTER COLUMN email SET NOT NULL;',
  },
  { name: 'UPDATE backfill before SET NOT NULL, same migration', sql: `ALTER TABLE users ADD COLUMN age int;\nUPDATE users SET age = 0 WHERE age IS NULL;\nALTER TABLE users ALTER COLUMN age SET NOT NULL;` },
  {
    name: 'UPDATE backfill in an EARLIER migration of the chain',
    migrations: [
      { name: '001_add.sql', up: 'ALTER TABLE users ADD COLUMN age int;' },
      { name: '002_backfill.sql', up: 'UPDATE users SET age = 0 WHERE age IS NULL;' },
      { name: '003_not_null.sql', up: 'ALTER TABLE users ALTER COLUMN age SET NOT NULL;' },
    ],
  },
  { name: 'CHECK NOT VALID + VALIDATE CONSTRAINT, same migration', sql: `ALTER TABLE users ADD CONSTRAINT email_nn CHECK (email IS NOT NULL) NOT VALID;\nALTER TABLE users VALIDATE CONSTRAINT email_nn;\n${SET_NN}` },
  {
    name: 'CHECK NOT VALID + VALIDATE CONSTRAINT across migrations',
    migrations: [
      { name: '001_check.sql', up: 'ALTER TABLE users ADD CONSTRAINT email_nn CHECK (email IS NOT NULL) NOT VALID;' },
      { name: '002_validate.sql', up: 'ALTER TABLE users VALIDATE CONSTRAINT email_nn;' },
      { name: '003_not_null.sql', up: SET_NN },
    ],
  },
  {
    name: 'a CHECK validated in an EARLIER migration',
    migrations: [
      { name: '001_check.sql', up: 'ALTER TABLE users ADD CONSTRAINT email_nn CHECK (email IS NOT NULL);' },
      { name: '002_not_null.sql', up: SET_NN },
    ],
  },
  {
    name: 'one CHECK covering two columns with AND',
    sql: 'ALTER TABLE t ADD CONSTRAINT ab_nn CHECK (a IS NOT NULL AND b IS NOT NULL) NOT VALID;\nALTER TABLE t VALIDATE CONSTRAINT ab_nn;\nALTER TABLE t ALTER COLUMN a SET NOT NULL, ALTER COLUMN b SET NOT NULL;',
  },
  { name: 'Postgres 18 NOT NULL NOT VALID + VALIDATE', sql: `ALTER TABLE users ADD CONSTRAINT email_nn NOT NULL email NOT VALID;\nALTER TABLE users VALIDATE CONSTRAINT email_nn;\n${SET_NN}` },
  { name: 'a table created in the same migration, empty', sql: 'CREATE TABLE t (id int);\nALTER TABLE t ADD COLUMN age int NOT NULL;\nINSERT INTO t (id, age) VALUES (1, 2);' },
  { name: 'column added with a DEFAULT in the same migration', sql: 'ALTER TABLE users ADD COLUMN age int DEFAULT 0;\nALTER TABLE users ALTER COLUMN age SET NOT NULL;' },
  {
    name: 'column already NOT NULL since its table was created',
    migrations: [
      { name: '001_create.sql', up: 'CREATE TABLE users (id int, email text NOT NULL);' },
      { name: '002_not_null.sql', up: SET_NN },
    ],
  },
  { name: 'NOT NULL in comments, strings and $$ bodies', sql: "-- ALTER TABLE users ADD COLUMN age int NOT NULL;\nSELECT 'SET NOT NULL';\nCREATE FUNCTION f() RETURNS void LANGUAGE plpgsql AS $$ BEGIN ALTER TABLE users ALTER COLUMN email SET NOT NULL; END $$;" },
  { name: 'DROP NOT NULL', sql: 'ALTER TABLE users ALTER COLUMN email DROP NOT NULL;' },
  { name: 'MySQL fills a new NOT NULL column with the implicit default', sql: 'ALTER TABLE users ADD COLUMN age int NOT NULL;', options: { dialect: 'mysql' } },
  { name: 'suppressed above a multi-line statement (finding on a later line)', sql: '-- migralint-disable-next-line require-not-null-backfill\nALTER TABLE users\n  ADD COLUMN a int,\n  ALTER COLUMN email SET NOT NULL;' },
  {
    name: 'VALIDATE of a check added outside the set, named after the column, then SET NOT NULL',
    sql: 'ALTER TABLE foo VALIDATE CONSTRAINT foo_bar_not_null;\nALTER TABLE foo ALTER COLUMN bar SET NOT NULL;\nALTER TABLE foo DROP CONSTRAINT foo_bar_not_null;',
  },
  {
    name: 'Postgres 12: the validated CHECK lets SET NOT NULL skip the scan',
    sql: 'ALTER TABLE t ADD CONSTRAINT t_a_nn CHECK (a IS NOT NULL) NOT VALID;\nALTER TABLE t VALIDATE CONSTRAINT t_a_nn;\nALTER TABLE t ALTER COLUMN a SET NOT NULL;',
    options: { config: { postgresVersion: 12 } },
  },
];

describe(RULE, () => {
  describe('must fire', () => {
    it.each(mustFire)('$name', (c) => expectFires(RULE, c));
  });
  describe('must not fire', () => {
    it.each(mustNotFire)('$name', (c) => expectSilent(RULE, c));
  });
});
