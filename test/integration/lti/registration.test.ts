import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  register,
  SCOPES,
  TOOL_CONFIGURATION_CLAIM,
  type LtiErrorCode,
  type RegisterOptions,
  type ToolRegistrationConfig,
} from '../../../lti';
import { startPlatform, type SimulatedPlatform } from '../../support/platform';

const tool: ToolRegistrationConfig = {
  clientName: 'Pix LTI',
  initiateLoginUri: 'https://tool.example/lti/login',
  redirectUris: ['https://tool.example/lti/launch'],
  targetLinkUri: 'https://tool.example/lti/launch',
  deepLinkingUri: 'https://tool.example/lti/deep-link',
  jwksUri: 'https://tool.example/.well-known/jwks.json',
  logoUri: 'https://tool.example/logo.svg',
};

let sim: SimulatedPlatform;
beforeAll(async () => {
  sim = await startPlatform();
});
afterAll(() => sim.close());

function run(opts: Partial<RegisterOptions> = {}) {
  return register({
    openidConfigurationUrl: sim.openidConfigurationUrl,
    registrationToken: sim.registrationToken,
    tool,
    fetch,
    allowInsecure: true,
    ...opts,
  });
}

async function code(p: Promise<unknown>): Promise<LtiErrorCode> {
  const e = await p.then(
    () => null,
    (err: { code?: LtiErrorCode }) => err,
  );
  if (!e?.code) throw new Error('expected an LtiError');
  return e.code;
}

