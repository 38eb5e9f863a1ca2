import { createLocalJWKSet, jwtVerify } from 'jose';
import {
  buildDeepLinkingResponse,
  CLAIMS,
  deepLinkingSettingsSchema,
  LtiError,
  MemoryKeyStore,
  ToolKeySet,
  type ContentItem,
  type DeepLinkingSettings,
} from '../../../lti';

const NOW = 1_700_000_000_000;
const settings: DeepLinkingSettings = deepLinkingSettingsSchema.parse({
  deep_link_return_url: 'https://moodle.example/mod/lti/contentitem_return.php?course=2&id=1',
  accept_types: ['ltiResourceLink'],
  accept_presentation_document_targets: ['iframe', 'window'],
  accept_multiple: true,
  data: { opaque: ['kept', 1, null] },
});

const diag: ContentItem = {
  type: 'ltiResourceLink',
  url: 'https://tool.example/lti/launch',
  title: 'Diagnostic: compétences numériques',
  text: 'Un parcours adaptatif',
  custom: { activity: 'diag-general' },
  iframe: { width: 900, height: 700 },
  lineItem: { scoreMaximum: 100, label: 'Diagnostic', resourceId: 'diag-general', tag: 'pix' },
};

async function keys() {
  const k = new ToolKeySet({ store: new MemoryKeyStore() });
  await k.ensureKey(NOW);
  return k;
}

function build(signer: ToolKeySet, s: DeepLinkingSettings, items: ContentItem[]) {
  return buildDeepLinkingResponse({
    signer,
    clientId: 'abc123',
    platformIssuer: 'https://moodle.example',
    deploymentId: '1',
    settings: s,
    items,
    now: NOW,
  });
}

describe('buildDeepLinkingResponse', () => {
  test('a response signed with our key: verifies against our JWKS, with every required claim', async () => {
    const signer = await keys();
    const { jwt, form } = await build(signer, settings, [diag, { ...diag, title: 'Module' }]);
    expect(form).toEqual({ action: settings.deep_link_return_url, fields: { JWT: jwt } });
    const jwks = createLocalJWKSet(await signer.publicJwks(NOW));
    const { payload, protectedHeader } = await jwtVerify(jwt, jwks, {
      issuer: 'abc123',
      audience: 'https://moodle.example',
      currentDate: new Date(NOW),
    });
    expect(protectedHeader.kid).toBe((await signer.signingKey(NOW)).kid);
    expect(payload.iat).toBe(NOW / 1000);
    expect(payload.exp).toBeGreaterThan(NOW / 1000);
    expect(typeof payload.nonce).toBe('string');
    expect(payload[CLAIMS.messageType]).toBe('LtiDeepLinkingResponse');
    expect(payload[CLAIMS.version]).toBe('1.3.0');
    expect(payload[CLAIMS.deploymentId]).toBe('1');
    expect(payload[CLAIMS.deepLinkingData]).toEqual({ opaque: ['kept', 1, null] });
    expect(payload[CLAIMS.contentItems]).toEqual([diag, { ...diag, title: 'Module' }]);
  });

  test('no data in the request: no data claim in the response', async () => {
    const { data: _data, ...noData } = settings;
    const { jwt } = await build(await keys(), noData as DeepLinkingSettings, [diag]);
    const payload = JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString()) as Record<
      string,
      unknown
    >;
    expect(payload).not.toHaveProperty(CLAIMS.deepLinkingData);
  });

  test('a type outside accept_types is refused', async () => {
    const err = await build(await keys(), settings, [{ type: 'link', url: 'https://tool.example/x' }]).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(LtiError);
    expect((err as LtiError).code).toBe('deep_linking_type_refused');
  });

  test('several items when accept_multiple is false or absent are refused; one is fine', async () => {
    const single = { ...settings, accept_multiple: false };
    await expect(build(await keys(), single, [diag, diag])).rejects.toMatchObject({
      code: 'deep_linking_multiple_refused',
    });
    const { accept_multiple: _m, ...absent } = settings;
    await expect(build(await keys(), absent as DeepLinkingSettings, [diag, diag])).rejects.toMatchObject({
      code: 'deep_linking_multiple_refused',
    });
    await expect(build(await keys(), single, [diag])).resolves.toHaveProperty('jwt');
  });

  test('a line item needs scoreMaximum > 0', async () => {
    const bad = { ...diag, lineItem: { scoreMaximum: 0, label: 'x' } } as ContentItem;
    await expect(build(await keys(), settings, [bad])).rejects.toMatchObject({
      code: 'deep_linking_item_invalid',
    });
  });
});
