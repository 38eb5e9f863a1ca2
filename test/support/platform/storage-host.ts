import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SimulatedPlatform } from './platform';

/**
 * A platform front for browser tests (LTI side): serves the simulator's routes on its own origin, plus
 * a course page that embeds the tool and answers postMessage storage like Canvas does
 * (lti.capabilities, lti.put_data, lti.get_data), keyed by the asking tool's origin.
 */
export async function startStorageHost(
  sim: SimulatedPlatform,
): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://x');
    if (req.method === 'GET' && u.pathname === '/course/storage-launch') {
      const login = u.searchParams.get('login') ?? '';
      const params = JSON.parse(u.searchParams.get('params') ?? '{}') as Record<string, string>;
      const fields = Object.entries(params)
        .map(([k, v]) => `<input type="hidden" name="${esc(k)}" value="${esc(v)}">`)
        .join('');
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      res.end(
        `<!doctype html><html><head><title>Course (storage)</title></head><body><h1>Course page</h1>` +
          `<form id="login" method="post" action="${esc(login)}" target="toolframe">${fields}</form>` +
          `<iframe name="toolframe" id="toolframe" title="Tool" width="1000" height="700"></iframe>` +
          `<script>${STORAGE_SCRIPT}</script>` +
          `<script>document.getElementById('login').submit();</script></body></html>`,
      );
      return;
    }
    void sim.handle(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

// The platform side of LTI postMessage storage. window.ltiStorageLog records what was asked.
const STORAGE_SCRIPT = `
(function () {
  var store = {};
  window.ltiStorageLog = [];
  window.addEventListener('message', function (e) {
    var d = e.data || {};
    if (typeof d.subject !== 'string') return;
    window.ltiStorageLog.push(d.subject);
    function answer(extra) {
      var r = { subject: d.subject + '.response', message_id: d.message_id };
      for (var k in extra) r[k] = extra[k];
      e.source.postMessage(r, e.origin);
    }
    if (d.subject === 'lti.capabilities') {
      answer({ supported_messages: [{ subject: 'lti.capabilities' }, { subject: 'lti.put_data' }, { subject: 'lti.get_data' }] });
    } else if (d.subject === 'lti.put_data') {
      store[e.origin + ' ' + d.key] = d.value;
      answer({ key: d.key, value: d.value });
    } else if (d.subject === 'lti.get_data') {
      var v = store[e.origin + ' ' + d.key];
      if (v === undefined) answer({ error: { code: 'not_found', message: 'no such key' } });
      else answer({ key: d.key, value: v });
    }
  });
})();`;
