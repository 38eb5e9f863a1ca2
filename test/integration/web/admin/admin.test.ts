import request from 'supertest';
import { hashPassword } from '../../../../src/admin/passwords';
import { createTestDb, testDialects, type TestDb } from '../../../support/databases';
import { buildTestApp, type TestApp } from '../../../support/app';

const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';

async function signIn(t: TestApp, username = 'alice', password = 'correct horse battery') {
  const agent = request.agent(t.app);
  const page = await agent.get('/admin/login').expect(200);
  const res = await agent
    .post('/admin/login')
    .type('form')
    .send({ _csrf: csrfOf(page.text), username, password });
  return { agent, res };
}

const moodle = {
  name: 'Moodle du lycée',
  issuer: 'https://moodle.example.org',
  clientId: 'abc123',
  deploymentIds: '1, 2',
  authEndpoint: 'https://moodle.example.org/mod/lti/auth.php',
  tokenEndpoint: 'https://moodle.example.org/mod/lti/token.php',
  jwksUri: 'https://moodle.example.org/mod/lti/certs.php',
  active: 'on',
};

describe.each(testDialects())('admin pages on %s', (dialect) => {
  let db: TestDb;
  let t: TestApp;
  beforeAll(async () => {
    db = await createTestDb(dialect);
    t = await buildTestApp(db);
    await t.services.admins.create('alice', await hashPassword('correct horse battery'));
  });
  afterAll(() => db.drop());

  it('send an anonymous visitor to the sign-in page', async () => {
    const res = await request(t.app).get('/admin').expect(303);
    expect(res.headers.location).toBe('/admin/login');
  });

  it('refuse a wrong password with 401 and the same message as an unknown user', async () => {
    const wrong = await signIn(t, 'alice', 'wrong password!!');
    const unknown = await signIn(t, 'mallory', 'wrong password!!');
    expect(wrong.res.status).toBe(401);
    expect(unknown.res.status).toBe(401);
    expect(wrong.res.text).toContain('Identifiant ou mot de passe incorrect');
    expect(unknown.res.text).toContain('Identifiant ou mot de passe incorrect');
  });

  it('refuse a form without the CSRF token', async () => {
    const agent = request.agent(t.app);
    await agent.get('/admin/login');
    const res = await agent
      .post('/admin/login')
      .type('form')
      .send({ username: 'alice', password: 'correct horse battery' });
    expect(res.status).toBe(403);
    expect(res.text).toContain('csrf_invalid');
  });

  it('let an administrator add, disable, activate and remove a platform', async () => {
    const { agent, res } = await signIn(t);
    expect(res.status).toBe(303);
    const form = await agent.get('/admin/platforms/new').expect(200);
    const added = await agent
      .post('/admin/platforms')
      .type('form')
      .send({ ...moodle, _csrf: csrfOf(form.text) });
    expect(added.status).toBe(303);
    const [p] = await t.services.platforms.list();
    expect(p).toMatchObject({
      issuer: moodle.issuer,
      clientId: 'abc123',
      status: 'active',
      deploymentIds: ['1', '2'],
    });

    const list = await agent.get('/admin').expect(200);
    expect(list.text).toContain('Plateforme Moodle du lycée ajoutée.');
    const csrf = csrfOf(list.text);
    await agent.post(`/admin/platforms/${p!.id}/disable`).type('form').send({ _csrf: csrf }).expect(303);
    expect((await t.services.platforms.findById(p!.id))?.status).toBe('disabled');
    await agent.post(`/admin/platforms/${p!.id}/activate`).type('form').send({ _csrf: csrf }).expect(303);
    expect((await t.services.platforms.findById(p!.id))?.status).toBe('active');

    const dup = await agent
      .post('/admin/platforms')
      .type('form')
      .send({ ...moodle, _csrf: csrf });
    expect(dup.status).toBe(409);

    await agent.post(`/admin/platforms/${p!.id}/remove`).type('form').send({ _csrf: csrf }).expect(303);
    expect(await t.services.platforms.list()).toEqual([]);
    await agent.post(`/admin/platforms/${p!.id}/remove`).type('form').send({ _csrf: csrf }).expect(404);
  });

  it('let an administrator add a deployment id to a registered platform, and refuse an empty one', async () => {
    const { agent } = await signIn(t);
    const form = await agent.get('/admin/platforms/new').expect(200);
    await agent
      .post('/admin/platforms')
      .type('form')
      .send({ ...moodle, _csrf: csrfOf(form.text) })
      .expect(303);
    const [p] = await t.services.platforms.list();
    const list = await agent.get('/admin').expect(200);
    expect(list.text).toContain(`for="deployment-${p!.id}"`);
    const csrf = csrfOf(list.text);
    await agent
      .post(`/admin/platforms/${p!.id}/deployments`)
      .type('form')
      .send({ _csrf: csrf, deploymentId: ' 7 ' })
      .expect(303);
    expect((await t.services.platforms.findById(p!.id))?.deploymentIds.sort()).toEqual(['1', '2', '7']);
    expect((await agent.get('/admin').expect(200)).text).toContain('ID de déploiement 7 ajouté');
    // The same id again changes nothing; an empty one is refused with what to type.
    await agent
      .post(`/admin/platforms/${p!.id}/deployments`)
      .type('form')
      .send({ _csrf: csrf, deploymentId: '7' });
    for (const bad of ['  ', 'x'.repeat(256), 'a\u0000b']) {
      const refused = await agent
        .post(`/admin/platforms/${p!.id}/deployments`)
        .type('form')
        .send({ _csrf: csrf, deploymentId: bad })
        .expect(422);
      expect(refused.text).toContain('ID de déploiement refusé pour Moodle du lycée');
      expect(refused.text).toContain('role="alert"');
    }
    expect((await t.services.platforms.findById(p!.id))?.deploymentIds.sort()).toEqual(['1', '2', '7']);
    // Without the form's token: refused.
    await agent
      .post(`/admin/platforms/${p!.id}/deployments`)
      .type('form')
      .send({ deploymentId: '8' })
      .expect(403);
    await t.services.platforms.remove(p!.id);
  });

  it('explain every invalid field with 422 and keep what was typed', async () => {
    const { agent } = await signIn(t);
    const form = await agent.get('/admin/platforms/new');
    const res = await agent
      .post('/admin/platforms')
      .type('form')
      .send({
        _csrf: csrfOf(form.text),
        name: 'X',
        issuer: 'not a url',
        clientId: '',
        jwksUri: 'http://evil.example/jwks',
      });
    expect(res.status).toBe(422);
    expect(res.text).toContain('issuer (Platform ID) must be an absolute URL');
    expect(res.text).toContain('client id is required');
    expect(res.text).toContain('must use https');
    expect(res.text).toContain('at least one deployment id is required');
    expect(res.text).toContain('value="not a url"');
    expect(await t.services.platforms.list()).toEqual([]);
  });

  it('show the URLs to paste into an LMS and issue a one-time registration URL', async () => {
    const { agent } = await signIn(t);
    const page = await agent.get('/admin/config').set('Accept-Language', 'en').expect(200);
    expect(page.text).toContain('http://localhost:3999/lti/login');
    expect(page.text).toContain('http://localhost:3999/.well-known/jwks.json');
    expect(page.text).toContain('http://localhost:3999/lti/register');
    const issued = await agent
      .post('/admin/registration-tokens')
      .type('form')
      .send({ _csrf: csrfOf(page.text) })
      .expect(200);
    const token = /lti\/register\?token(?:=|&#x3D;)([\w-]+)/.exec(issued.text)?.[1];
    expect(token).toBeDefined();
    expect(await t.services.registrationTokens.consume(token!)).toBe(true);
    expect(await t.services.registrationTokens.consume(token!)).toBe(false);
    const longNote = await agent
      .post('/admin/registration-tokens')
      .type('form')
      .send({ _csrf: csrfOf(page.text), note: 'x'.repeat(500) });
    expect(longNote.status).toBe(200);
    expect((await t.services.registrationTokens.list()).map((r) => r.note?.length)).toContain(200);
  });

  it('keep a session in the database, usable by a second process, until sign-out', async () => {
    const { agent, res } = await signIn(t);
    const cookie = res.headers['set-cookie']![0]!.split(';')[0]!;
    const other = await buildTestApp(db);
    await request(other.app).get('/admin').set('Cookie', cookie).expect(200);
    const page = await agent.get('/admin');
    await agent
      .post('/admin/logout')
      .type('form')
      .send({ _csrf: csrfOf(page.text) })
      .expect(303);
    await request(other.app).get('/admin').set('Cookie', cookie).expect(303);
  });

  it('expire a session after its lifetime', async () => {
    let now = Date.now();
    const clocked = await buildTestApp(db, { clock: { now: () => now } });
    const agent = request.agent(clocked.app);
    const page = await agent.get('/admin/login');
    await agent
      .post('/admin/login')
      .type('form')
      .send({ _csrf: csrfOf(page.text), username: 'alice', password: 'correct horse battery' })
      .expect(303);
    await agent.get('/admin').expect(200);
    now += 3 * 3_600_000;
    await agent.get('/admin').expect(303);
  });
});
