/** The safety filter decides on the real Postgres parse tree, never on the text. */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadSafety, unsafeReason } from '../../src/confirm/safety.js';

beforeAll(async () => {
  await loadSafety();
});

describe('statements that reach outside the database are refused', () => {
  it.each([
    ["COPY users TO PROGRAM 'touch /tmp/x'", 'COPY ... TO PROGRAM runs a program on the server'],
    ["COPY users FROM PROGRAM 'curl evil'", 'COPY ... FROM PROGRAM runs a program on the server'],
    ["COPY users TO '/tmp/users.csv'", "COPY ... TO a file reads or writes the server's file system"],
    ['COPY users FROM STDIN', 'COPY ... FROM STDIN needs rows on the client connection, which a replay does not send'],
    ["ALTER SYSTEM SET work_mem = '1GB'", 'ALTER SYSTEM changes the server configuration'],
    ['CREATE DATABASE other', 'CREATE DATABASE acts outside the throwaway database'],
    ['DROP DATABASE production', 'DROP DATABASE acts outside the throwaway database'],
    ["ALTER DATABASE production SET search_path = x", 'ALTER DATABASE acts on a database by name'],
    ["CREATE ROLE app LOGIN PASSWORD 'x'", 'roles are shared by every database of the server'],
    ["CREATE USER app", 'roles are shared by every database of the server'],
    ['ALTER ROLE postgres NOSUPERUSER', 'roles are shared by every database of the server'],
    ['DROP ROLE app', 'roles are shared by every database of the server'],
    ['GRANT postgres TO app', 'role membership is shared by every database of the server'],
    ['GRANT CONNECT ON DATABASE production TO app', 'it acts on a database, which lives outside the database'],
    ["LOAD 'auto_explain'", 'LOAD loads native code into the server'],
    ['CREATE EXTENSION dblink', 'extension "dblink" is not on the allow-list of extensions that stay inside the database'],
    ['CREATE EXTENSION IF NOT EXISTS postgres_fdw', 'extension "postgres_fdw" is not on the allow-list of extensions that stay inside the database'],
    ["CREATE SERVER s FOREIGN DATA WRAPPER postgres_fdw OPTIONS (host 'x')", 'foreign servers reach outside the database'],
    ["CREATE USER MAPPING FOR CURRENT_USER SERVER s OPTIONS (user 'u')", 'user mappings hold credentials for foreign servers'],
    ["SELECT dblink_exec('host=x', 'DROP TABLE t')", 'it calls dblink_exec(), which reaches outside the database'],
    ["SELECT lo_import('/etc/passwd')", 'it calls lo_import(), which reaches outside the database'],
    ["SELECT lo_export(1, '/tmp/x')", 'it calls lo_export(), which reaches outside the database'],
    ["SELECT * FROM pg_ls_dir('.')", 'it calls pg_ls_dir(), which reaches outside the database'],
    ["INSERT INTO t (body) VALUES (pg_read_file('/etc/passwd'))", 'it calls pg_read_file(), which reaches outside the database'],
    ["CREATE TABLE t (body bytea DEFAULT pg_catalog.pg_read_binary_file('/etc/hosts'))", 'it calls pg_read_binary_file(), which reaches outside the database'],
    ["CREATE VIEW v AS WITH x AS (SELECT pg_stat_file('/')) SELECT * FROM x", 'it calls pg_stat_file(), which reaches outside the database'],
    ['SELECT pg_terminate_backend(pid) FROM pg_stat_activity', 'it calls pg_terminate_backend(), which reaches outside the database'],
    ["SET session_preload_libraries = 'evil'", 'SET session_preload_libraries loads native code into the server'],
    ["CREATE TABLESPACE t LOCATION '/tmp'", 'tablespaces are directories on the server'],
    ["CREATE SUBSCRIPTION s CONNECTION 'host=x' PUBLICATION p", 'a subscription connects to another server'],
  ])('%s', (sql, reason) => {
    expect(unsafeReason(sql)).toBe(reason);
  });

  it('looks inside DO blocks and function bodies, in PL/pgSQL and SQL', () => {
    expect(unsafeReason("DO $$ BEGIN PERFORM pg_read_file('/etc/passwd'); END $$")).toBe('the DO block calls pg_read_file(), which reaches outside the database');
    expect(unsafeReason("DO $$ DECLARE x text; BEGIN x := pg_read_file('/etc/passwd'); END $$")).toBe('the DO block calls pg_read_file(), which reaches outside the database');
    expect(unsafeReason("DO $$ BEGIN IF true THEN COPY t TO PROGRAM 'id'; END IF; END $$")).toMatch(/^the DO block runs a statement where COPY \.\.\. TO PROGRAM runs a program on the server$/);
    expect(unsafeReason("DO $$ BEGIN EXECUTE 'ALTER SYSTEM SET fsync = off'; END $$")).toBe('the DO block runs EXECUTE of SQL that ALTER SYSTEM changes the server configuration');
    expect(unsafeReason("DO $$ BEGIN EXECUTE format('DROP TABLE %I', 'x'); END $$")).toBe('the DO block runs EXECUTE on SQL built at run time, which cannot be checked before it runs');
    expect(unsafeReason("CREATE FUNCTION f() RETURNS text LANGUAGE plpgsql AS $$ BEGIN RETURN pg_read_file('x'); END $$")).toBe('the function calls pg_read_file(), which reaches outside the database');
    expect(unsafeReason("CREATE FUNCTION f() RETURNS text LANGUAGE sql AS $$ SELECT pg_read_file('x') $$")).toBe('the function body: it calls pg_read_file(), which reaches outside the database');
    expect(unsafeReason('CREATE FUNCTION f() RETURNS text LANGUAGE sql BEGIN ATOMIC SELECT lo_import(\'/etc/passwd\')::text; END')).toBe('it calls lo_import(), which reaches outside the database');
    expect(unsafeReason("CREATE FUNCTION f() RETURNS int LANGUAGE plpython3u AS $$ import os $$")).toBe('the function is written in plpython3u, which can run code outside the database');
    expect(unsafeReason("CREATE FUNCTION f() RETURNS int LANGUAGE c AS 'evil.so', 'f'")).toBe('the function is written in c, which can run code outside the database');
  });

  it('lets ordinary migration statements through (false-positive traps)', () => {
    for (const sql of [
      'CREATE TABLE users (id bigserial PRIMARY KEY, email text)',
      "COMMENT ON TABLE users IS 'COPY users TO PROGRAM pg_read_file'",
      "INSERT INTO notes (body) VALUES ('pg_read_file(''/etc/passwd'')')",
      'CREATE EXTENSION IF NOT EXISTS pgcrypto',
      'CREATE EXTENSION "uuid-ossp"',
      'CREATE INDEX CONCURRENTLY users_email_idx ON users (email)',
      "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_type WHERE typname = 'mood') THEN CREATE TYPE mood AS ENUM ('ok'); END IF; END $$",
      "DO $$ BEGIN EXECUTE 'CREATE INDEX i ON t (c)'; END $$",
      'CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.updated_at := now(); RETURN NEW; END $$',
      'GRANT SELECT ON users TO PUBLIC',
      "SET lock_timeout = '5s'",
      'SELECT pg_sleep(0)',
    ]) {
      expect(unsafeReason(sql), sql).toBeUndefined();
    }
  });

  it('checks the statement node the parser already produced', () => {
    expect(unsafeReason('ignored text', { CopyStmt: { is_program: true, is_from: false, filename: 'id' } })).toBe('COPY ... TO PROGRAM runs a program on the server');
  });
});
