/**
 * Plugin configuration read from the app's `config/plugins` entry for `duo-security`.
 * The validator rejects what it does not know so that a typo stops Strapi at start instead of silently
 * weakening two-factor authentication.
 */
export interface DuoSecurityPluginConfig {
  readonly [key: string]: unknown;
}

const KNOWN_KEYS: readonly string[] = [];

export const config = {
  default: {} satisfies DuoSecurityPluginConfig,
  validator(value: unknown): void {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      throw new Error('duo-security: the plugin config must be an object');
    }
    const unknown = Object.keys(value).filter((key) => !KNOWN_KEYS.includes(key));
    if (unknown.length > 0) {
      throw new Error(`duo-security: unknown config option(s): ${unknown.join(', ')}`);
    }
  },
};
