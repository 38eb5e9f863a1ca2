import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Clock } from '../../../../src/clock';
import { createPlatformRepository } from '../../../../src/db/repositories/platforms';
import { buildTestApp, type TestApp } from '../../../support/app';
import type { TestDb } from '../../../support/databases';
import type {
  LaunchDriverOptions,
  LaunchDriverResult,
  SimulatedPlatform,
  SimUser,
} from '../../../support/platform';

export interface ToolServer extends TestApp {
  url: string;
  close(): Promise<void>;
}

/** The real app over real HTTP on localhost (the simulator lives on 127.0.0.1: another site). */
export async function startTool(
  db: TestDb,
  opts: { clock?: Clock; env?: Record<string, string> } = {},
): Promise<ToolServer> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://localhost:${(server.address() as AddressInfo).port}`;
  const built = await buildTestApp(db, { clock: opts.clock, env: { PUBLIC_URL: url, ...opts.env } });
  server.on('request', built.app);
  return {
    ...built,
    url,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A manual registration of the simulator, as an admin would type it, active by default. */
export async function registerManually(
  db: TestDb,
  clock: Clock,
  sim: SimulatedPlatform,
  tool: ToolServer,
  status: 'active' | 'pending' = 'active',
) {
  sim.setTool({ redirectUris: [`${tool.url}/lti/launch`], jwksUrl: `${tool.url}/.well-known/jwks.json` });
  return createPlatformRepository(db, clock).add({
    ...sim.registration(),
    name: 'Simulated Moodle',
    status,
    source: 'manual',
  });
}

export const manualClock = (start = Date.now()) => {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
};

/**
 * A full launch that stops at the tool's redirect, then opens the LTI placeholder page of the launch
 * session: these tests check the LTI contract, whatever page other features route launches to.
 */
export async function launchToLtiPage(
  tool: ToolServer,
  sim: SimulatedPlatform,
  user: SimUser,
  opts: LaunchDriverOptions = {},
): Promise<{ status: number; body: string; ls: string | null; launch: LaunchDriverResult; url: string }> {
  const launch = await sim.loginAndLaunch(tool.url, user, { ...opts, followRedirects: false });
  const location = launch.response.headers.get('location');
  if (launch.response.status !== 303 || !location) {
    return { status: launch.response.status, body: launch.body, ls: null, launch, url: launch.url };
  }
  const ls = new URL(location, tool.url).searchParams.get('ls');
  const page = opts.messageType === 'LtiDeepLinkingRequest' ? 'deep-linking' : 'activity';
  const url = `${tool.url}/lti/${page}?ls=${encodeURIComponent(ls ?? '')}`;
  const res = await fetch(url);
  return { status: res.status, body: await res.text(), ls, launch, url };
}
