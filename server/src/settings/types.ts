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
}

export type UsernameSource = 'id' | 'email' | 'username';
export const USERNAME_SOURCES: { readonly [A in Audience]: readonly UsernameSource[] } = {
  staff: ['email', 'username'],
  clients: ['id', 'email'],
};

/** Settings as the plugin uses them, with the Secret Key in clear (never leaves the server). */
export interface EffectiveSettings {
  readonly activated: boolean;
  readonly integrationKey: string;
  readonly secretKey: string;
  readonly apiHostname: string;
  readonly staff: AudienceSettings;
  readonly clients: AudienceSettings;
  /** True when a Secret Key is stored but cannot be decrypted (the encryption key changed). */
  readonly secretKeyUndecryptable: boolean;
}

/** What the settings API returns: everything but the Secret Key, of which only its presence is told. */
export interface PublicSettings {
  readonly activated: boolean;
  readonly integrationKey: string;
  readonly apiHostname: string;
  readonly secretKeySet: boolean;
  readonly staff: AudienceSettings;
  readonly clients: AudienceSettings;
}

/** What is kept in Strapi's core store: the Secret Key only as ciphertext. */
export interface StoredSettings {
  readonly activated?: boolean;
  readonly integrationKey?: string;
  readonly secretKeyCiphertext?: string;
  readonly apiHostname?: string;
  readonly staff?: Partial<AudienceSettings>;
  readonly clients?: Partial<AudienceSettings>;
}

/** A change requested through the settings API. An absent or empty `secretKey` keeps the stored one. */
export interface SettingsUpdate {
  readonly activated?: boolean;
  readonly integrationKey?: string;
  readonly secretKey?: string;
  readonly apiHostname?: string;
  readonly staff?: Partial<AudienceSettings>;
  readonly clients?: Partial<AudienceSettings>;
}

export const DEFAULT_AUDIENCE: { readonly [A in Audience]: AudienceSettings } = {
  staff: { enabled: false, enforcement: 'optional', failMode: 'closed', usernameSource: 'email' },
  clients: { enabled: false, enforcement: 'optional', failMode: 'closed', usernameSource: 'id' },
};
