import { z } from 'zod';
import { SCOPES, storableIdSchema } from './claims';
import { LtiError } from './errors';
import type { Fetch } from './types';

export const PLATFORM_CONFIGURATION_CLAIM = 'https://purl.imsglobal.org/spec/lti-platform-configuration';
export const TOOL_CONFIGURATION_CLAIM = 'https://purl.imsglobal.org/spec/lti-tool-configuration';

/** An absolute http(s) URL without credentials: what every endpoint we will call or redirect to must be. */
export function isEndpointUrl(v: string): boolean {
  try {
    const u = new URL(v);
    const web = u.protocol === 'https:' || u.protocol === 'http:';
    return web && !u.username && !u.password && !v.includes('\u0000');
  } catch {
    return false;
  }
}
// Stored and indexed: bounded so that a platform cannot overflow an index entry (PostgreSQL's limit
// is about 2,700 bytes for the issuer and client id together).
const endpoint = z.string().min(1).max(2000).refine(isEndpointUrl, 'an absolute http(s) URL');

export const platformConfigurationSchema = z.looseObject({
  issuer: z.string().min(1).max(1000).refine(isEndpointUrl, 'an absolute http(s) URL'),
  authorization_endpoint: endpoint,
  token_endpoint: endpoint,
  jwks_uri: endpoint,
  registration_endpoint: endpoint,
  authorization_server: z.string().max(2000).optional(),
  scopes_supported: z.array(z.string()).optional(),
  [PLATFORM_CONFIGURATION_CLAIM]: z.looseObject({
    product_family_code: z.string().optional(),
    version: z.string().optional(),
    messages_supported: z.array(z.looseObject({ type: z.string() })).optional(),
    variables: z.array(z.string()).optional(),
  }),
});
export type PlatformConfiguration = z.infer<typeof platformConfigurationSchema>;

/** What the tool says about itself; URLs absolute. */
export interface ToolRegistrationConfig {
  clientName: string;
  /** Our OIDC login URL. */
  initiateLoginUri: string;
  /** Our launch URL(s). */
  redirectUris: string[];
  /** Default resource link launch target. */
  targetLinkUri: string;
  /** Where deep linking requests go; defaults to targetLinkUri. */
  deepLinkingUri?: string;
  jwksUri: string;
  logoUri?: string;
  description?: string;
  /** Defaults to the host of targetLinkUri. */
  domain?: string;
  /** Defaults to AGS (line items, results, scores) and NRPS. */
  scopes?: string[];
  customParameters?: Record<string, string>;
}

export interface RegisterOptions {
  /** The `openid_configuration` query parameter the platform opened us with. */
  openidConfigurationUrl: unknown;
  registrationToken?: string | null;
  tool: ToolRegistrationConfig;
  fetch: Fetch;
  /** Accept http:// configuration URLs (tests, local simulators). Default false. */
  allowInsecure?: boolean;
}

/** What the app stores as a platform (status is the app's decision: pending until an admin activates). */
export interface RegistrationResult {
  issuer: string;
  clientId: string;
  authEndpoint: string;
  tokenEndpoint: string;
  authorizationServer: string | null;
  jwksUri: string;
  deploymentIds: string[];
  productFamilyCode: string | null;
  configuration: PlatformConfiguration;
  /** The platform's answer, as received. */
  response: Record<string, unknown>;
}

export function parseConfigurationUrl(raw: unknown, allowInsecure = false): URL {
  if (typeof raw !== 'string' || raw === '') throw new LtiError('registration_url_invalid', 'missing');
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new LtiError('registration_url_invalid', 'not a URL');
  }
  const okProtocol = u.protocol === 'https:' || (allowInsecure && u.protocol === 'http:');
  if (!okProtocol || u.username || u.password) throw new LtiError('registration_url_invalid', u.protocol);
  return u;
}

/** Same origin as the configuration URL, or the URL starts with the issuer (issuer with a path). */
/**
 * Hosted platforms whose issuer is not the origin that serves their configuration: Instructure's Canvas
 * cloud uses one issuer per environment for every school, while each school's configuration is served
 * from its own `*.instructure.com` host (or the shared `sso.*canvaslms.com`).
 */
