/**
 * Every way an LTI step can fail, each with a stable code. `audience` says whose action fixes it:
 * 'user' (retry the launch from the LMS, open in a new window...) or 'admin' (the registration is wrong).
 */
export type LtiAudience = 'user' | 'admin';
export type LtiHttpStatus = 400 | 401 | 403 | 502;

interface Definition {
  status: LtiHttpStatus;
  audience: LtiAudience;
  message: string;
}

const def = (status: LtiHttpStatus, audience: LtiAudience, message: string): Definition => ({
  status,
  audience,
  message,
});

export const LTI_ERRORS = {
  // Browser state (checked by the app with our helper before the token is read).
  state_missing: def(401, 'user', 'The launch state is missing, from the request or from this browser.'),
  state_mismatch: def(401, 'user', 'The launch state is not the one this browser started with.'),
  state_expired: def(401, 'user', 'The login took too long: start the activity again.'),
  // Token shape and signature.
  token_missing: def(400, 'user', 'The launch carries no id_token.'),
  token_malformed: def(400, 'user', 'The id_token is not a well-formed JWT.'),
  alg_forbidden: def(401, 'admin', 'The id_token uses a forbidden signature algorithm (none or HMAC).'),
  kid_missing: def(401, 'admin', 'The id_token header has no kid.'),
  kid_unknown: def(401, 'admin', "The id_token's kid is not in the platform's published keys."),
  jwks_unavailable: def(502, 'admin', "The platform's key set could not be fetched."),
  signature_invalid: def(401, 'admin', 'The id_token signature does not verify.'),
  // Claims.
  claims_invalid: def(400, 'admin', 'A claim of the id_token has an unexpected shape.'),
  iss_mismatch: def(401, 'admin', 'The id_token issuer is not the registered issuer.'),
  aud_mismatch: def(401, 'admin', 'The id_token audience does not contain our client id.'),
  azp_missing: def(401, 'admin', 'The id_token has several audiences and no azp.'),
  azp_mismatch: def(401, 'admin', 'The id_token azp is not our client id.'),
  token_expired: def(401, 'user', 'The launch has expired: start the activity again.'),
  iat_missing: def(401, 'admin', 'The id_token has no iat.'),
  iat_future: def(401, 'admin', 'The id_token was issued in the future: check the platform clock.'),
  iat_too_old: def(401, 'user', 'The launch is too old: start the activity again.'),
  nonce_missing: def(401, 'admin', 'The id_token has no nonce.'),
  nonce_unknown: def(401, 'user', 'The launch nonce is unknown or expired: start the activity again.'),
  nonce_replayed: def(401, 'user', 'This launch was already used: start the activity again.'),
  version_invalid: def(400, 'admin', 'The LTI version is not 1.3.0.'),
  message_type_missing: def(400, 'admin', 'The launch has no message type.'),
  message_type_unsupported: def(400, 'admin', 'This tool does not handle this kind of LTI message.'),
  deployment_missing: def(400, 'admin', 'The launch has no deployment id.'),
  deployment_unknown: def(403, 'admin', 'This deployment is not registered with the tool.'),
  deployment_mismatch: def(400, 'admin', 'The deployment differs from the one announced at login.'),
  resource_link_missing: def(400, 'admin', 'The launch has no resource link id.'),
  target_link_uri_missing: def(400, 'admin', 'The launch has no target link URI.'),
  roles_missing: def(400, 'admin', 'The launch has no roles claim.'),
  sub_missing: def(400, 'admin', 'The launch has no user (sub): anonymous launches are not accepted.'),
  deep_linking_settings_missing: def(400, 'admin', 'The deep linking request has no settings.'),
  // Platforms and login.
  platform_unknown: def(400, 'admin', 'This platform (issuer, client id) is not registered with the tool.'),
  platform_ambiguous: def(400, 'admin', 'This issuer holds several registrations and the login named none.'),
  platform_inactive: def(403, 'admin', 'This platform is registered but not active yet.'),
  login_invalid: def(400, 'admin', 'The login request lacks a required parameter.'),
  target_link_uri_foreign: def(400, 'admin', 'The target link URI is not on this tool.'),
  // Deep linking response.
  deep_linking_type_refused: def(400, 'user', 'The platform does not accept this kind of content here.'),
  deep_linking_multiple_refused: def(400, 'user', 'The platform accepts a single item here.'),
  deep_linking_item_invalid: def(400, 'user', 'A deep linking item is invalid.'),
  // Services.
  scope_not_granted: def(403, 'admin', 'The platform did not grant the service scope this needs.'),
  service_unavailable: def(403, 'admin', 'The platform did not offer this service in the launch.'),
  token_request_failed: def(502, 'admin', 'The platform refused or failed the access token request.'),
  score_invalid: def(400, 'user', 'The score is invalid.'),
  service_response_invalid: def(
    502,
    'admin',
    'The platform answered a service call with an unexpected body.',
  ),
  // Dynamic Registration.
  registration_url_invalid: def(400, 'admin', 'The openid_configuration URL is not a valid https URL.'),
  registration_config_unavailable: def(502, 'admin', "The platform's configuration could not be fetched."),
  registration_config_invalid: def(400, 'admin', "The platform's configuration lacks required fields."),
  registration_issuer_mismatch: def(400, 'admin', "The platform's issuer is not consistent with its URL."),
  registration_unauthorized: def(401, 'admin', 'The platform refused the registration token.'),
  registration_refused: def(502, 'admin', 'The platform refused the registration.'),
  registration_response_invalid: def(502, 'admin', "The platform's registration answer is not usable."),
} as const satisfies Record<string, Definition>;

export type LtiErrorCode = keyof typeof LTI_ERRORS;
export const LTI_ERROR_CODES = Object.keys(LTI_ERRORS) as LtiErrorCode[];

export class LtiError extends Error {
  readonly status: LtiHttpStatus;
  readonly audience: LtiAudience;

  constructor(
    readonly code: LtiErrorCode,
    detail?: string,
    /** Safe, non-secret facts a page may show (e.g. the unsupported message type). */
    readonly details: Record<string, unknown> = {},
  ) {
    const d = LTI_ERRORS[code];
    super(detail ? `${d.message} (${detail})` : d.message);
    this.name = 'LtiError';
    this.status = d.status;
    this.audience = d.audience;
  }
}

export function isLtiError(err: unknown, code?: LtiErrorCode): err is LtiError {
  return err instanceof LtiError && (code === undefined || err.code === code);
}
