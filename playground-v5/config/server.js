'use strict';

module.exports = ({ env }) => ({
  host: env('HOST', '0.0.0.0'),
  port: env.int('PORT', 1337),
  app: {
    // Dev defaults only; a real deployment sets APP_KEYS.
    keys: env.array('APP_KEYS', ['playgroundKeyA', 'playgroundKeyB']),
  },
});
