'use strict';

module.exports = ({ env }) => [
  'strapi::logger',
  'strapi::errors',
  {
    name: 'strapi::security',
    config: {
      contentSecurityPolicy: {
        useDefaults: true,
        directives: {
          // Strapi's defaults (kept whole: Strapi merges this list into its own position by position), plus the
          // host of Duo's activation QR image that public/client shows: Duo's API host, or the local Duo sandbox.
          'img-src': [
            "'self'",
            'data:',
            'blob:',
            'https://market-assets.strapi.io',
            'https://*.duosecurity.com',
            ...(env('DUO_SANDBOX_URL') ? [env('DUO_SANDBOX_URL')] : []),
          ],
        },
      },
    },
  },
  'strapi::cors',
  'strapi::poweredBy',
  'strapi::query',
  'strapi::body',
  'strapi::session',
  'strapi::favicon',
  'strapi::public',
];
