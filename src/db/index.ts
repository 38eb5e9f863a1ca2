export { openDb, ping, type Db, type Dialect, type DatabaseTarget } from './connection';
export { migrateToLatest } from './migrate';
export type { Database } from './schema';
