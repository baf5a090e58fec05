'use strict';

/**
 * The Strapi majors the in-process suites run against (tests/helpers/hosts.ts boots them), and the suites that
 * run once per host. Each run of such a suite gets `STRAPI_HOST` set, which is the default host of `bootStrapi`.
 * The multi-instance suite's child processes boot the host `STRAPI_HOST` names too. The browser suite drives the
 * Strapi 4 admin only (Strapi 5's admin pages are not built yet); unit tests boot no Strapi.
 */
const HOSTS = ['v4', 'v5'];
const PER_HOST_SUITES = ['integration', 'faults', 'hostile', 'load', 'multi-instance'];

/**
 * The hosts one run of `suite` covers: every host, or only the one `STRAPI_HOST` names (how `npm test` runs each
 * host as its own step, and how a developer runs one host). `[undefined]` for a suite that is not per host.
 */
function hostsFor(suite, env = process.env) {
  if (!PER_HOST_SUITES.includes(suite)) return [undefined];
  const chosen = env.STRAPI_HOST;
  if (chosen === undefined || chosen === '') return HOSTS;
  if (!HOSTS.includes(chosen)) throw new Error(`STRAPI_HOST must be one of ${HOSTS.join(', ')}, not "${chosen}"`);
  return [chosen];
}

module.exports = { HOSTS, PER_HOST_SUITES, hostsFor };
