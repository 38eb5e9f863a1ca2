import { Migrator, type Migration, type MigrationProvider } from 'kysely';
import type { Db } from './connection';
import { migrations } from './migrations';

class StaticProvider implements MigrationProvider {
  constructor(private readonly list: Record<string, Migration>) {}
  async getMigrations(): Promise<Record<string, Migration>> {
    return this.list;
  }
}

/** Brings the schema up to date; the same migrations serve SQLite and PostgreSQL. */
export async function migrateToLatest(db: Db): Promise<string[]> {
  const migrator = new Migrator({
    db: db.kysely,
    provider: new StaticProvider(migrations),
    // Features add numbered migrations in parallel branches; order within a fresh database is still by name.
    allowUnorderedMigrations: true,
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
