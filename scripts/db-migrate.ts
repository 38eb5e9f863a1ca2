import { migrateToLatest } from '../src/db';
import { withServices } from './lib/cli';

void withServices(
  async ({ db, config }) => {
    const applied = await migrateToLatest(db);
    const where = config.database.kind === 'sqlite' ? config.database.file : 'PostgreSQL';
    console.log(applied.length ? `Applied ${applied.join(', ')} to ${where}` : `${where} is up to date.`);
    return 0;
  },
  { migrate: false },
);
