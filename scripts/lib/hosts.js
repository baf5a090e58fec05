'use strict';

/**
 * The Strapi majors the in-process suites run against (tests/helpers/hosts.ts boots them), and the suites that
 * run once per host. Each run of such a suite gets `STRAPI_HOST` set, which is the default host of `bootStrapi`.
 * Browser and multi-instance drive playground/ processes (Strapi 4) only; unit tests boot no Strapi.
 */
const HOSTS = ['v4', 'v5'];
// faults, hostile and load boot in-process too; they join this list once their helpers are host-aware and they
// have run on v5 (hostile still forges Strapi 4 admin tokens and fuzzes /admin/renew-token).
const PER_HOST_SUITES = ['integration'];

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
