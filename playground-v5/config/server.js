'use strict';

module.exports = ({ env }) => ({
  host: env('HOST', '0.0.0.0'),
  port: env.int('PORT', 1337),
  // Strapi 5 replaced STRAPI_DISABLE_UPDATE_NOTIFICATION with this setting (and warns when the variable is set).
  logger: {
    updates: { enabled: env.bool('STRAPI_UPDATE_NOTIFICATION', false) },
  },
  app: {
    // Dev defaults only; a real deployment sets APP_KEYS.
    keys: env.array('APP_KEYS', ['playgroundKeyA', 'playgroundKeyB']),
  },
});
