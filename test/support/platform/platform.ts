import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  createRemoteJWKSet,
  exportJWK,
  exportSPKI,
  generateKeyPair,
  jwtVerify,
  SignJWT,
  type JWK,
  type KeyLike,
} from 'jose';
import { CookieJar } from './cookie-jar';
import { runLoginAndLaunch, type LaunchDriverOptions, type LaunchDriverResult } from './driver';
import type { SimUser } from './users';
import { USERS } from './users';

const LTI = 'https://purl.imsglobal.org/spec/lti/claim/';
const SCOPE = {
  lineItem: 'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem',
  lineItemReadOnly: 'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem.readonly',
  resultReadOnly: 'https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly',
  score: 'https://purl.imsglobal.org/spec/lti-ags/scope/score',
  nrps: 'https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly',
};
const ALL_SCOPES = Object.values(SCOPE);

export interface ToolSettings {
  /** Registered launch URLs: the auth endpoint refuses any other redirect_uri. */
  redirectUris: string[];
  /** Where the token endpoint fetches the tool's keys to verify client assertions. */
  jwksUrl?: string;
}

export interface StartPlatformOptions {
  port?: number;
  /** Defaults to the server's base URL (Moodle: the wwwroot). */
  issuer?: string;
  clientId?: string;
  deploymentId?: string;
  tool?: ToolSettings;
  registrationToken?: string;
  /** Extra NRPS members generated per context (learners). Default 0. */
  memberCount?: number;
  /** NRPS page size. Default 100. */
  nrpsPageSize?: number;
  /** AGS line items page size. Default 10. */
  agsPageSize?: number;
  /** id_token lifetime. Default 60 s, like Moodle. */
  idTokenTtlSeconds?: number;
  /** Seconds since epoch for iat; defaults to the real clock. */
  now?: () => number;
  /** Edits to the openid-configuration served (e.g. a foreign issuer). */
  configurationOverrides?: Record<string, unknown>;
  /** Default 3600 s. */
  accessTokenTtlSeconds?: number;
}

export interface LaunchOptions {
  messageType?: string;
  resourceLinkId?: string;
  resourceLinkTitle?: string;
  /** null omits the context claim. */
  contextId?: string | null;
  targetLinkUri?: string;
  deploymentId?: string;
  custom?: Record<string, unknown>;
  locale?: string;
  returnUrl?: string;
  documentTarget?: 'iframe' | 'window';
  /** Include the AGS claim (default true) with these scopes. */
  ags?: boolean;
  agsScopes?: string[];
  /** Include the NRPS claim (default true). */
  nrps?: boolean;
  deepLinking?: Record<string, unknown>;
  /** Merged last; a value of undefined deletes the claim. */
  claims?: Record<string, unknown>;
  /** Answer the form inside an iframe-friendly page targeting this frame name. */
  formTarget?: string;
}

export interface ForgeOptions {
  /** Default RS256. 'none' builds an unsigned token; HS256 signs with the platform's public key as secret. */
  alg?: string;
  /** 'platform' (default) or 'stranger' (another RSA key with the same kid). */
  key?: 'platform' | 'stranger';
  /** Default the platform's current kid; null omits it. */
  kid?: string | null;
}

export interface Outage {
  status?: number;
  headers?: Record<string, string>;
  /** Answer nothing for this long, then drop the connection. */
  hangMs?: number;
}

export interface StoredScore {
  lineItemId: string;
  body: Record<string, unknown>;
  receivedAt: number;
  url: string;
}

export interface LineItemRecord {
  id: string;
  contextId: string;
  body: Record<string, unknown>;
}

interface PendingLaunch {
  user: SimUser;
  opts: LaunchOptions;
  messageHint: string;
}

interface KeyPair {
  kid: string;
  privateKey: KeyLike;
  publicJwk: JWK;
}

interface Recorded {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: http.IncomingHttpHeaders;
  body: string;
}

