import { describe, it } from 'vitest';
import { expectFires, expectSilent, type Case } from '../helpers/lint-sql.js';

const RULE = 'no-column-type-change';

const chain = (create: string, change: string): Case['migrations'] => [
  { name: '001_create.sql', up: create },
  { name: '002_change.sql', up: change },
];

const mustFire: Case[] = [
  { name: 'int to bigint', migrations: chain('CREATE TABLE t (id int);', 'ALTER TABLE t ALTER COLUMN id TYPE bigint;'), expect: [[RULE, 1, 15, 1, 42]], message: 'Changing "t"."id" from integer to bigint', file: 'migrations/002_change.sql' },
  { name: 'varchar to a fixed-length character type, named as written', migrations: chain('CREATE TABLE t (a varchar);', 'ALTER TABLE t ALTER a TYPE character(26);'), expect: [[RULE, 1, 15]], message: 'from varchar to character(26)' },
  { name: 'shorter varchar', migrations: chain('CREATE TABLE t (a varchar(20));', 'ALTER TABLE t ALTER a TYPE varchar(10);'), expect: [[RULE, 1, 15]], message: 'from varchar(20) to varchar(10)' },
  { name: 'text to varchar(n)', migrations: chain('CREATE TABLE t (a text);', 'ALTER TABLE t ALTER a TYPE varchar(100);'), expect: [[RULE, 1, 15]] },
  { name: 'numeric scale change', migrations: chain('CREATE TABLE t (a numeric(10,2));', 'ALTER TABLE t ALTER a TYPE numeric(12,3);'), expect: [[RULE, 1, 15]] },
  { name: 'char(n) to text', migrations: chain('CREATE TABLE t (a char(5));', 'ALTER TABLE t ALTER a TYPE text;'), expect: [[RULE, 1, 15]] },
  { name: 'a USING expression', migrations: chain('CREATE TABLE t (a varchar(10));', 'ALTER TABLE t ALTER a TYPE varchar(20) USING lower(a);'), expect: [[RULE, 1, 15]], message: 'USING expression' },
  { name: 'timestamp to timestamptz without a UTC session', migrations: chain('CREATE TABLE t (a timestamp);', 'ALTER TABLE t ALTER a TYPE timestamptz;'), expect: [[RULE, 1, 15]], message: "SET timezone = 'UTC'" },
  { name: 'old type unknown', sql: 'ALTER TABLE users ALTER COLUMN name TYPE text;', expect: [[RULE, 1, 19]], message: 'The chain does not say what the old type was' },
  { name: 'second sub-command of one ALTER TABLE', migrations: chain('CREATE TABLE t (a int, b int);', 'ALTER TABLE t ALTER a TYPE int, ALTER b TYPE bigint;'), expect: [[RULE, 1, 33, 1, 52]] },
];

const mustNotFire: Case[] = [
  { name: 'longer varchar', migrations: chain('CREATE TABLE t (a varchar(10));', 'ALTER TABLE t ALTER a TYPE varchar(20);') },
  { name: 'varchar to text', migrations: chain('CREATE TABLE t (a character varying(10));', 'ALTER TABLE t ALTER a TYPE text;') },
  { name: 'dropping the length limit', migrations: chain('CREATE TABLE t (a varchar(10));', 'ALTER TABLE t ALTER a TYPE varchar;') },
  { name: 'text to unlimited varchar', migrations: chain('CREATE TABLE t (a text);', 'ALTER TABLE t ALTER a TYPE varchar;') },
  { name: 'numeric precision increase, same scale', migrations: chain('CREATE TABLE t (a numeric(10,2));', 'ALTER TABLE t ALTER a TYPE numeric(12,2);') },
  { name: 'numeric to unconstrained numeric', migrations: chain('CREATE TABLE t (a decimal(10,2));', 'ALTER TABLE t ALTER a TYPE numeric;') },
  { name: 'cidr to inet', migrations: chain('CREATE TABLE t (a cidr);', 'ALTER TABLE t ALTER a TYPE inet;') },
  { name: 'same type, other spelling', migrations: chain('CREATE TABLE t (a integer);', 'ALTER TABLE t ALTER a TYPE int4;') },
  { name: 'USING the bare column', migrations: chain('CREATE TABLE t (a varchar(10));', 'ALTER TABLE t ALTER a TYPE varchar(20) USING a;') },
  { name: 'timestamptz after SET timezone UTC', migrations: chain('CREATE TABLE t (a timestamp);', "SET timezone = 'UTC';\nALTER TABLE t ALTER a TYPE timestamptz;") },
  { name: 'table created in the same migration', sql: 'CREATE TABLE t (a int);\nALTER TABLE t ALTER a TYPE bigint;' },
  { name: 'a type changed twice keeps the latest type', migrations: [...chain('CREATE TABLE t (a varchar(5));', 'ALTER TABLE t ALTER a TYPE varchar(10);')!, { name: '003_more.sql', up: 'ALTER TABLE t ALTER a TYPE varchar(30);' }] },
];

describe(RULE, () => {
  describe('must fire', () => it.each(mustFire)('$name', (c) => expectFires(RULE, c)));
  describe('must not fire', () => it.each(mustNotFire)('$name', (c) => expectSilent(RULE, c)));
});
