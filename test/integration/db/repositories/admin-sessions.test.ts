import { createAdminSessionRepository } from '../../../../src/db/repositories/admin-sessions';
import { createTestDb, testDialects } from '../../../support/databases';

describe.each(testDialects())('admin sessions on %s', (dialect) => {
  it('expire: an expired session reads as absent, and the purge removes expired rows only', async () => {
    const db = await createTestDb(dialect);
    let now = 1_000_000;
    const repo = createAdminSessionRepository(db, { now: () => now });
    try {
      await repo.set('old', { user: 1 }, now + 1000);
      await repo.set('fresh', { user: 2 }, now + 10_000);
      now += 5000;
      expect(await repo.purgeExpired()).toBe(1);
      expect(await repo.get('old')).toBeUndefined();
      expect(await repo.get('fresh')).toEqual({ user: 2 });
      now += 10_000;
      expect(await repo.get('fresh')).toBeUndefined();
    } finally {
      await db.drop();
    }
  });
});
