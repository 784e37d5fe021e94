import { it } from 'vitest';
import { lintSql, lintUp } from '../helpers/lint-sql.js';
const show = (label: string, fs: any[]) => console.log(label + '\n' + fs.map((f) => `  ${f.ruleId} ${f.file} ${f.line}:${f.column}-${f.endLine}:${f.endColumn} ${JSON.stringify(f.text)} | ${f.message}`).join('\n'));
it('probe', async () => {
  show('nosemi comment', await lintUp('DROP TABLE a -- bye\n'));
  show('syntax then nosemi', await lintUp('SELEC 1;\nDROP TABLE a -- bye\n'));
  show('syntax at end', await lintUp('DROP TABLE a;\nSELECT (1;'));
  show('syntax mid', await lintUp('DROP TABLE a; /* c */ SELEC 1; TRUNCATE b /* d */;\nDROP TABLE é'));
  show('validated check same mig', await lintUp('ALTER TABLE t ADD CONSTRAINT ck CHECK (c IS NOT NULL);\nALTER TABLE t ALTER COLUMN c SET NOT NULL;'));
  show('validated check same stmt', await lintUp('ALTER TABLE t ADD CONSTRAINT ck CHECK (c IS NOT NULL), ALTER COLUMN c SET NOT NULL;'));
  show('validated check earlier mig', await lintSql([{ name: '1.sql', up: 'ALTER TABLE t ADD CONSTRAINT ck CHECK (c IS NOT NULL);' }, { name: '2.sql', up: 'ALTER TABLE t ALTER COLUMN c SET NOT NULL;' }]));
  show('notvalid+validate same', await lintUp('ALTER TABLE t ADD CONSTRAINT ck CHECK (c IS NOT NULL) NOT VALID;\nALTER TABLE t VALIDATE CONSTRAINT ck;\nALTER TABLE t ALTER COLUMN c SET NOT NULL;'));
  show('function body', await lintUp("CREATE FUNCTION f() RETURNS void AS $$\nBEGIN\n  DROP TABLE users;\nEND\n$$ LANGUAGE plpgsql;\nDO $body$ BEGIN TRUNCATE t; END $body$;"));
});
