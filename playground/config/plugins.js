'use strict';

const path = require('path');

const { duoPluginConfig, tokenMinter } = require('../duo-plugin-config');

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
    config: duoPluginConfig(env),
  },
  ...tokenMinter(env),
});
