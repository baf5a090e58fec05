'use strict';

const fs = require('fs');

/**
 * Production only (merged over config/plugins.js by Strapi): the plugin's own `ca` and `proxy` options, taken from
 * the environment when set. `npm run bench` uses them to reach the local Duo sandbox the way a deployment behind a
 * TLS-inspecting corporate proxy reaches Duo, with the production hostname policy untouched. Unset, nothing changes.
 */
module.exports = ({ env }) => {
  const config = {};
  if (env('DUO_SECURITY_CA_FILE')) config.ca = fs.readFileSync(env('DUO_SECURITY_CA_FILE'), 'utf8');
  if (env('DUO_SECURITY_PROXY')) config.proxy = env('DUO_SECURITY_PROXY');
  return Object.keys(config).length > 0 ? { 'duo-security': { config } } : {};
};