async function newKeyPair(): Promise<KeyPair> {
  const { publicKey, privateKey } = await generateKeyPair('RS256', {
    modulusLength: 2048,
    extractable: true,
  });
  const kid = crypto.randomBytes(8).toString('hex');
  return { kid, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' } };
}

function b64url(s: string): string {
  return Buffer.from(s).toString('base64url');
}

function html(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * A small LMS over real HTTP, strict like Moodle where it matters: OIDC auth endpoint, JWKS with rotation,
 * openid-configuration and dynamic registration, token endpoint verifying client assertions, AGS and NRPS.
 */
export class SimulatedPlatform {
  readonly url: string;
  readonly issuer: string;
  clientId: string;
  deploymentId: string;
  tool: ToolSettings;
  readonly registrationToken: string;

  /** Every request received, newest last. */
  readonly requests: Recorded[] = [];
  /** Bodies POSTed to the registration endpoint with a valid token. */
  readonly registrations: Array<Record<string, unknown>> = [];
  /** Verified client assertions' payloads. */
  readonly tokenRequests: Array<{ scope: string; claims: Record<string, unknown> }> = [];
  readonly lineItems = new Map<string, LineItemRecord>();
  readonly scores: StoredScore[] = [];
  /** Auth requests the endpoint refused, with the reason. */
  readonly authRejections: string[] = [];

  private keys: KeyPair[];
  private stranger: KeyPair;
  private readonly pending = new Map<string, PendingLaunch>();
  /** Launches the auth endpoint already answered, by message hint (see reuseMessageHint). */
  private readonly answered = new Map<string, PendingLaunch>();
  private readonly accessTokens = new Map<string, { scopes: string[]; expiresAt: number }>();
  private readonly seenJti = new Set<string>();
  private readonly failures: Array<{ kind: string; status: number; headers: Record<string, string> }> = [];
  /** Lasting faults per call kind (see setOutage): every call fails until cleared. */
  private readonly outages = new Map<string, Outage>();
  private toolJwks: ReturnType<typeof createRemoteJWKSet> | null = null;
  private toolJwksUrl: string | null = null;
  private nextId = 1;
  private readonly opts: StartPlatformOptions;

  constructor(
    private readonly server: http.Server,
    url: string,
    keys: KeyPair[],
    stranger: KeyPair,
    opts: StartPlatformOptions,
  ) {
    this.url = url;
    this.issuer = opts.issuer ?? url;
    this.clientId = opts.clientId ?? 'sim-client-1';
    this.deploymentId = opts.deploymentId ?? '1';
    this.tool = opts.tool ?? { redirectUris: [] };
    this.registrationToken = opts.registrationToken ?? 'sim-registration-token';
    this.keys = keys;
    this.stranger = stranger;
    this.opts = opts;
  }

  // ------------------------------------------------------------ URLs and registration facts

  get authUrl(): string {
    return `${this.url}/mod/lti/auth.php`;
  }
  get tokenUrl(): string {
    return `${this.url}/mod/lti/token.php`;
  }
  get jwksUrl(): string {
    return `${this.url}/mod/lti/certs.php`;
  }
  get openidConfigurationUrl(): string {
    return `${this.url}/mod/lti/openid-configuration.php`;
  }
  get registrationUrl(): string {
    return `${this.url}/mod/lti/openid-registration.php`;
  }
  lineItemsUrl(contextId = 'course-1'): string {
    return `${this.url}/mod/lti/services.php/${encodeURIComponent(contextId)}/lineitems?type_id=1`;
  }
  lineItemUrl(contextId: string, id: string): string {
    return `${this.url}/mod/lti/services.php/${encodeURIComponent(contextId)}/lineitems/${id}/lineitem?type_id=1`;
  }
  membershipsUrl(contextId = 'course-1'): string {
    return `${this.url}/mod/lti/services.php/CourseSection/${encodeURIComponent(contextId)}/bindings/1/memberships`;
  }

  /** What the tool stores for this platform (a manual registration). */
  registration() {
    return {
      issuer: this.issuer,
      clientId: this.clientId,
      authEndpoint: this.authUrl,
      tokenEndpoint: this.tokenUrl,
      authorizationServer: null as string | null,
      jwksUri: this.jwksUrl,
      deploymentIds: [this.deploymentId],
    };
  }

  setTool(tool: Partial<ToolSettings>): void {
    this.tool = { ...this.tool, ...tool };
  }

  /** The JWKS served now. */
  jwks(): { keys: JWK[] } {
    return { keys: this.keys.map((k) => k.publicJwk) };
  }
  get currentKid(): string {
    return this.keys[0]!.kid;
  }

  /** A new signing key; the old one stays published unless dropOld. */
  async rotateKey(opts: { dropOld?: boolean } = {}): Promise<string> {
    const k = await newKeyPair();
    this.keys = opts.dropOld ? [k] : [k, ...this.keys];
    return k.kid;
  }

  /**
   * Until cleared (null), every call of this kind fails: with `status` (default 503), or by hanging
   * `hangMs` then dropping the connection (a timeout for the caller). Counts the calls it failed.
   */
  setOutage(kind: string, outage: Outage | null): void {
    if (outage) this.outages.set(kind, outage);
    else this.outages.delete(kind);
  }
  /** Deep-linking responses received and verified (the JWT's payload), oldest first. */
  readonly deepLinkResponses: Array<Record<string, unknown>> = [];
  /** The `data` of every deep-linking request issued (JSON), which a response must echo. */
  private readonly issuedDeepLinkData = new Set<string>();
  /** Deep-linking responses refused, with the reason. */
  readonly deepLinkRejections: string[] = [];
  /** Resource links created from deep-linking responses, like Moodle's activities: id → link. */
  readonly resourceLinks = new Map<
    string,
    {
      id: string;
      contextId: string;
      title: string;
      custom: Record<string, string>;
      lineItemUrl: string | null;
    }
  >();

  /** Scores refused with 409 (not newer than the stored one at one-second resolution). */
  scoreConflicts = 0;
  /** Calls failed by outages, per kind. */
  readonly outageHits = new Map<string, number>();

  /** The next call of this kind ('token', 'scores', 'lineitems', 'memberships', 'jwks') answers this. */
  failNext(kind: string, status: number, headers: Record<string, string> = {}): void {
    this.failures.push({ kind, status, headers });
  }

  // ------------------------------------------------------------ tokens

  private nowSeconds(): number {
    return this.opts.now ? this.opts.now() : Math.floor(Date.now() / 1000);
  }

  /** A valid launch payload for `user`, as the auth endpoint would sign it. */
  launchClaims(user: SimUser, nonce: string, opts: LaunchOptions = {}): Record<string, unknown> {
    const iat = this.nowSeconds();
    const messageType = opts.messageType ?? 'LtiResourceLinkRequest';
    const contextId = opts.contextId === undefined ? 'course-1' : opts.contextId;
    const c: Record<string, unknown> = {
      iss: this.issuer,
      aud: this.clientId,
      iat,
      exp: iat + (this.opts.idTokenTtlSeconds ?? 60),
      nonce,
      [`${LTI}version`]: '1.3.0',
      [`${LTI}message_type`]: messageType,
      [`${LTI}deployment_id`]: opts.deploymentId ?? this.deploymentId,
      [`${LTI}target_link_uri`]: opts.targetLinkUri ?? this.tool.redirectUris[0] ?? `${this.url}/tool`,
      [`${LTI}tool_platform`]: {
        guid: 'sim.example',
        name: 'Simulated Moodle',
        product_family_code: 'moodle',
        version: '2024042200',
      },
      [`${LTI}launch_presentation`]: {
        locale: opts.locale ?? 'fr',
        document_target: opts.documentTarget ?? 'iframe',
        return_url: opts.returnUrl ?? `${this.url}/course/view.php?id=1`,
      },
      [`${LTI}custom`]: opts.custom ?? {},
      [`${LTI}lis`]: { person_sourcedid: '', course_section_sourcedid: '' },
    };
    if (user.id !== null) c.sub = user.id;
    if (user.roles !== null) c[`${LTI}roles`] = user.roles;
    if (user.name) c.name = user.name;
    if (user.givenName) c.given_name = user.givenName;
    if (user.familyName) c.family_name = user.familyName;
    if (user.email) c.email = user.email;
    if (user.mentees) c[`${LTI}role_scope_mentor`] = user.mentees;
    if (contextId !== null) {
      c[`${LTI}context`] = {
        id: contextId,
        label: 'PIX-1',
        title: 'Compétences numériques',
        type: ['CourseSection'],
      };
    }
    if (messageType === 'LtiResourceLinkRequest') {
      c[`${LTI}resource_link`] = {
        id: opts.resourceLinkId ?? 'rl-1',
        title: opts.resourceLinkTitle ?? 'Activité',
      };
    }
    if (messageType === 'LtiDeepLinkingRequest') {
      c['https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings'] = {
        deep_link_return_url: `${this.url}/mod/lti/contentitem_return.php?course=1&id=1`,
        accept_types: ['ltiResourceLink'],
        accept_presentation_document_targets: ['iframe', 'window'],
        accept_multiple: true,
        accept_lineitem: true,
        auto_create: false,
        data: 'opaque-data-123',
        ...opts.deepLinking,
      };
      this.issuedDeepLinkData.add(
        JSON.stringify(
          (c['https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings'] as { data?: unknown })
            .data,
        ),
      );
    }
    if (contextId !== null && opts.ags !== false) {
      c['https://purl.imsglobal.org/spec/lti-ags/claim/endpoint'] = {
        scope: opts.agsScopes ?? [SCOPE.lineItem, SCOPE.lineItemReadOnly, SCOPE.resultReadOnly, SCOPE.score],
        lineitems: this.lineItemsUrl(contextId),
      };
    }
    if (contextId !== null && opts.nrps !== false) {
      c['https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice'] = {
        context_memberships_url: this.membershipsUrl(contextId),
        service_versions: ['1.0', '2.0'],
      };
    }
    // A link created by deep linking launches with its custom parameters and its own line item.
    const linked = this.resourceLinks.get(opts.resourceLinkId ?? '');
    if (linked && messageType === 'LtiResourceLinkRequest') {
      c[`${LTI}resource_link`] = { id: linked.id, title: linked.title };
      if (!opts.custom) c[`${LTI}custom`] = linked.custom;
      const endpoint = c['https://purl.imsglobal.org/spec/lti-ags/claim/endpoint'] as
        Record<string, unknown> | undefined;
      if (endpoint && linked.lineItemUrl) endpoint.lineitem = linked.lineItemUrl;
    }
    for (const [k, v] of Object.entries(opts.claims ?? {})) {
      if (v === undefined) delete c[k];
      else c[k] = v;
    }
    return c;
  }

  /** Sign any payload: with the platform key, a stranger's key, alg none or HS256 with the public key. */
  async forgeIdToken(claims: Record<string, unknown>, opts: ForgeOptions = {}): Promise<string> {
    const alg = opts.alg ?? 'RS256';
    const pair = opts.key === 'stranger' ? this.stranger : this.keys[0]!;
    const kid = opts.kid === undefined ? this.keys[0]!.kid : opts.kid;
    const header: Record<string, unknown> = { alg, typ: 'JWT' };
    if (kid !== null) header.kid = kid;
    if (alg === 'none') return `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}.`;
    if (alg.startsWith('HS')) {
      const { importJWK } = await import('jose');
      const pub = (await importJWK(this.keys[0]!.publicJwk, 'RS256')) as KeyLike;
      const secret = new TextEncoder().encode(await exportSPKI(pub));
      return new SignJWT(claims).setProtectedHeader(header as { alg: string }).sign(secret);
    }
    return new SignJWT(claims).setProtectedHeader(header as { alg: string }).sign(pair.privateKey);
  }

  // ------------------------------------------------------------ launches

  /** Register a launch the auth endpoint will answer; returns the hints the login carries. */
  prepareLaunch(user: SimUser, opts: LaunchOptions = {}): { loginHint: string; messageHint: string } {
    const id = String(this.nextId++);
    // Moodle sends a JSON string as lti_message_hint; the tool must echo it byte for byte.
    const messageHint = JSON.stringify({ launchid: `ltilaunch${id}_${crypto.randomInt(1e9)}` });
    this.pending.set(messageHint, { user, opts, messageHint });
    return { loginHint: user.id ?? 'anonymous', messageHint };
  }

  /**
   * Lets the auth endpoint answer an already used message hint once more, for the same user and
   * options: Moodle accepts a hint again, e.g. when the tool restarts the login in a new window.
   * Throws for a hint this simulator never answered.
   */
  reuseMessageHint(messageHint: string): void {
    const launch = this.answered.get(messageHint);
    if (!launch) throw new Error(`no answered launch with message hint ${messageHint}`);
    this.pending.set(messageHint, launch);
  }

  /** The login parameters a Moodle would POST to the tool for this launch. */
  loginParams(
    user: SimUser,
    opts: LaunchOptions & { targetLinkUri: string; withClientId?: boolean; withDeploymentId?: boolean },
  ): Record<string, string> {
    const { loginHint, messageHint } = this.prepareLaunch(user, opts);
    const p: Record<string, string> = {
      iss: this.issuer,
      target_link_uri: opts.targetLinkUri,
      login_hint: loginHint,
      lti_message_hint: messageHint,
    };
    if (opts.withClientId !== false) p.client_id = this.clientId;
    if (opts.withDeploymentId !== false) p.lti_deployment_id = opts.deploymentId ?? this.deploymentId;
    return p;
  }

  /** Full login → auth → launch round trip over real HTTP; returns the tool's final answer. */
  loginAndLaunch(
    toolBaseUrl: string,
    user: SimUser = USERS.learner,
    opts: LaunchDriverOptions = {},
  ): Promise<LaunchDriverResult> {
    return runLoginAndLaunch(this, toolBaseUrl, user, opts);
  }

  newCookieJar(): CookieJar {
    return new CookieJar();
  }

  // ------------------------------------------------------------ HTTP

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** @internal */
  async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const u = new URL(req.url ?? '/', this.url);
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const query = Object.fromEntries(u.searchParams);
    this.requests.push({ method: req.method ?? 'GET', path: u.pathname, query, headers: req.headers, body });
    const send = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
      const isText = typeof payload === 'string';
      res.writeHead(status, {
        'Content-Type': isText ? 'text/html; charset=utf-8' : 'application/json',
        ...headers,
      });
      res.end(isText ? payload : JSON.stringify(payload));
    };
    const p = u.pathname;
    const injected = (kind: string) => {
      const outage = this.outages.get(kind);
      if (outage) {
        this.outageHits.set(kind, (this.outageHits.get(kind) ?? 0) + 1);
        if (outage.hangMs !== undefined) {
          setTimeout(() => res.socket?.destroy(), outage.hangMs).unref();
          return true;
        }
        send(
          outage.status ?? 503,
          { reason: `simulated outage ${outage.status ?? 503}` },
          outage.headers ?? {},
        );
        return true;
      }
      const i = this.failures.findIndex((f) => f.kind === kind);
      if (i < 0) return false;
      const [f] = this.failures.splice(i, 1);
      send(f!.status, { status: f!.status, reason: `simulated failure ${f!.status}` }, f!.headers);
      return true;
    };
    if (req.method === 'GET' && p === '/mod/lti/certs.php') {
      if (injected('jwks')) return;
      return send(200, this.jwks(), { 'Cache-Control': 'max-age=3600' });
    }
    if (p === '/mod/lti/auth.php')
      return this.auth(req.method === 'POST' ? new URLSearchParams(body) : u.searchParams, send);
    if (req.method === 'GET' && p === '/mod/lti/openid-configuration.php')
      return send(200, this.configuration());
    if (req.method === 'POST' && p === '/mod/lti/openid-registration.php')
      return this.register(req, body, send);
    if (req.method === 'POST' && p === '/mod/lti/token.php') {
      if (injected('token')) return;
      return this.token(body, send);
    }
    if (req.method === 'GET' && p === '/course/launch') return this.hostPage(u, send);
    if (req.method === 'POST' && p === '/mod/lti/contentitem_return.php')
      return this.deepLinkReturn(u, body, send);
    const ags = /^\/mod\/lti\/services\.php\/([^/]+)\/lineitems(?:\/(\d+)\/lineitem(\/scores)?)?$/.exec(p);
    if (ags && !p.includes('/CourseSection/')) {
      return this.ags(req, u, decodeURIComponent(ags[1]!), ags[2], Boolean(ags[3]), body, send, injected);
    }
    const nrps = /^\/mod\/lti\/services\.php\/CourseSection\/([^/]+)\/bindings\/1\/memberships$/.exec(p);
    if (nrps && req.method === 'GET') {
      if (!this.authorize(req, SCOPE.nrps)) return send(401, { reason: 'invalid or missing access token' });
      if (injected('memberships')) return;
      return this.memberships(req, u, decodeURIComponent(nrps[1]!), send);
    }
    send(404, { reason: `no route ${req.method} ${p}` });
  }

  private auth(q: URLSearchParams, send: (s: number, p: unknown) => void): void {
    const refuse = (reason: string) => {
      this.authRejections.push(reason);
      send(400, `<!doctype html><title>Error</title><p id="error">${html(reason)}</p>`);
    };
    const required = ['scope', 'response_type', 'client_id', 'redirect_uri', 'login_hint', 'state', 'nonce'];
    for (const r of required) if (!q.get(r)) return refuse(`missing ${r}`);
    if (q.get('scope') !== 'openid') return refuse('scope must be openid');
    if (q.get('response_type') !== 'id_token') return refuse('response_type must be id_token');
    if (q.get('response_mode') !== 'form_post') return refuse('response_mode must be form_post');
    if (q.get('prompt') !== 'none') return refuse('prompt must be none');
    if (q.get('client_id') !== this.clientId) return refuse('unknown client_id');
    const redirectUri = q.get('redirect_uri')!;
    if (!this.tool.redirectUris.includes(redirectUri))
      return refuse(`redirect_uri not registered: ${redirectUri}`);
    const launch = this.pending.get(q.get('lti_message_hint') ?? '');
    if (!launch) return refuse('lti_message_hint missing or altered');
    if (q.get('login_hint') !== (launch.user.id ?? 'anonymous')) return refuse('login_hint altered');
    this.pending.delete(launch.messageHint);
    this.answered.set(launch.messageHint, launch);
    void this.forgeIdToken(this.launchClaims(launch.user, q.get('nonce')!, launch.opts)).then((idToken) => {
      const target = launch.opts.formTarget ? ` target="${html(launch.opts.formTarget)}"` : '';
      send(
        200,
        `<!doctype html><html><head><title>Launching</title></head><body>` +
          `<form id="lti" method="post" action="${html(redirectUri)}"${target}>` +
          `<input type="hidden" name="id_token" value="${html(idToken)}">` +
          `<input type="hidden" name="state" value="${html(q.get('state')!)}">` +
          `<noscript><button type="submit">Continue</button></noscript></form>` +
          `<script>document.getElementById('lti').submit();</script></body></html>`,
      );
    });
  }

  /** A course page hosting the tool in an iframe that POSTs the login, like Moodle's "embed" placement. */
  private hostPage(u: URL, send: (s: number, p: unknown) => void): void {
    const loginUrl = u.searchParams.get('login');
    const params = u.searchParams.get('params');
    if (!loginUrl || !params) return send(400, 'login and params required');
    const fields = Object.entries(JSON.parse(params) as Record<string, string>)
      .map(([k, v]) => `<input type="hidden" name="${html(k)}" value="${html(v)}">`)
      .join('');
    send(
      200,
      `<!doctype html><html><head><title>Course</title></head><body><h1>Course page</h1>` +
        `<form id="login" method="post" action="${html(loginUrl)}" target="toolframe">${fields}</form>` +
        `<iframe name="toolframe" id="toolframe" title="Tool" width="1000" height="700" ` +
        `allow="clipboard-write"></iframe>` +
        `<script>document.getElementById('login').submit();</script></body></html>`,
    );
  }

  /** The URL of a course page that launches `user` into the tool inside an iframe (browser tests). */
  hostPageUrl(toolLoginUrl: string, user: SimUser, opts: LaunchOptions & { targetLinkUri: string }): string {
    const params = this.loginParams(user, { ...opts, formTarget: undefined });
    const u = new URL(`${this.url}/course/launch`);
    u.searchParams.set('login', toolLoginUrl);
    u.searchParams.set('params', JSON.stringify(params));
    return u.toString();
  }

  private configuration(): Record<string, unknown> {
    return {
      issuer: this.issuer,
      authorization_endpoint: this.authUrl,
      token_endpoint: this.tokenUrl,
      token_endpoint_auth_methods_supported: ['private_key_jwt'],
      token_endpoint_auth_signing_alg_values_supported: ['RS256'],
      jwks_uri: this.jwksUrl,
      registration_endpoint: this.registrationUrl,
      scopes_supported: ['openid', ...ALL_SCOPES],
      response_types_supported: ['id_token'],
      subject_types_supported: ['public', 'pairwise'],
      id_token_signing_alg_values_supported: ['RS256'],
      claims_supported: ['sub', 'iss', 'name', 'given_name', 'family_name', 'email'],
      'https://purl.imsglobal.org/spec/lti-platform-configuration': {
        product_family_code: 'moodle',
        version: '4.4',
        messages_supported: [{ type: 'LtiResourceLinkRequest' }, { type: 'LtiDeepLinkingRequest' }],
        variables: ['basic-lti-launch-request', 'ContentItemSelectionRequest'],
      },
      ...this.opts.configurationOverrides,
    };
  }

  private register(req: http.IncomingMessage, body: string, send: (s: number, p: unknown) => void): void {
    if (req.headers.authorization !== `Bearer ${this.registrationToken}`) {
      return send(401, { error: 'invalid_token', error_description: 'Unauthorized' });
    }
    let parsed: Record<string, unknown>;
    try {
      parsed = JSON.parse(body) as Record<string, unknown>;
    } catch {
      return send(400, { error: 'invalid_client_metadata' });
    }
    this.registrations.push(parsed);
    const n = this.registrations.length + 1;
    const clientId = `dyn-client-${n}`;
    const toolConfig = parsed['https://purl.imsglobal.org/spec/lti-tool-configuration'] as Record<
      string,
      unknown
    >;
    send(200, {
      ...parsed,
      client_id: clientId,
      'https://purl.imsglobal.org/spec/lti-tool-configuration': { ...toolConfig, deployment_id: String(n) },
    });
  }

  private async token(body: string, send: (s: number, p: unknown) => void): Promise<void> {
    const f = new URLSearchParams(body);
    const bad = (error: string, status = 400) => send(status, { error, error_description: error });
    if (f.get('grant_type') !== 'client_credentials') return bad('unsupported_grant_type');
    if (f.get('client_assertion_type') !== 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer') {
      return bad('invalid_request');
    }
    const assertion = f.get('client_assertion');
    if (!assertion || !this.tool.jwksUrl) return bad('invalid_client', 401);
    if (this.toolJwksUrl !== this.tool.jwksUrl) {
      // Cached like Moodle: refetched only when a kid is not found.
      this.toolJwks = createRemoteJWKSet(new URL(this.tool.jwksUrl), { cooldownDuration: 0 });
      this.toolJwksUrl = this.tool.jwksUrl;
    }
    let claims: Record<string, unknown>;
    try {
      const { payload, protectedHeader } = await jwtVerify(assertion, this.toolJwks!, {
        algorithms: ['RS256'],
        issuer: this.clientId,
        subject: this.clientId,
        audience: this.tokenUrl,
        currentDate: new Date(this.nowSeconds() * 1000),
        requiredClaims: ['exp', 'iat', 'jti'],
      });
      if (!protectedHeader.kid) throw new Error('kid missing');
      claims = payload as Record<string, unknown>;
    } catch (err) {
      return bad(`invalid_client: ${(err as Error).message}`, 401);
    }
    const jti = String(claims.jti);
    if (this.seenJti.has(jti)) return bad('invalid_client: jti replayed', 401);
    this.seenJti.add(jti);
    const requested = (f.get('scope') ?? '').split(' ').filter(Boolean);
    const scopes = requested.filter((s) => ALL_SCOPES.includes(s));
    if (scopes.length === 0) return bad('invalid_scope');
    this.tokenRequests.push({ scope: scopes.join(' '), claims });
    const token = crypto.randomBytes(16).toString('hex');
    const ttl = this.opts.accessTokenTtlSeconds ?? 3600;
    this.accessTokens.set(token, { scopes, expiresAt: this.nowSeconds() + ttl });
    send(200, { access_token: token, token_type: 'Bearer', expires_in: ttl, scope: scopes.join(' ') });
  }

  /** Invalidate every access token issued (the next service call gets 401). */
  revokeAccessTokens(): void {
    this.accessTokens.clear();
  }

  private authorize(req: http.IncomingMessage, ...anyOf: string[]): boolean {
    const m = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '');
    const t = m ? this.accessTokens.get(m[1]!) : undefined;
    if (!t || t.expiresAt <= this.nowSeconds()) return false;
    return anyOf.some((s) => t.scopes.includes(s));
  }

  /** Members of a context: the preset users plus `memberCount` generated learners. */
  members(contextId: string): Array<Record<string, unknown>> {
    // Built once: a 2,000-member course is looked up at every score (benchmarks).
    this.memberList ??= this.buildMembers();
    void contextId;
    return this.memberList;
  }
  private memberList: Array<Record<string, unknown>> | undefined;

  private buildMembers(): Array<Record<string, unknown>> {
    const users: SimUser[] = Object.values(USERS);
    const presets = users
      .filter((u) => u.id !== null && u.roles !== null && u.roles.length > 0)
      .map((u) => ({
        user_id: u.id,
        status: 'Active',
        roles: u.nrpsRoles ?? u.roles,
        ...(u.name ? { name: u.name } : {}),
        ...(u.email ? { email: u.email } : {}),
      }));
    const generated = Array.from({ length: this.opts.memberCount ?? 0 }, (_, i) => ({
      user_id: `gen-${i + 1}`,
      status: 'Active',
      roles: ['Learner'],
      name: `Apprenant ${i + 1}`,
      given_name: 'Apprenant',
      family_name: String(i + 1),
      email: `apprenant${i + 1}@example.org`,
    }));
    return [...presets, ...generated];
  }

  private memberships(
    req: http.IncomingMessage,
    u: URL,
    contextId: string,
    send: (s: number, p: unknown, h?: Record<string, string>) => void,
  ): void {
    if (req.headers.accept !== 'application/vnd.ims.lti-nrps.v2.membershipcontainer+json') {
      return send(406, { reason: 'Accept must be the NRPS membership container media type' });
    }
    const size = Number(u.searchParams.get('limit') ?? this.opts.nrpsPageSize ?? 100);
    const page = Number(u.searchParams.get('page') ?? '0');
    const all = this.members(contextId);
    const slice = all.slice(page * size, (page + 1) * size);
    const headers: Record<string, string> = {
      'Content-Type': 'application/vnd.ims.lti-nrps.v2.membershipcontainer+json',
    };
    if ((page + 1) * size < all.length) {
      const next = new URL(u);
      next.searchParams.set('page', String(page + 1));
      next.searchParams.set('limit', String(size));
      headers.Link = `<${next.toString()}>; rel="next"`;
    }
    send(
      200,
      {
        id: u.toString(),
        context: { id: contextId, label: 'PIX-1', title: 'Compétences numériques' },
        members: slice,
      },
      headers,
    );
  }

  private ags(
    req: http.IncomingMessage,
    u: URL,
    contextId: string,
    itemId: string | undefined,
    isScores: boolean,
    body: string,
    send: (s: number, p: unknown, h?: Record<string, string>) => void,
    injected: (kind: string) => boolean,
  ): void {
    // Moodle needs its type_id: a URL that lost its query string does not resolve.
    if (u.searchParams.get('type_id') !== '1') return send(404, { reason: 'No tool type' });
    if (isScores) {
      if (req.method !== 'POST') return send(405, { reason: 'method' });
      if (!this.authorize(req, SCOPE.score)) return send(401, { reason: 'invalid or missing access token' });
      if (injected('scores')) return;
      if (req.headers['content-type'] !== 'application/vnd.ims.lis.v1.score+json') {
        return send(415, { reason: 'unsupported media type' });
      }
      const item = this.lineItems.get(itemId!);
      if (!item) return send(404, { reason: 'line item not found' });
      const score = JSON.parse(body) as Record<string, unknown>;
      const member = this.members(contextId).find((m) => m.user_id === score.userId);
      const roles = (member?.roles as string[] | undefined) ?? [];
      if (!member || !roles.some((r) => r === 'Learner' || r.endsWith('#Learner'))) {
        return send(400, { reason: 'Incorrect score received: user is not a learner of this course' });
      }
      const ts = Date.parse(String(score.timestamp));
      if (Number.isNaN(ts)) return send(400, { reason: 'Incorrect score received: timestamp' });
      const previous = this.scores
        .filter((s) => s.lineItemId === itemId && s.body.userId === score.userId)
        .pop();
      if (
        previous &&
        Math.floor(ts / 1000) <= Math.floor(Date.parse(String(previous.body.timestamp)) / 1000)
      ) {
        this.scoreConflicts++;
        return send(409, { reason: 'Refusing score with an earlier timestamp for item' });
      }
      this.scores.push({ lineItemId: itemId!, body: score, receivedAt: Date.now(), url: u.toString() });
      return send(200, {});
    }
    if (itemId) {
      const writing = req.method === 'PUT' || req.method === 'DELETE';
      const allowed = writing
        ? this.authorize(req, SCOPE.lineItem)
        : this.authorize(req, SCOPE.lineItem, SCOPE.lineItemReadOnly);
      if (!allowed) return send(401, { reason: 'token' });
      const item = this.lineItems.get(itemId);
      if (!item || item.contextId !== contextId) return send(404, { reason: 'line item not found' });
      if (req.method === 'DELETE') {
        this.lineItems.delete(itemId);
        return send(204, null);
      }
      if (req.method === 'PUT') {
        if (req.headers['content-type'] !== 'application/vnd.ims.lis.v2.lineitem+json') {
          return send(415, { reason: 'unsupported media type' });
        }
        const input = JSON.parse(body) as Record<string, unknown>;
        if (typeof input.label !== 'string' || !(Number(input.scoreMaximum) > 0)) {
          return send(400, { reason: 'label and scoreMaximum required' });
        }
        // Like Moodle: the id is the platform's, whatever the body says.
        item.body = { ...input, id: item.body.id };
      }
      return send(200, item.body, { 'Content-Type': 'application/vnd.ims.lis.v2.lineitem+json' });
    }
    if (req.method === 'POST') {
      if (!this.authorize(req, SCOPE.lineItem)) return send(401, { reason: 'token' });
      const input = JSON.parse(body) as Record<string, unknown>;
      if (typeof input.label !== 'string' || !(Number(input.scoreMaximum) > 0)) {
        return send(400, { reason: 'label and scoreMaximum required' });
      }
      const id = String(this.nextId++);
      const item = { ...input, id: this.lineItemUrl(contextId, id) };
      this.lineItems.set(id, { id, contextId, body: item });
      return send(201, item, { 'Content-Type': 'application/vnd.ims.lis.v2.lineitem+json' });
    }
    if (!this.authorize(req, SCOPE.lineItem, SCOPE.lineItemReadOnly)) return send(401, { reason: 'token' });
    if (injected('lineitems')) return;
    const all = [...this.lineItems.values()]
      .filter((i) => i.contextId === contextId)
      .map((i) => i.body)
      .filter(
        (b) =>
          !u.searchParams.get('resource_link_id') ||
          b.resourceLinkId === u.searchParams.get('resource_link_id'),
      )
      .filter((b) => !u.searchParams.get('tag') || b.tag === u.searchParams.get('tag'))
      .filter(
        (b) => !u.searchParams.get('resource_id') || b.resourceId === u.searchParams.get('resource_id'),
      );
    const size = Number(u.searchParams.get('limit') ?? this.opts.agsPageSize ?? 10);
    const page = Number(u.searchParams.get('page') ?? '0');
    const headers: Record<string, string> = {
      'Content-Type': 'application/vnd.ims.lis.v2.lineitemcontainer+json',
    };
    if ((page + 1) * size < all.length) {
      const next = new URL(u);
      next.searchParams.set('page', String(page + 1));
      next.searchParams.set('limit', String(size));
      headers.Link = `<${next.toString()}>; rel="next"`;
    }
    send(200, all.slice(page * size, (page + 1) * size), headers);
  }

  /**
   * The deep-linking return URL, strict like Moodle: verifies the tool's JWT (kid, RS256, iss = our
   * client id, aud = our issuer, deployment, message type, version, data echoed), then creates one
   * resource link per ltiResourceLink item, with a gradebook column when the item has a lineItem.
   */
  private async deepLinkReturn(u: URL, body: string, send: (s: number, p: unknown) => void): Promise<void> {
    const refuse = (reason: string) => {
      this.deepLinkRejections.push(reason);
      send(400, `<!doctype html><title>Error</title><p id="error">${html(reason)}</p>`);
    };
    const jwt = new URLSearchParams(body).get('JWT');
    if (!jwt || !this.tool.jwksUrl) return refuse('JWT missing');
    const jwks = createRemoteJWKSet(new URL(this.tool.jwksUrl), { cooldownDuration: 0 });
    let payload: Record<string, unknown>;
    try {
      const verified = await jwtVerify(jwt, jwks, {
        algorithms: ['RS256'],
        issuer: this.clientId,
        audience: this.issuer,
        currentDate: new Date(this.nowSeconds() * 1000),
        requiredClaims: ['exp', 'iat', 'nonce'],
      });
      if (!verified.protectedHeader.kid) throw new Error('kid missing');
      payload = verified.payload as Record<string, unknown>;
    } catch (err) {
      return refuse(`invalid JWT: ${(err as Error).message}`);
    }
    if (payload[`${LTI}message_type`] !== 'LtiDeepLinkingResponse') return refuse('message_type');
    if (payload[`${LTI}version`] !== '1.3.0') return refuse('version');
    if (payload[`${LTI}deployment_id`] !== this.deploymentId) return refuse('deployment_id');
    const data = payload['https://purl.imsglobal.org/spec/lti-dl/claim/data'];
    if (this.issuedDeepLinkData.size > 0 && !this.issuedDeepLinkData.has(JSON.stringify(data)))
      return refuse('data not echoed');
    const items = payload['https://purl.imsglobal.org/spec/lti-dl/claim/content_items'];
    if (!Array.isArray(items)) return refuse('content_items missing');
    this.deepLinkResponses.push(payload);
    const contextId = 'course-1';
    void u;
    for (const raw of items as Array<Record<string, unknown>>) {
      if (raw.type !== 'ltiResourceLink') continue;
      const id = `dl-rl-${this.nextId++}`;
      const line = raw.lineItem as Record<string, unknown> | undefined;
      const lineItemUrl = line
        ? this.addLineItem(contextId, { ...line, label: line.label ?? raw.title, resourceLinkId: id })
        : null;
      this.resourceLinks.set(id, {
        id,
        contextId,
        title: String(raw.title ?? ''),
        custom: (raw.custom as Record<string, string> | undefined) ?? {},
        lineItemUrl,
      });
    }
    send(200, `<!doctype html><title>Added</title><p id="added">${items.length}</p>`);
  }

  /** Create a line item directly (tests' fixtures). Returns its URL. */
  addLineItem(contextId: string, body: Record<string, unknown>): string {
    const id = String(this.nextId++);
    const url = this.lineItemUrl(contextId, id);
    this.lineItems.set(id, { id, contextId, body: { ...body, id: url } });
    return url;
  }

  /** Scores received for a line item URL, oldest first. */
  scoresFor(lineItemUrl: string): Array<Record<string, unknown>> {
    const m = /\/lineitems\/(\d+)\/lineitem/.exec(lineItemUrl);
    return this.scores.filter((s) => s.lineItemId === m?.[1]).map((s) => s.body);
  }
}

/** Start a simulated LMS on 127.0.0.1 (random port unless given). Close it with `await platform.close()`. */
export async function startPlatform(opts: StartPlatformOptions = {}): Promise<SimulatedPlatform> {
  const [key, stranger] = await Promise.all([newKeyPair(), newKeyPair()]);
  // The stranger shares the platform's kid: a token signed by it must fail on the signature itself.
  stranger.kid = key.kid;
  const holder: { platform?: SimulatedPlatform } = {};
  const server = http.createServer((req, res) => {
    holder.platform!.handle(req, res).catch((err: Error) => {
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ reason: err.message }));
    });
  });
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  holder.platform = new SimulatedPlatform(server, `http://127.0.0.1:${port}`, [key], stranger, opts);
  return holder.platform;
}
