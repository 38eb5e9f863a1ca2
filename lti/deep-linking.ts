import { SignJWT } from 'jose';
import { z } from 'zod';
import { CLAIMS, type DeepLinkingSettings } from './claims';
import { LtiError } from './errors';
import { randomToken } from './login';
import type { RandomBytes, ToolSigner } from './types';

const lineItemSchema = z.object({
  scoreMaximum: z.number().positive(),
  label: z.string().min(1).optional(),
  resourceId: z.string().optional(),
  tag: z.string().optional(),
  gradesReleased: z.boolean().optional(),
});

const windowSchema = z.object({
  targetName: z.string().optional(),
  width: z.number().int().positive().optional(),
  height: z.number().int().positive().optional(),
  windowFeatures: z.string().optional(),
});
const iframeSchema = z.object({
  width: z.number().int().positive().optional(),
  height: z.number().int().positive().optional(),
  src: z.string().optional(),
});

export const ltiResourceLinkItemSchema = z.object({
  type: z.literal('ltiResourceLink'),
  url: z.url().optional(),
  title: z.string().optional(),
  text: z.string().optional(),
  icon: z.object({ url: z.url(), width: z.number().optional(), height: z.number().optional() }).optional(),
  custom: z.record(z.string(), z.string()).optional(),
  iframe: iframeSchema.optional(),
  window: windowSchema.optional(),
  lineItem: lineItemSchema.optional(),
  available: z
    .object({ startDateTime: z.string().optional(), endDateTime: z.string().optional() })
    .optional(),
  submission: z
    .object({ startDateTime: z.string().optional(), endDateTime: z.string().optional() })
    .optional(),
});
export const linkItemSchema = z.object({
  type: z.literal('link'),
  url: z.url(),
  title: z.string().optional(),
  text: z.string().optional(),
  iframe: iframeSchema.optional(),
  window: windowSchema.optional(),
});
export const htmlItemSchema = z.object({
  type: z.literal('html'),
  html: z.string(),
  title: z.string().optional(),
  text: z.string().optional(),
});
export const contentItemSchema = z.discriminatedUnion('type', [
  ltiResourceLinkItemSchema,
  linkItemSchema,
  htmlItemSchema,
]);
export type ContentItem = z.infer<typeof contentItemSchema>;
export type LtiResourceLinkItem = z.infer<typeof ltiResourceLinkItemSchema>;

export interface DeepLinkingResponseOptions {
  signer: ToolSigner;
  /** Our client id (iss of the response). */
  clientId: string;
  /** The platform issuer (aud of the response). */
  platformIssuer: string;
  deploymentId: string;
  settings: DeepLinkingSettings;
  items: ContentItem[];
  now: number;
  /** Lifetime of the JWT. Default 5 minutes. */
  ttlSeconds?: number;
  msg?: string;
  log?: string;
  errorMsg?: string;
  errorLog?: string;
  random?: RandomBytes;
}

/** The auto-submitting form the page renders: POST `fields` to `action`. */
export interface DeepLinkingForm {
  action: string;
  fields: { JWT: string };
}

export interface DeepLinkingResponse {
  jwt: string;
  form: DeepLinkingForm;
}

/** Check items against what the platform accepts; throws deep_linking_* errors. */
export function checkContentItems(settings: DeepLinkingSettings, items: unknown[]): ContentItem[] {
  if (items.length > 1 && settings.accept_multiple !== true) {
    throw new LtiError('deep_linking_multiple_refused', `${items.length} items`);
  }
  return items.map((raw, i) => {
    const parsed = contentItemSchema.safeParse(raw);
    if (!parsed.success) {
      throw new LtiError('deep_linking_item_invalid', `item ${i}: ${parsed.error.issues[0]?.message ?? ''}`);
    }
    const item = parsed.data;
    if (!settings.accept_types.includes(item.type)) {
      throw new LtiError('deep_linking_type_refused', item.type, { type: item.type });
    }
    return item;
  });
}

/** The signed LtiDeepLinkingResponse and the form that carries it back to the platform. */
export async function buildDeepLinkingResponse(
  opts: DeepLinkingResponseOptions,
): Promise<DeepLinkingResponse> {
  const items = checkContentItems(opts.settings, opts.items);
  const { kid, alg, privateKey } = await opts.signer.signingKey(opts.now);
  const iat = Math.floor(opts.now / 1000);
  const payload: Record<string, unknown> = {
    nonce: randomToken(opts.random),
    [CLAIMS.deploymentId]: opts.deploymentId,
    [CLAIMS.messageType]: 'LtiDeepLinkingResponse',
    [CLAIMS.version]: '1.3.0',
    [CLAIMS.contentItems]: items,
  };
  if (opts.settings.data !== undefined) payload[CLAIMS.deepLinkingData] = opts.settings.data;
  if (opts.msg !== undefined) payload[CLAIMS.dlMsg] = opts.msg;
  if (opts.log !== undefined) payload[CLAIMS.dlLog] = opts.log;
  if (opts.errorMsg !== undefined) payload[CLAIMS.dlErrorMsg] = opts.errorMsg;
  if (opts.errorLog !== undefined) payload[CLAIMS.dlErrorLog] = opts.errorLog;
  const jwt = await new SignJWT(payload)
    .setProtectedHeader({ alg, kid, typ: 'JWT' })
    .setIssuer(opts.clientId)
    .setAudience(opts.platformIssuer)
    .setIssuedAt(iat)
    .setExpirationTime(iat + (opts.ttlSeconds ?? 300))
    .sign(privateKey);
  return { jwt, form: { action: opts.settings.deep_link_return_url, fields: { JWT: jwt } } };
}