describe('Dynamic Registration against the simulator', () => {
  test('registers like Moodle: our client body received, client_id and deployment id parsed', async () => {
    const r = await run();
    const body = sim.registrations.at(-1)!;
    expect(body).toMatchObject({
      application_type: 'web',
      response_types: ['id_token'],
      grant_types: ['implicit', 'client_credentials'],
      initiate_login_uri: tool.initiateLoginUri,
      redirect_uris: tool.redirectUris,
      client_name: 'Pix LTI',
      jwks_uri: tool.jwksUri,
      logo_uri: tool.logoUri,
      token_endpoint_auth_method: 'private_key_jwt',
      [TOOL_CONFIGURATION_CLAIM]: {
        domain: 'tool.example',
        target_link_uri: tool.targetLinkUri,
        claims: ['iss', 'sub', 'name', 'given_name', 'family_name', 'email'],
        messages: [
          { type: 'LtiResourceLinkRequest', target_link_uri: tool.targetLinkUri },
          { type: 'LtiDeepLinkingRequest', target_link_uri: tool.deepLinkingUri },
        ],
      },
    });
    expect(String(body.scope).split(' ')).toEqual(
      expect.arrayContaining([SCOPES.lineItem, SCOPES.score, SCOPES.resultReadOnly, SCOPES.nrps]),
    );
    expect(r).toMatchObject({
      issuer: sim.issuer,
      clientId: expect.stringMatching(/^dyn-client-/),
      authEndpoint: sim.authUrl,
      tokenEndpoint: sim.tokenUrl,
      jwksUri: sim.jwksUrl,
      authorizationServer: null,
      deploymentIds: [expect.stringMatching(/^\d+$/)],
      productFamilyCode: 'moodle',
    });
  });

  test('without the registration token the platform answers 401 → registration_unauthorized', async () => {
    const before = sim.registrations.length;
    expect(await code(run({ registrationToken: null }))).toBe('registration_unauthorized');
    expect(await code(run({ registrationToken: 'wrong' }))).toBe('registration_unauthorized');
    expect(sim.registrations.length).toBe(before);
  });

  test('an issuer on another origin than the configuration URL is refused before any POST', async () => {
    const liar = await startPlatform({ configurationOverrides: { issuer: 'https://moodle.example' } });
    try {
      expect(await code(run({ openidConfigurationUrl: liar.openidConfigurationUrl }))).toBe(
        'registration_issuer_mismatch',
      );
      expect(liar.registrations).toHaveLength(0);
    } finally {
      await liar.close();
    }
  });

  test('a configuration lacking the LTI platform block or an endpoint is refused', async () => {
    const partial = await startPlatform({
      configurationOverrides: {
        'https://purl.imsglobal.org/spec/lti-platform-configuration': undefined,
        token_endpoint: undefined,
      },
    });
    try {
      const err = await run({ openidConfigurationUrl: partial.openidConfigurationUrl }).catch(
        (e: unknown) => e,
      );
      expect(err).toMatchObject({ code: 'registration_config_invalid' });
      expect((err as { details: { fields: string[] } }).details.fields).toEqual(
        expect.arrayContaining([
          'token_endpoint',
          'https://purl.imsglobal.org/spec/lti-platform-configuration',
        ]),
      );
    } finally {
      await partial.close();
    }
  });

  test.each([undefined, '', 'not a url', 'ftp://lms.example/conf', 'https://user:pw@lms.example/conf'])(
    'configuration URL %p → registration_url_invalid',
    async (url) => {
      expect(await code(run({ openidConfigurationUrl: url }))).toBe('registration_url_invalid');
    },
  );

  test('http configuration URLs need allowInsecure (tests only)', async () => {
    expect(await code(run({ allowInsecure: false }))).toBe('registration_url_invalid');
  });

  test('an unreachable configuration → registration_config_unavailable', async () => {
    expect(await code(run({ openidConfigurationUrl: `${sim.url}/nowhere` }))).toBe(
      'registration_config_unavailable',
    );
  });

  test('endpoints that are not absolute http(s) URLs are refused at registration, not at the first login', async () => {
    const odd = await startPlatform({
      configurationOverrides: {
        authorization_endpoint: 'auth.php',
        jwks_uri: 'javascript:alert(1)',
        token_endpoint: 'https://lms.example/token\u0000',
      },
    });
    try {
      const err = await run({ openidConfigurationUrl: odd.openidConfigurationUrl }).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'registration_config_invalid' });
      expect((err as { details: { fields: string[] } }).details.fields.sort()).toEqual([
        'authorization_endpoint',
        'jwks_uri',
        'token_endpoint',
      ]);
    } finally {
      await odd.close();
    }
  });

  /** A platform behind an https configuration URL, answered in memory (no TLS server needed). */
  function httpsPlatform(edit: { config?: Record<string, unknown>; response?: Record<string, unknown> }) {
    const origin = 'https://lms.example';
    const config = {
      issuer: origin,
      authorization_endpoint: `${origin}/auth`,
      token_endpoint: `${origin}/token`,
      jwks_uri: `${origin}/jwks`,
      registration_endpoint: `${origin}/register`,
      'https://purl.imsglobal.org/spec/lti-platform-configuration': { product_family_code: 'moodle' },
      ...edit.config,
    };
    const response = {
      client_id: 'c1',
      [TOOL_CONFIGURATION_CLAIM]: { deployment_id: '1' },
      ...edit.response,
    };
    const answer = async (url: string | URL | Request) =>
      new Response(JSON.stringify(String(url).endsWith('/register') ? response : config), {
        headers: { 'Content-Type': 'application/json' },
      });
    return { openidConfigurationUrl: `${origin}/conf`, fetch: answer as typeof fetch, allowInsecure: false };
  }

  test('an https platform may not name an http endpoint', async () => {
    expect(await run(httpsPlatform({}))).toMatchObject({
      clientId: 'c1',
      jwksUri: 'https://lms.example/jwks',
    });
    const err = await run(httpsPlatform({ config: { jwks_uri: 'http://lms.example/jwks' } })).catch(
      (e: unknown) => e,
    );
    expect(err).toMatchObject({ code: 'registration_config_invalid', details: { fields: ['jwks_uri'] } });
  });

  test.each([
    ['a client id too long to key a platform on', { client_id: 'c'.repeat(8000) }],
    ['a client id with a NUL', { client_id: 'c\u00001' }],
    ['a deployment id too long', { [TOOL_CONFIGURATION_CLAIM]: { deployment_id: 'd'.repeat(300) } }],
  ])('a registration answer with %s → registration_response_invalid', async (_, response) => {
    expect(await code(run(httpsPlatform({ response })))).toBe('registration_response_invalid');
  });

  test('a configuration URL that redirects is not followed (anyone can open the registration URL)', async () => {
    const redirector = http.createServer((_req, res) => {
      res.writeHead(302, { Location: sim.openidConfigurationUrl });
      res.end();
    });
    await new Promise<void>((resolve) => redirector.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = redirector.address() as AddressInfo;
      const url = `http://127.0.0.1:${port}/mod/lti/openid-configuration.php`;
      expect(await code(run({ openidConfigurationUrl: url }))).toBe('registration_config_unavailable');
    } finally {
      await new Promise<void>((resolve) => redirector.close(() => resolve()));
    }
  });
});
