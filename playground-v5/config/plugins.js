'use strict';

const path = require('path');

const { duoPluginConfig, tokenMinter } = require('../../playground/duo-plugin-config');

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
        config: duoPluginConfig(env),
      }
    : { enabled: false },
  ...tokenMinter(env),
});
