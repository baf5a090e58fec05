'use strict';

const path = require('path');

/** Settings given in the environment win over the admin page and show there as read-only. */
function duoSettingsFromEnv(env) {
  const settings = {};
  if (env('DUO_IKEY')) settings.integrationKey = env('DUO_IKEY');
  if (env('DUO_SKEY')) settings.secretKey = env('DUO_SKEY');
  if (env('DUO_API_HOSTNAME')) settings.apiHostname = env('DUO_API_HOSTNAME');
  return Object.keys(settings).length > 0 ? settings : undefined;
}

module.exports = ({ env }) => ({
  'users-permissions': {
    config: {
      jwtSecret: env('JWT_SECRET', 'playground-jwt-secret'),
      // Tests register and log in many clients from one address.
      ratelimit: {
        enabled: env.bool('UP_RATE_LIMIT', true),
      },
    },
  },
  'duo-security': {
    // DUO_PLUGIN_ENABLED=false gives the same app without the plugin, for "nothing else changes" comparisons.
    enabled: env.bool('DUO_PLUGIN_ENABLED', true),
    // The repository root: strapi-server.js (dist/server) and strapi-admin.js (admin/src) of the working tree.
    resolve: path.resolve(__dirname, '..', '..'),
    config: {
      encryptionKey: env('DUO_SECURITY_ENCRYPTION_KEY', 'playground-encryption-key-change-me'),
      settings: duoSettingsFromEnv(env),
      // Tests that wait for a Duo step to expire shorten it (60–3600 s; 300 s when unset).
      ...(env('DUO_STEP_TTL_SECONDS') ? { stepTtlSeconds: env.int('DUO_STEP_TTL_SECONDS') } : {}),
    },
  },
});
