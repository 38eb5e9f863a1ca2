import request from 'supertest';
import { buildTestApp } from '../../support/app';
import { createTestDb, testDialects, type TestDb } from '../../support/databases';

// A load balancer keeps sending launches to a process only while /readyz says its database answers.
describe.each(testDialects())('health and readiness on %s', (dialect) => {
  let db: TestDb;
  beforeAll(async () => {
    db = await createTestDb(dialect);
  });
  afterAll(() => db.drop());

  it('ready while the database answers; 503 (and still alive) once it does not', async () => {
    const { app } = await buildTestApp(db);
    expect((await request(app).get('/readyz').expect(200)).body).toEqual({
      status: 'ready',
      database: dialect,
    });
    await db.kysely.destroy();
    expect((await request(app).get('/readyz').expect(503)).body).toEqual({
      status: 'unavailable',
      database: dialect,
    });
    expect((await request(app).get('/healthz').expect(200)).body).toEqual({ status: 'ok' });
  });
});
