import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { MemoryKeyStore, ToolKeySet } from '../../../lti';

/** Our key set published over real HTTP, as the platform's token endpoint fetches it. */
export async function serveToolJwks(now: () => number = Date.now) {
  const keys = new ToolKeySet({ store: new MemoryKeyStore() });
  await keys.ensureKey(now());
  let fetches = 0;
  const server = http.createServer((_req, res) => {
    fetches++;
    void keys.publicJwks(now()).then((jwks) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(jwks));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks`;
  return {
    keys,
    url,
    fetches: () => fetches,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
