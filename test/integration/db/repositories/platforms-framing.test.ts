import { frameAncestorOrigins } from '../../../../lti';
import { createPlatformRepository } from '../../../../src/db/repositories/platforms';
import { createTestDb, testDialects, type TestDb } from '../../../support/databases';

// Who may frame the tool's pages (CSP frame-ancestors): read from the active platforms' web addresses.
describe.each(testDialects())('the platforms allowed to frame the tool, on %s', (dialect) => {
  let db: TestDb;
  beforeAll(async () => {
    db = await createTestDb(dialect);
  });
  afterAll(() => db.drop());

  it("lists each active platform's auth endpoint origin, the Canvas cloud's school hosts, and no pending one", async () => {
    const platforms = createPlatformRepository(db, { now: () => 1_700_000_000_000 });
    const base = {
      source: 'manual' as const,
      deploymentIds: ['1'],
      tokenEndpoint: null,
      authorizationServer: null,
    };
    await platforms.add({
      ...base,
      issuer: 'https://moodle.lycee.example',
      clientId: 'm1',
      name: 'Moodle',
      authEndpoint: 'https://moodle.lycee.example/mod/lti/auth.php',
      jwksUri: 'https://moodle.lycee.example/mod/lti/certs.php',
      status: 'active',
    });
    await platforms.add({
      ...base,
      issuer: 'https://canvas.instructure.com',
      clientId: '10000000000001',
      name: 'Canvas',
      authEndpoint: 'https://sso.canvaslms.com/api/lti/authorize_redirect',
      jwksUri: 'https://sso.canvaslms.com/api/lti/security/jwks',
      status: 'active',
    });
    await platforms.add({
      ...base,
      issuer: 'https://pending.example',
      clientId: 'p1',
      name: 'Pending',
      authEndpoint: 'https://pending.example/auth',
      jwksUri: 'https://pending.example/jwks',
      status: 'pending',
    });
    expect(frameAncestorOrigins(await platforms.activeWebAddresses()).sort()).toEqual([
      'https://*.instructure.com',
      'https://moodle.lycee.example',
      'https://sso.canvaslms.com',
    ]);
  });
});