export const MULTI_HOST_ISSUERS: Readonly<Record<string, RegExp>> = {
  'https://canvas.instructure.com': /^(?:[a-z0-9-]+\.instructure\.com|sso\.canvaslms\.com)$/,
  'https://canvas.beta.instructure.com': /^(?:[a-z0-9-]+\.beta\.instructure\.com|sso\.beta\.canvaslms\.com)$/,
  'https://canvas.test.instructure.com': /^(?:[a-z0-9-]+\.test\.instructure\.com|sso\.test\.canvaslms\.com)$/,
};

/**
 * Where those platforms show a tool: each school's own host frames it, not the shared auth endpoint
 * (`sso.canvaslms.com`), so framing must allow the whole family of hosts.
 */
export const MULTI_HOST_FRAME_ORIGINS: Readonly<Record<string, string>> = {
  'https://canvas.instructure.com': 'https://*.instructure.com',
  'https://canvas.beta.instructure.com': 'https://*.beta.instructure.com',
  'https://canvas.test.instructure.com': 'https://*.test.instructure.com',
};

/**
 * The origins that may frame the tool for these platforms: each one's auth endpoint origin (an issuer
 * is not always a web origin), and for hosted platforms whose schools each have their own host
 * (Canvas cloud) that family of hosts. A malformed address is skipped rather than break the list.
 */
export function frameAncestorOrigins(
  platforms: ReadonlyArray<{ issuer: string; authEndpoint: string }>,
): string[] {
  const origins = new Set<string>();
  for (const p of platforms) {
    const family = MULTI_HOST_FRAME_ORIGINS[p.issuer.replace(/\/+$/, '')];
    if (family) origins.add(family);
    if (URL.canParse(p.authEndpoint)) origins.add(new URL(p.authEndpoint).origin);
  }
  return [...origins];
}

export function issuerConsistent(issuer: string, configUrl: URL): boolean {
  let iss: URL;
  try {
    iss = new URL(issuer);
  } catch {
    return false;
  }
  if (iss.origin === configUrl.origin) return true;
  const hosts = MULTI_HOST_ISSUERS[issuer.replace(/\/+$/, '')];
  if (hosts && configUrl.protocol === 'https:' && hosts.test(configUrl.hostname)) return true;
  return configUrl.toString().startsWith(issuer.endsWith('/') ? issuer : `${issuer}/`);
}

export async function fetchPlatformConfiguration(url: URL, fetch: Fetch): Promise<PlatformConfiguration> {
  let body: unknown;
  try {
    // No redirects: anyone can open the registration URL, and a redirect would take our request to
    // an address (http, internal) the checks on the URL did not see.
    const res = await fetch(url.toString(), { headers: { Accept: 'application/json' }, redirect: 'error' });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    body = await res.json();
  } catch (err) {
    throw new LtiError('registration_config_unavailable', (err as Error).message);
  }
  const parsed = platformConfigurationSchema.safeParse(body);
  if (!parsed.success) {
    const fields = [...new Set(parsed.error.issues.map((i) => String(i.path[0] ?? '?')))];
    throw new LtiError('registration_config_invalid', fields.join(', '), { fields });
  }
  if (!issuerConsistent(parsed.data.issuer, url)) {
    throw new LtiError('registration_issuer_mismatch', parsed.data.issuer, { issuer: parsed.data.issuer });
  }
  // Our users' browsers are sent to the auth endpoint, and keys and tokens fetched from the others:
  // https, unless the configuration URL itself was allowed over http (tests, local simulators).
  if (url.protocol === 'https:') {
    const insecure = ENDPOINTS.filter((f) => !parsed.data[f].startsWith('https:'));
    if (insecure.length)
      throw new LtiError('registration_config_invalid', insecure.join(', '), { fields: insecure });
  }
  return parsed.data;
}

const ENDPOINTS = ['authorization_endpoint', 'token_endpoint', 'jwks_uri', 'registration_endpoint'] as const;

export const DEFAULT_TOOL_SCOPES = [
  SCOPES.lineItem,
  SCOPES.lineItemReadOnly,
  SCOPES.resultReadOnly,
  SCOPES.score,
  SCOPES.nrps,
];

