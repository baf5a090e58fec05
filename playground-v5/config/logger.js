'use strict';

// Strapi's default transports and format; only the threshold comes from env (tests run with STRAPI_LOG_LEVEL=warn).
module.exports = ({ env }) => ({
  level: env('STRAPI_LOG_LEVEL', 'http'),
});
