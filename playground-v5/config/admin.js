'use strict';

module.exports = ({ env }) => ({
  auth: {
    secret: env('ADMIN_JWT_SECRET', 'playground-admin-jwt-secret'),
  },
  apiToken: {
    salt: env('API_TOKEN_SALT', 'playground-api-token-salt'),
  },
  transfer: {
    token: {
      salt: env('TRANSFER_TOKEN_SALT', 'playground-transfer-token-salt'),
    },
  },
  // Strapi 5 encrypts stored API tokens with this key and refuses to start without it.
  secrets: {
    encryptionKey: env('ENCRYPTION_KEY', 'playground-encryption-key-32-chars!'),
  },
  // Tests log in more than 5 times in 5 minutes; they set ADMIN_RATE_LIMIT=false.
  rateLimit: {
    enabled: env.bool('ADMIN_RATE_LIMIT', true),
  },
  // No browser on these machines; the demo prints the URL instead.
  autoOpen: false,
  flags: {
    nps: false,
    promoteEE: false,
  },
});
