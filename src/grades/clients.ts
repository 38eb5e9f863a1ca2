import { AgsClient, NrpsClient, TokenClient, type Fetch, type ToolSigner } from '../../lti';
import type { Clock } from '../clock';
import { fetchWithTimeout } from '../delivery/http';

export interface ServiceClients {
  tokens: TokenClient;
  ags: AgsClient;
  nrps: NrpsClient;
}

/**
 * The LTI Advantage service clients sharing one token cache (per platform and scopes), with a
 * timeout on every call so a hanging platform cannot hold a worker or a teacher's page.
 */
export function createServiceClients(deps: {
  signer: ToolSigner;
  clock: Clock;
  fetch?: Fetch;
  timeoutMs?: number;
}): ServiceClients {
  const base: Fetch = deps.fetch ?? ((input, init) => fetch(input, init));
  const timed = fetchWithTimeout(base, deps.timeoutMs ?? 15_000);
  const tokens = new TokenClient({ fetch: timed, clock: deps.clock, signer: deps.signer });
  return {
    tokens,
    ags: new AgsClient({ tokens, fetch: timed, clock: deps.clock }),
    nrps: new NrpsClient({ tokens, fetch: timed, clock: deps.clock }),
  };
}
