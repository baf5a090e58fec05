/** The two kinds of login the plugin protects. */
export type Audience = 'staff' | 'clients';
export const AUDIENCES: readonly Audience[] = ['staff', 'clients'];

export interface AudienceSettings {
  /** "Enable for Staff" / "Enable for Clients". */
  readonly enabled: boolean;
  /** optional: users opt in; required: everyone must use Duo and is enrolled at next login. */
  readonly enforcement: 'optional' | 'required';
  /** What a login does when Duo cannot be reached: closed refuses, open lets the password login through (audited). */
  readonly failMode: 'closed' | 'open';
  /**
   * How a Strapi user maps to a Duo user. Staff: `email` or `username`. Clients: `id` (`<clientUsernamePrefix><id>`,
   * the default: nothing a client types can name someone else's Duo user) or `email` (confirmed addresses only,
   * never a staff member's). Duo users are account-wide, so the mapping decides whose phones a login reaches.
   */
  readonly usernameSource: UsernameSource;
  /**
   * Remembered devices: when the Duo application's policy remembers devices, a browser (staff) or app (clients)
   * that passed Duo presents its trusted-device token at the next sign-in and Duo may allow it without a prompt.
   * On by default: Duo's policy decides whether and for how long; this turns it off for the audience.
   */
  readonly rememberDevices: boolean;
  /** Per-role overrides of `enforcement` (admin roles for staff, users-permissions roles for clients). */
  readonly roles: readonly RoleEnforcement[];
}

/**
 * One role's enforcement. `off`: Duo is not required and not offered to turn on (an account that turned it on is
 * still asked). A user with several roles (staff) gets the strictest: required > optional > off.
 */
export type RoleEnforcementLevel = 'off' | 'optional' | 'required';
export interface RoleEnforcement {
  /** The role's id (`admin::role` or `plugin::users-permissions.role`). */
  readonly role: number;
  readonly enforcement: RoleEnforcementLevel;
  /** Only with `required`: days from the first postponement during which a user without Duo may postpone. */
  readonly graceDays?: number;
  /** Only with `required`: how many sign-ins a user without Duo may postpone enrolment for. */
  readonly graceLogins?: number;
}

export type UsernameSource = 'id' | 'email' | 'username';
export const USERNAME_SOURCES: { readonly [A in Audience]: readonly UsernameSource[] } = {
  staff: ['email', 'username'],
  clients: ['id', 'email'],
};

/**
 * Which kind of Duo application the installation uses, one at a time: the Auth API (the plugin's own step UI, and
 * the only way for a headless front end to keep its own screens) or the Universal Prompt (Duo's hosted page, Web
 * SDK v4, reached by a top-level redirect).
 */
export type IntegrationType = 'auth-api' | 'universal';
export const INTEGRATION_TYPES: readonly IntegrationType[] = ['auth-api', 'universal'];

/** Settings as the plugin uses them, with the Secret Key in clear (never leaves the server). */
export interface EffectiveSettings {
  readonly activated: boolean;
  readonly integration: IntegrationType;
  /** Auth API application. */
  readonly integrationKey: string;
  readonly secretKey: string;
  /** Duo's API hostname of the account: both application types use it. */
  readonly apiHostname: string;
  /** Universal Prompt (Web SDK) application. */
  readonly clientId: string;
  readonly clientSecret: string;
  /**
   * Universal Prompt, clients: the front-end URLs (or app links) Duo's prompt may return clients to, after the
   * plugin's callback. The first is the default; a sign-in may pick another with the `X-Duo-Return-To` header.
   */
  readonly clientReturnUrls: readonly string[];
  readonly staff: AudienceSettings;
  readonly clients: AudienceSettings;
  /** True when a Secret Key is stored but cannot be decrypted (the encryption key changed). */
  readonly secretKeyUndecryptable: boolean;
  /** The same for the Client Secret. */
  readonly clientSecretUndecryptable: boolean;
}

/** What the settings API returns: everything but the Secret Key, of which only its presence is told. */
export interface PublicSettings {
  readonly activated: boolean;
  readonly integration: IntegrationType;
  readonly integrationKey: string;
  readonly apiHostname: string;
  readonly secretKeySet: boolean;
  readonly clientId: string;
  readonly clientSecretSet: boolean;
  readonly clientReturnUrls: readonly string[];
  readonly staff: AudienceSettings;
  readonly clients: AudienceSettings;
}

/** What is kept in Strapi's core store: the Secret Key only as ciphertext. */
export interface StoredSettings {
  readonly activated?: boolean;
  readonly integration?: IntegrationType;
  readonly integrationKey?: string;
  readonly secretKeyCiphertext?: string;
  readonly apiHostname?: string;
  readonly clientId?: string;
  readonly clientSecretCiphertext?: string;
  readonly clientReturnUrls?: readonly string[];
  readonly staff?: Partial<AudienceSettings>;
  readonly clients?: Partial<AudienceSettings>;
}

/** A change requested through the settings API. An absent or empty `secretKey` (or `clientSecret`) keeps the stored one. */
export interface SettingsUpdate {
  readonly activated?: boolean;
  readonly integration?: IntegrationType;
  readonly integrationKey?: string;
  readonly secretKey?: string;
  readonly apiHostname?: string;
  readonly clientId?: string;
  readonly clientSecret?: string;
  readonly clientReturnUrls?: readonly string[];
  readonly staff?: Partial<AudienceSettings>;
  readonly clients?: Partial<AudienceSettings>;
}

export const DEFAULT_AUDIENCE: { readonly [A in Audience]: AudienceSettings } = {
  staff: {
    enabled: false,
    enforcement: 'optional',
    failMode: 'closed',
    usernameSource: 'email',
    rememberDevices: true,
    roles: [],
  },
  clients: {
    enabled: false,
    enforcement: 'optional',
    failMode: 'closed',
    usernameSource: 'id',
    rememberDevices: true,
    roles: [],
  },
};
