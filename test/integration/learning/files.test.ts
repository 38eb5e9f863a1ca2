import { testContent } from '../../support/app';
import { testDialects } from '../../support/databases';
import { USERS } from '../../support/platform';
import { startHarness, type Harness } from './harness';

describe.each(testDialects())('content files behind the launch session on %s', (dialect) => {
  let h: Harness;
  let ls: string;
  beforeAll(async () => {
    h = await startHarness(dialect);
    ls = (await h.launch(USERS.learner, { activity: 'rentree-6e', resourceLinkId: 'rl-files' })).ls;
  }, 60_000);
  afterAll(() => h.close());

  const attachment = () =>
    [...testContent().challenges.values()].flatMap((c) => c.attachments ?? []).find(Boolean)!.file;

  it('serves a challenge attachment as a download with a valid launch session', async () => {
    const res = await fetch(`${h.url}/learn/files/${attachment()}?download=1&ls=${ls}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename=/);
    expect((await res.arrayBuffer()).byteLength).toBeGreaterThan(0);
  });

  it('refuses without a launch session', async () => {
    const res = await fetch(`${h.url}/learn/files/${attachment()}`);
    expect(res.status).toBe(401);
  });

  it('serves nothing the content does not refer to (no path made up by the browser)', async () => {
    for (const p of [
      '../../package.json',
      '..%2F..%2Fpackage.json',
      'nope.txt',
      '1.1/../../framework.yaml',
    ]) {
      const res = await fetch(`${h.url}/learn/files/${p}?ls=${ls}`);
      expect([p, res.status]).toEqual([p, 404]);
    }
  });
});
