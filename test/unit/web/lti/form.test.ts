import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { readCookie } from '../../../../src/web/lti/cookies';
import { ltiForm } from '../../../../src/web/lti/form';

let server: http.Server;
let url: string;

beforeAll(async () => {
  const app = express();
  app.post('/form', ltiForm({ limitBytes: 2_000, maxFields: 5 }), (req, res) => {
    res.json({
      body: req.body as unknown,
      proto: Object.getPrototypeOf(req.body) === Object.prototype,
      state: readCookie(req, 'ltitool_state_abc') ?? null,
    });
  });
  app.use(((err, _req, res, _next) => {
    res.status((err as { status: number }).status).json({ code: (err as { code: string }).code });
  }) as express.ErrorRequestHandler);
  server = http.createServer(app);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/form`;
});
afterAll(() => new Promise((r) => server.close(r)));

const post = (body: string | Blob, headers: Record<string, string> = {}) =>
  fetch(url, {
    method: 'POST',
    body,
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
  });

describe('ltiForm (login and launch bodies)', () => {
  it('gives strings per field and arrays for repeated fields, decoded as UTF-8', async () => {
    const res = await post('id_token=a.b.c&state=s%2B1&hint=%7B%22x%22%3A%C3%A9%7D&r=1&r=2');
    expect(res.status).toBe(200);
    expect((await res.json()).body).toEqual({
      id_token: 'a.b.c',
      state: 's+1',
      hint: '{"x":é}',
      r: ['1', '2'],
    });
  });

  it('keeps a field named __proto__ a plain field', async () => {
    const res = await post('__proto__=x&state=s');
    const json = await res.json();
    expect(json.proto).toBe(true);
    expect(json.body.state).toBe('s');
  });

  it('gives {} for a body of another type', async () => {
    const res = await post('{"state":"s"}', { 'Content-Type': 'application/json' });
    expect((await res.json()).body).toEqual({});
  });

  it('refuses bodies over the limit or with too many fields (413)', async () => {
    const big = await post(`id_token=${'a'.repeat(3_000)}`);
    expect(big.status).toBe(413);
    const many = await post('a=1&b=2&c=3&d=4&e=5&f=6');
    expect(many.status).toBe(413);
  });

  it('refuses another charset or a compressed body (415)', async () => {
    const latin1 = await post('state=s', {
      'Content-Type': 'application/x-www-form-urlencoded; charset=latin1',
    });
    expect(latin1.status).toBe(415);
    const utf8 = await post('state=s', {
      'Content-Type': 'application/x-www-form-urlencoded; charset=UTF-8',
    });
    expect(utf8.status).toBe(200);
    const gz = await post(new Blob([new Uint8Array([0x1f, 0x8b])]), { 'Content-Encoding': 'gzip' });
    expect(gz.status).toBe(415);
  });

  it('readCookie reads one cookie from the header when cookie-parser did not run', async () => {
    const res = await post('state=s', {
      Cookie: 'other=1; ltitool_state_abc=%22v%22; ltitool_state_abc=second',
    });
    expect((await res.json()).state).toBe('"v"');
    const none = await post('state=s', { Cookie: 'ltitool_state_abcd=1' });
    expect((await none.json()).state).toBeNull();
  });
});
