'use strict';

const path = require('path');

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
    enabled: true,
    // The repository root: strapi-server.js (dist/server) and strapi-admin.js (admin/src) of the working tree.
    resolve: path.resolve(__dirname, '..', '..'),
  },
});
