'use strict';

const path = require('path');

/**
 * Settings written in this file win over the admin page and show there as "Set in config/plugins.js". Tests put
 * some here through DUO_CONFIG_SETTINGS (JSON); to the plugin they are this file's, like any literal.
 */
function duoSettingsInConfig(env) {
  const json = env('DUO_CONFIG_SETTINGS');
  return json ? JSON.parse(json) : undefined;
}

/**
 * More of the plugin's options, as if written in this file (JSON in DUO_CONFIG_EXTRA): tests set limits such as
 * `maxPasscodeAttempts` here, and mistyped keys that must stop Strapi at start.
 */
function duoExtraConfig(env) {
  const json = env('DUO_CONFIG_EXTRA');
  return json ? JSON.parse(json) : {};
}

/**
 * A test plugin whose public admin route mints admin sessions without Duo, as EE SSO or a custom sign-in would
 * (tests/fixtures/token-minter-plugin). Only tests load it (DUO_TEST_TOKEN_MINTER=true); never in the demo.
 */
function tokenMinter(env) {
  if (!env.bool('DUO_TEST_TOKEN_MINTER', false)) return {};
  const resolve = path.resolve(__dirname, '..', '..', 'tests', 'fixtures', 'token-minter-plugin');
  return { 'token-minter': { enabled: true, resolve } };
}

/** The Duo application's values from these variables (the demo, tests); the page names the variable that set each. */
const DUO_SETTINGS_ENV = { integrationKey: 'DUO_IKEY', secretKey: 'DUO_SKEY', apiHostname: 'DUO_API_HOSTNAME' };

/** users-permissions token mode: 'legacy-support' (Strapi 4 style JWTs, the default) or 'refresh' (sessions). */
function jwtManagement(env) {
  const mode = env('UP_JWT_MANAGEMENT', 'legacy-support');
  if (mode !== 'legacy-support' && mode !== 'refresh') {
    throw new Error(`UP_JWT_MANAGEMENT must be legacy-support or refresh, not ${mode}`);
  }
  return mode;
}

module.exports = ({ env }) => ({
  'users-permissions': {
    config: {
      jwtSecret: env('JWT_SECRET', 'playground-jwt-secret'),
      jwtManagement: jwtManagement(env),
      // Tests register and log in many clients from one address.
      ratelimit: {
        enabled: env.bool('UP_RATE_LIMIT', true),
      },
    },
  },
  // Strapi 5 warns at every start while GraphQL's operation limits are unset.
  graphql: {
    config: {
      defaultLimit: 25,
      maxLimit: 100,
      depthLimit: 10,
    },
  },
  // DUO_PLUGIN_ENABLED=false gives the same app without the plugin, for "nothing else changes" comparisons. Strapi 5
  // reads the package.json at `resolve` even for a disabled plugin, so a disabled plugin has no `resolve` at all.
  'duo-security': env.bool('DUO_PLUGIN_ENABLED', true)
    ? {
        enabled: true,
        // The working tree's build copied into this app by `node scripts/link-playground-v5.js` (after
        // `npm run build`): real files below this folder, so the plugin's require('@strapi/utils') finds this app's
        // 5.54.0 packages and not the repository root's Strapi 4 ones. DUO_PLUGIN_DIR points elsewhere (a stub).
        resolve: env('DUO_PLUGIN_DIR', path.resolve(__dirname, '..', 'src', 'plugins', 'duo-security')),
        config: {
          encryptionKey: env('DUO_SECURITY_ENCRYPTION_KEY', 'playground-encryption-key-change-me'),
          settings: duoSettingsInConfig(env),
          settingsEnv: DUO_SETTINGS_ENV,
          // Tests that wait for a Duo step to expire shorten it (60–3600 s; 300 s when unset).
          ...(env('DUO_STEP_TTL_SECONDS') ? { stepTtlSeconds: env.int('DUO_STEP_TTL_SECONDS') } : {}),
          ...duoExtraConfig(env),
        },
      }
    : { enabled: false },
  ...tokenMinter(env),
});
