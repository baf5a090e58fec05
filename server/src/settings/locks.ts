import type { DuoSecurityPluginConfig } from '../config';
import {
  CLIENT_ID_PATTERN,
  CLIENT_SECRET_PATTERN,
  INTEGRATION_KEY_PATTERN,
  MESSAGES,
  SECRET_KEY_PATTERN,
} from './schemas';
import { AUDIENCES, type SettingsUpdate } from './types';

/**
 * Settings the app fixes outside the settings page, and where each one comes from, so the page can say "Set in
 * config/plugins.js" or "Set by DUO_IKEY" truthfully. The plugin only sees values: `settings: { integrationKey:
 * env('DUO_IKEY') }` in config/plugins.js reaches it as a plain string, indistinguishable from a literal. A
 * variable is therefore only named when the plugin read it itself, through `settingsEnv` (variable names per field).
 */

/** The settings `settingsEnv` can take from environment variables: the strings of a Duo application (either type). */
export const ENV_FIELDS = ['integrationKey', 'secretKey', 'apiHostname', 'clientId', 'clientSecret'] as const;
export type EnvField = (typeof ENV_FIELDS)[number];

/** `config`: the `settings` object of config/plugins.js; `env`: a variable named in `settingsEnv`. */
export type LockSource = { readonly source: 'config' } | { readonly source: 'env'; readonly variable: string };

/** A set, non-empty variable named in `settingsEnv` for this field, with its value. */
function fromEnv(
  config: DuoSecurityPluginConfig,
  field: EnvField,
  env: NodeJS.ProcessEnv,
): { readonly variable: string; readonly value: string } | undefined {
  const variable = config.settingsEnv?.[field];
  if (variable === undefined) return undefined;
  const value = env[variable];
  return value === undefined || value === '' ? undefined : { variable, value };
}

/** What wins over the stored settings: `settings` from config/plugins.js, and over those the variables. */
export function settingsOverrides(config: DuoSecurityPluginConfig, env: NodeJS.ProcessEnv): SettingsUpdate {
  const overrides: { -readonly [K in keyof SettingsUpdate]: SettingsUpdate[K] } = { ...config.settings };
  for (const field of ENV_FIELDS) {
    const found = fromEnv(config, field, env);
    if (found !== undefined) overrides[field] = found.value;
  }
  return overrides;
}

/** Each locked setting by dotted path ("integrationKey", "staff.enabled") and where its value comes from. */
export function lockSources(config: DuoSecurityPluginConfig, env: NodeJS.ProcessEnv): Record<string, LockSource> {
  const sources: Record<string, LockSource> = {};
  const settings = config.settings ?? {};
  for (const key of ['activated', 'integration', 'clientReturnUrls', ...ENV_FIELDS] as const) {
    if (settings[key] !== undefined) sources[key] = { source: 'config' };
  }
  for (const field of ENV_FIELDS) {
    const found = fromEnv(config, field, env);
    if (found !== undefined) sources[field] = { source: 'env', variable: found.variable };
  }
  for (const audience of AUDIENCES) {
    for (const [key, value] of Object.entries(settings[audience] ?? {})) {
      if (value !== undefined) sources[`${audience}.${key}`] = { source: 'config' };
    }
  }
  return sources;
}

/** The answer to a change of a locked setting: where to change it instead. */
export function lockedMessage(what: string, source: LockSource | undefined): string {
  if (source?.source === 'env') {
    return `${what} is set by the environment variable ${source.variable} (settingsEnv in config/plugins.js); change it there`;
  }
  return `${what} is set in config/plugins.js; change it there`;
}

const ENV_PATTERNS: { readonly [F in EnvField]?: RegExp } = {
  integrationKey: INTEGRATION_KEY_PATTERN,
  secretKey: SECRET_KEY_PATTERN,
  clientId: CLIENT_ID_PATTERN,
  clientSecret: CLIENT_SECRET_PATTERN,
};

/**
 * The same checks as for `settings` in config/plugins.js, for the values of the variables `settingsEnv` names, at
 * start-up: a malformed key fails loudly instead of every login failing later. Never quotes a value (secrets).
 */
export function settingsEnvErrors(config: DuoSecurityPluginConfig, env: NodeJS.ProcessEnv): string[] {
  const problems: string[] = [];
  for (const field of ENV_FIELDS) {
    const found = fromEnv(config, field, env);
    const pattern = ENV_PATTERNS[field];
    if (found !== undefined && pattern !== undefined && !pattern.test(found.value)) {
      problems.push(`${found.variable} (settingsEnv.${field}): ${MESSAGES[field]}`);
    }
  }
  return problems;
}
