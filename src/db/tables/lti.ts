export interface ToolKeysTable {
  kid: string;
  alg: string;
  public_jwk: string;
  private_jwk: string;
  /** next: published, not signing yet; current: signing; previous: published, not signing; retired: gone. */
  state: 'next' | 'current' | 'previous' | 'retired';
  created_at: number;
  activate_after: number | null;
  activated_at: number | null;
  retire_after: number | null;
  retired_at: number | null;
}

export interface PlatformsTable {
  id: string;
  issuer: string;
  client_id: string;
  name: string;
  auth_endpoint: string;
  token_endpoint: string | null;
  authorization_server: string | null;
  jwks_uri: string;
  status: 'active' | 'pending' | 'disabled';
  source: 'manual' | 'dynamic';
  registration: string | null;
  created_at: number;
  updated_at: number;
}

export interface DeploymentsTable {
  platform_id: string;
  deployment_id: string;
  created_at: number;
}

export interface OidcStatesTable {
  state: string;
  platform_id: string;
  nonce: string;
  target_link_uri: string;
  deployment_id: string | null;
  /** 'cookie' | 'postmessage': how the browser proves it holds the state. */
  storage: string;
  created_at: number;
  expires_at: number;
  /** 0002: the login's login_hint and lti_message_hint, to restart it in a new window. */
  login_hint: string | null;
  message_hint: string | null;
  /** 0007: when the launch took the state (it stays until expiry so a replay is recognised). */
  used_at: number | null;
}

export interface NoncesTable {
  platform_id: string;
  nonce: string;
  expires_at: number;
  used_at: number | null;
}

export interface LaunchSessionsTable {
  /** sha256 of the token the browser carries: a leaked table does not leak sessions. */
  id: string;
  platform_id: string;
  deployment_id: string;
  user_sub: string;
  context_id: string | null;
  resource_link_id: string | null;
  message_type: string;
  roles: string;
  locale: string;
  /** JSON of the verified launch's useful claims. */
  launch: string;
  created_at: number;
  expires_at: number;
}

export interface RegistrationTokensTable {
  token_hash: string;
  note: string | null;
  created_at: number;
  expires_at: number;
  used_at: number | null;
}

export interface AdminsTable {
  id: string;
  username: string;
  password_hash: string;
  created_at: number;
}

export interface AdminSessionsTable {
  sid: string;
  data: string;
  expires_at: number;
}

export interface LtiTables {
  tool_keys: ToolKeysTable;
  platforms: PlatformsTable;
  deployments: DeploymentsTable;
  oidc_states: OidcStatesTable;
  nonces: NoncesTable;
  launch_sessions: LaunchSessionsTable;
  registration_tokens: RegistrationTokensTable;
  admins: AdminsTable;
  admin_sessions: AdminSessionsTable;
}
