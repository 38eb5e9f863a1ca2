import type { LtiTables } from './tables/lti';

/** The whole database, one interface per feature's tables (src/db/tables/*). */
export type Database = LtiTables;
