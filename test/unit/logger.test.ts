import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import express from 'express';
import { createLogger, logWithRequest, requestLogger } from '../../src/logger';

/** An app whose request lines land in `lines`, with a route per kind of answer. */
async function serve() {
  const lines: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      for (const l of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(l));
      cb();
    },
  });
  const logger = createLogger('info', sink);
  const app = express();
  app.use(requestLogger(logger, () => 'generated-id'));
  app.post('/lti/launch', (_req, res) => {
    logWithRequest(res, { lti: 'launch accepted', platformId: 'p1', status: 'not-this-one' });
    res.cookie('ltitool_ls', 'secret-session-token');
    res.redirect(303, '/learn?ls=secret-session-token');
  });
  app.get('/boom', (req, res) => {
    res.status(500).send(req.id);
  });
  const server = http.createServer(app);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const settle = () => new Promise((r) => setTimeout(r, 20));
  return { url, lines, settle, close: () => new Promise((r) => server.close(r)) };
}

describe('requestLogger', () => {
  it('writes one line per request: id, method, path without query, status, duration; never a token', async () => {
    const s = await serve();
    try {
      const res = await fetch(`${s.url}/lti/launch?ls=query-token`, { method: 'POST', redirect: 'manual' });
      expect(res.status).toBe(303);
      expect(res.headers.get('x-request-id')).toBe('generated-id');
      await s.settle();
      expect(s.lines).toHaveLength(1);
      const line = s.lines[0]!;
      expect(line).toMatchObject({
        level: 30,
        msg: 'request completed',
        reqId: 'generated-id',
        method: 'POST',
        url: '/lti/launch',
        status: 303,
        // An event of the request rides on its line; the request's own fields win.
        lti: 'launch accepted',
        platformId: 'p1',
      });
      expect(typeof line.responseTime).toBe('number');
      const text = JSON.stringify(line);
      expect(text).not.toContain('secret-session-token');
      expect(text).not.toContain('query-token');
    } finally {
      await s.close();
    }
  });

  it('keeps a well-formed incoming X-Request-Id, replaces a malformed one, and logs 5xx as errors', async () => {
    const s = await serve();
    try {
      const kept = await fetch(`${s.url}/boom`, { headers: { 'X-Request-Id': 'from-proxy-42' } });
      expect(kept.headers.get('x-request-id')).toBe('from-proxy-42');
      expect(await kept.text()).toBe('from-proxy-42');
      const replaced = await fetch(`${s.url}/boom`, { headers: { 'X-Request-Id': 'bad id\u00e9<script>' } });
      expect(replaced.headers.get('x-request-id')).toBe('generated-id');
      await s.settle();
      expect(s.lines.map((l) => [l.level, l.msg, l.reqId, l.status])).toEqual([
        [50, 'request failed', 'from-proxy-42', 500],
        [50, 'request failed', 'generated-id', 500],
      ]);
    } finally {
      await s.close();
    }
  });
});
