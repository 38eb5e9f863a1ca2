import type { GradeTables } from './tables/grades';
import type { LearningTables } from './tables/learning';
import type { LtiTables } from './tables/lti';
import type { SettingsTables } from './tables/settings';

/** The whole database, one interface per feature's tables (src/db/tables/*). */
export type Database = LtiTables & SettingsTables & LearningTables & GradeTables;
