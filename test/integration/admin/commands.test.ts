import { adminCommand } from '../../../src/admin/admin-command';
import { verifyPassword } from '../../../src/admin/passwords';
import { platformCommand } from '../../../src/admin/platform-command';
import { systemClock } from '../../../src/clock';
import { createServices, type Services } from '../../../src/services';
import { createTestDb, testDialects, type TestDb } from '../../support/databases';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) }, out, err };
}

describe.each(testDialects())('command-line administration on %s', (dialect) => {
  let db: TestDb;
  let s: Services;
  beforeEach(async () => {
    db = await createTestDb(dialect);
    s = createServices(db, systemClock);
  });
  afterEach(() => db.drop());

  it('register a Moodle site in one command, with its endpoints derived from the site URL', async () => {
    const c = capture();
    const code = await platformCommand(
      ['add', '--moodle', 'https://moodle.lycee.example/', '--client-id', 'Xy12', '--deployment', '3'],
      s.platforms,
      c.io,
    );
    expect(code).toBe(0);
    const [p] = await s.platforms.list();
    expect(p).toMatchObject({
      issuer: 'https://moodle.lycee.example',
      clientId: 'Xy12',
      authEndpoint: 'https://moodle.lycee.example/mod/lti/auth.php',
      tokenEndpoint: 'https://moodle.lycee.example/mod/lti/token.php',
      jwksUri: 'https://moodle.lycee.example/mod/lti/certs.php',
      deploymentIds: ['3'],
      status: 'active',
    });
  });

  it('refuse incomplete input, naming each missing option, and store nothing', async () => {
    const c = capture();
    const code = await platformCommand(['add', '--issuer', 'https://lms.example'], s.platforms, c.io);
    expect(code).toBe(2);
    expect(c.err.join('\n')).toMatch(/--client-id: client id is required/);
    expect(c.err.join('\n')).toMatch(/--deployment: at least one deployment id is required/);
    expect(await s.platforms.list()).toEqual([]);
  });

  it('refuse a Moodle site given without its scheme, saying how to write it', async () => {
    const c = capture();
    const code = await platformCommand(
      ['add', '--moodle', 'moodle.lycee.example', '--client-id', 'Xy12', '--deployment', '3'],
      s.platforms,
      c.io,
    );
    expect(code).toBe(2);
    expect(c.err.join('\n')).toMatch(
      /--moodle: the Moodle site's address, with its scheme, e\.g\. https:\/\//,
    );
    expect(await s.platforms.list()).toEqual([]);
  });

  it('list, add a deployment, disable, activate and remove', async () => {
    const c = capture();
    await platformCommand(
      [
        'add',
        '--name',
        'Canvas',
        '--issuer',
        'https://canvas.instructure.com',
        '--client-id',
        '1000',
        '--deployment',
        'd1',
        '--auth-endpoint',
        'https://sso.canvaslms.com/api/lti/authorize_redirect',
        '--jwks-uri',
        'https://sso.canvaslms.com/api/lti/security/jwks',
        '--pending',
      ],
      s.platforms,
      c.io,
    );
    const [p] = await s.platforms.list();
    expect(p!.status).toBe('pending');
    expect(await platformCommand(['deployment', 'add', p!.id, 'd2'], s.platforms, c.io)).toBe(0);
    expect(await platformCommand(['activate', p!.id], s.platforms, c.io)).toBe(0);
    expect(await s.platforms.findById(p!.id)).toMatchObject({
      status: 'active',
      deploymentIds: ['d1', 'd2'],
    });
    expect(await platformCommand(['list'], s.platforms, c.io)).toBe(0);
    expect(c.out.join('\n')).toContain('deployments d1, d2');
    expect(await platformCommand(['disable', p!.id], s.platforms, c.io)).toBe(0);
    expect(await platformCommand(['remove', p!.id], s.platforms, c.io)).toBe(0);
    expect(await platformCommand(['remove', p!.id], s.platforms, c.io)).toBe(2);
    expect(await s.platforms.list()).toEqual([]);
  });

  it('create the first administrator with a slow hash, refuse a short password and a duplicate', async () => {
    const c = capture();
    expect(await adminCommand(['create', 'alice'], s.admins, async () => 'short\n', c.io)).toBe(2);
    expect(await s.admins.count()).toBe(0);
    expect(await adminCommand(['create', 'alice'], s.admins, async () => 'a long pass phrase\n', c.io)).toBe(
      0,
    );
    const a = await s.admins.findByUsername('alice');
    expect(a!.passwordHash).toMatch(/^scrypt\$32768\$/);
    expect(await verifyPassword('a long pass phrase', a!.passwordHash)).toBe(true);
    expect(await adminCommand(['create', 'alice'], s.admins, async () => 'another pass phrase', c.io)).toBe(
      2,
    );
    expect(await adminCommand(['password', 'alice'], s.admins, async () => 'another pass phrase', c.io)).toBe(
      0,
    );
    expect(
      await verifyPassword('another pass phrase', (await s.admins.findByUsername('alice'))!.passwordHash),
    ).toBe(true);
  });
});
