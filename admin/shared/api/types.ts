/**
 * The admin API contract of the settings routes (server/src routes, all under the admin JWT).
 * Kept apart from the components so a change of the wire format shows up in one place.
 */

export type Enforcement = 'optional' | 'required';
export type FailMode = 'closed' | 'open';
export type UsernameSource = 'id' | 'email' | 'username';
export type AudienceName = 'staff' | 'clients';
/** Auth API (the plugin's own step page) or Universal Prompt (Duo's hosted page, Web SDK). */
export type IntegrationType = 'auth-api' | 'universal';

export interface Audience {
  enabled: boolean;
  enforcement: Enforcement;
  failMode: FailMode;
  usernameSource: UsernameSource;
  /** Hand Duo's remembered-device token back at sign-in (absent from servers before it). */
  rememberDevices?: boolean;
  /** Per-role overrides of `enforcement` (absent from servers before them). */
  roles?: RoleEnforcement[];
}

/** One role's enforcement; a grace period (days or sign-ins) only with `required`. */
export interface RoleEnforcement {
  role: number;
  enforcement: 'off' | 'optional' | 'required';
  graceDays?: number;
  graceLogins?: number;
}

/** A role an override can name (`GET /duo-security/settings/roles`). */
export interface RoleOption {
  id: number;
  name: string;
}

export interface RolesResponse {
  staff: RoleOption[];
  clients: RoleOption[];
}

export interface Settings {
  activated: boolean;
  integration: IntegrationType;
  integrationKey: string;
  apiHostname: string;
  /** The Secret Key itself never leaves the server; the page only learns whether one is stored. */
  secretKeySet: boolean;
  clientId: string;
  /** The same for the Universal Prompt's Client Secret. */
  clientSecretSet: boolean;
  clientReturnUrls: string[];
  staff: Audience;
  clients: Audience;
}

export type ConnectionOutcome =
  | 'ok'
  | 'invalid-keys'
  | 'wrong-application-type'
  | 'unreachable'
  | 'timeout'
  | 'rate-limited'
  | 'clock-skew'
  | 'not-configured'
  | 'invalid-hostname'
  | 'error';

export interface ConnectionResult {
  ok: boolean;
  outcome: ConnectionOutcome;
  /** English, written for a person; shown as Duo's own words under the translated summary. */
  message: string;
  duoCode?: number;
  /** Duo's clock minus the server's clock, in milliseconds (positive: the server is behind). */
  clockOffsetMs?: number;
  clockSkewWarning: boolean;
  checkedAt: string;
}

/** `config`: the `settings` of config/plugins.js; `env`: a variable named in its `settingsEnv`. */
export type LockSource = { source: 'config' } | { source: 'env'; variable: string };

/** GET /duo-security/settings, and the answer of a successful PUT. */
export interface SettingsResponse {
  settings: Settings;
  /** Dotted paths set in config/plugins (read-only in the page), e.g. "integrationKey", "staff.enabled". */
  lockedFields: string[];
  /** Where each of `lockedFields` is set (absent from servers older than 0.1). */
  lockedSources?: Record<string, LockSource>;
  /** The last connection check, or null when none ran yet. */
  connection: ConnectionResult | null;
}

/** PUT /duo-security/settings body: any subset; an absent or empty secretKey (clientSecret) keeps the stored one. */
export interface SettingsUpdate {
  activated?: boolean;
  integration?: IntegrationType;
  integrationKey?: string;
  secretKey?: string;
  apiHostname?: string;
  clientId?: string;
  clientSecret?: string;
  clientReturnUrls?: string[];
  staff?: Partial<Audience>;
  clients?: Partial<Audience>;
}

/** POST /duo-security/settings/check body: unsaved form values; a blank secret means the stored one. */
export interface ConnectionCheckRequest {
  integration?: IntegrationType;
  integrationKey?: string;
  secretKey?: string;
  apiHostname?: string;
  clientId?: string;
  clientSecret?: string;
}

/** Strapi's data envelope. */
export interface Envelope<T> {
  data: T;
}

export interface FieldErrorDetail {
  path: Array<string | number>;
  message: string;
  name?: string;
}

/** Strapi's error envelope `{ data: null, error: { status, name, message, details } }`. */
export interface ApiErrorBody {
  status?: number;
  name: string;
  message: string;
  details?: {
    errors?: FieldErrorDetail[];
    connection?: ConnectionResult;
  };
}

export const SETTINGS_PATH = '/duo-security/settings';
export const CHECK_PATH = '/duo-security/settings/check';
export const ROLES_PATH = '/duo-security/settings/roles';
