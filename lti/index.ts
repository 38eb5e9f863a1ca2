// The public surface of the LTI 1.3 Advantage library: the app imports from here only.
export * from './errors';
export type * from './types';
export {
  CLAIMS,
  SCOPES,
  SUPPORTED_MESSAGE_TYPES,
  SUPPORTED_LOCALES,
  classifyRoles,
  principalRole,
  parseRole,
  type RoleScope,
  pickLocale,
  deepLinkingSettingsSchema,
  agsClaimSchema,
  nrpsClaimSchema,
  type Launch,
  type RoleView,
  type ToolLocale,
  type SupportedMessageType,
  type ContextClaim,
  type ResourceLinkClaim,
  type LaunchPresentationClaim,
  type ToolPlatformClaim,
  type LisClaim,
  type AgsClaim,
  type NrpsClaim,
  type DeepLinkingSettings,
} from './claims';
export { ToolKeySet, MemoryKeyStore, generateToolKey, DEFAULT_KEY_OVERLAP_MS } from './keys';
export { MemoryNonceStore } from './memory-stores';
export { StateBoundNonceStore, type IssuedNonce } from './state-nonces';
export { PlatformKeyCache, type PlatformKeyCacheOptions } from './platform-keys';
export {
  initiateLogin,
  checkState,
  isOnOrigins,
  randomToken,
  loginParamsSchema,
  DEFAULT_LOGIN_TTL_MS,
  type LoginOptions,
  type LoginParams,
  type LoginResult,
} from './login';
export { verifyLaunch, ALLOWED_ALGS, type LaunchKeySource, type VerifyLaunchOptions } from './launch';
export {
  buildDeepLinkingResponse,
  checkContentItems,
  contentItemSchema,
  type ContentItem,
  type LtiResourceLinkItem,
  type DeepLinkingForm,
  type DeepLinkingResponse,
  type DeepLinkingResponseOptions,
} from './deep-linking';
export {
  TokenClient,
  AgsClient,
  NrpsClient,
  scoresUrl,
  nextLink,
  scoreSchema,
  lineItemSchema,
  memberSchema,
  AGS_MEDIA,
  NRPS_MEDIA,
  type ServicePlatform,
  type ServiceResult,
  type ServiceClientOptions,
  type TokenClientOptions,
  type LineItem,
  type NewLineItem,
  type LineItemQuery,
  type Score,
  type Member,
  type Roster,
} from './services';
export {
  register,
  buildClientRegistration,
  fetchPlatformConfiguration,
  parseConfigurationUrl,
  issuerConsistent,
  MULTI_HOST_ISSUERS,
  platformConfigurationSchema,
  DEFAULT_TOOL_SCOPES,
  PLATFORM_CONFIGURATION_CLAIM,
  TOOL_CONFIGURATION_CLAIM,
  REGISTRATION_CLOSE_MESSAGE,
  type PlatformConfiguration,
  type ToolRegistrationConfig,
  type RegisterOptions,
  type RegistrationResult,
} from './registration';