/** Our client registration request body (Dynamic Registration 1.0 §3.5 and the LTI tool configuration). */
export function buildClientRegistration(config: PlatformConfiguration, tool: ToolRegistrationConfig) {
  const supported = config.scopes_supported;
  const scopes = (tool.scopes ?? DEFAULT_TOOL_SCOPES).filter((s) => !supported || supported.includes(s));
  const toolConfig: Record<string, unknown> = {
    domain: tool.domain ?? new URL(tool.targetLinkUri).host,
    target_link_uri: tool.targetLinkUri,
    claims: ['iss', 'sub', 'name', 'given_name', 'family_name', 'email'],
    messages: [
      { type: 'LtiResourceLinkRequest', target_link_uri: tool.targetLinkUri },
      { type: 'LtiDeepLinkingRequest', target_link_uri: tool.deepLinkingUri ?? tool.targetLinkUri },
    ],
  };
  if (tool.description) toolConfig.description = tool.description;
  if (tool.customParameters) toolConfig.custom_parameters = tool.customParameters;
  const body: Record<string, unknown> = {
    application_type: 'web',
    response_types: ['id_token'],
    grant_types: ['implicit', 'client_credentials'],
    initiate_login_uri: tool.initiateLoginUri,
    redirect_uris: tool.redirectUris,
    client_name: tool.clientName,
    jwks_uri: tool.jwksUri,
    token_endpoint_auth_method: 'private_key_jwt',
    scope: scopes.join(' '),
    [TOOL_CONFIGURATION_CLAIM]: toolConfig,
  };
  if (tool.logoUri) body.logo_uri = tool.logoUri;
  return body;
}

const registrationResponseSchema = z.looseObject({
  client_id: storableIdSchema,
  [TOOL_CONFIGURATION_CLAIM]: z
    .looseObject({ deployment_id: z.union([storableIdSchema, z.number()]).optional() })
    .optional(),
});

/** The whole Dynamic Registration exchange: fetch, check, POST, parse. */
export async function register(opts: RegisterOptions): Promise<RegistrationResult> {
  const url = parseConfigurationUrl(opts.openidConfigurationUrl, opts.allowInsecure);
  const configuration = await fetchPlatformConfiguration(url, opts.fetch);
  const body = buildClientRegistration(configuration, opts.tool);
  const headers: Record<string, string> = { 'Content-Type': 'application/json', Accept: 'application/json' };
  if (opts.registrationToken) headers.Authorization = `Bearer ${opts.registrationToken}`;
  let res: Response;
  let text: string;
  try {
    res = await opts.fetch(configuration.registration_endpoint, {
      method: 'POST',
      redirect: 'error',
      headers,
      body: JSON.stringify(body),
    });
    text = await res.text();
  } catch (err) {
    throw new LtiError('registration_refused', (err as Error).message);
  }
  if (res.status === 401 || res.status === 403)
    throw new LtiError('registration_unauthorized', `HTTP ${res.status}`);
  if (!res.ok) throw new LtiError('registration_refused', `HTTP ${res.status}: ${text.slice(0, 300)}`);
  let parsed;
  try {
    parsed = registrationResponseSchema.parse(JSON.parse(text));
  } catch {
    throw new LtiError('registration_response_invalid');
  }
  const deployment = parsed[TOOL_CONFIGURATION_CLAIM]?.deployment_id;
  return {
    issuer: configuration.issuer,
    clientId: parsed.client_id,
    authEndpoint: configuration.authorization_endpoint,
    tokenEndpoint: configuration.token_endpoint,
    authorizationServer: configuration.authorization_server ?? null,
    jwksUri: configuration.jwks_uri,
    deploymentIds: deployment === undefined ? [] : [String(deployment)],
    productFamilyCode: configuration[PLATFORM_CONFIGURATION_CLAIM].product_family_code ?? null,
    configuration,
    response: parsed,
  };
}

/** The message the closing page posts to the platform window. */
export const REGISTRATION_CLOSE_MESSAGE = { subject: 'org.imsglobal.lti.close' } as const;
