/**
 * The text pre-check of "is this JS/TS file a Knex migration" (./detect.ts), on its own so that
 * discovery can ask it without loading the Knex reader and its JS parser (oxc-parser, a native
 * addon): a folder of SQL migrations beside a few unrelated scripts never needs either.
 */

/** Something that may be an `up` export. Files without it are not Knex migrations. */
export const MAY_EXPORT_UP = /\bup\b/;
