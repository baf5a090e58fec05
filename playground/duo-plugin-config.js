'use strict';

const path = require('path');

/**
 * What both playgrounds' config/plugins.js give the plugin (and the test plugin beside it), kept once here.
 */

/**
 * Settings written in config/plugins.js win over the admin page and show there as "Set in config/plugins.js". Tests
 * put some here through DUO_CONFIG_SETTINGS (JSON); to the plugin they are that file's, like any literal.
 */
function duoSettingsInConfig(env) {
  const json = env('DUO_CONFIG_SETTINGS');
  return json ? JSON.parse(json) : undefined;
}

/**
 * More of the plugin's options, as if written in config/plugins.js (JSON in DUO_CONFIG_EXTRA): tests set limits such
 * as `maxPasscodeAttempts` here, and mistyped keys that must stop Strapi at start.
 */
function duoExtraConfig(env) {
  const json = env('DUO_CONFIG_EXTRA');
  return json ? JSON.parse(json) : {};
}

/** The Duo application's values from these variables (the demo, tests); the page names the variable that set each. */
const DUO_SETTINGS_ENV = {
  integrationKey: 'DUO_IKEY',
  secretKey: 'DUO_SKEY',
  apiHostname: 'DUO_API_HOSTNAME',
  clientId: 'DUO_CLIENT_ID',
  clientSecret: 'DUO_CLIENT_SECRET',
};

/** The plugin's `config` in both playgrounds. */
function duoPluginConfig(env) {
  return {
    encryptionKey: env('DUO_SECURITY_ENCRYPTION_KEY', 'playground-encryption-key-change-me'),
    settings: duoSettingsInConfig(env),
    settingsEnv: DUO_SETTINGS_ENV,
    // Tests that wait for a Duo step to expire shorten it (60–3600 s; 300 s when unset).
    ...(env('DUO_STEP_TTL_SECONDS') ? { stepTtlSeconds: env.int('DUO_STEP_TTL_SECONDS') } : {}),
    ...duoExtraConfig(env),
  };
}

/**
 * A test plugin whose public admin route mints admin sessions without Duo, as EE SSO or a custom sign-in would
 * (tests/fixtures/token-minter-plugin). Only tests load it (DUO_TEST_TOKEN_MINTER=true); never in the demo.
 */
function tokenMinter(env) {
  if (!env.bool('DUO_TEST_TOKEN_MINTER', false)) return {};
  const resolve = path.resolve(__dirname, '..', 'tests', 'fixtures', 'token-minter-plugin');
  return { 'token-minter': { enabled: true, resolve } };
}

module.exports = { duoPluginConfig, tokenMinter };
