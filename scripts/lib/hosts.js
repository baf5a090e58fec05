'use strict';

/**
 * The Strapi majors the in-process suites run against (tests/helpers/hosts.ts boots them), and the suites that
 * run once per host. Each run of such a suite gets `STRAPI_HOST` set, which is the default host of `bootStrapi`.
 * The multi-instance suite's child processes boot the host `STRAPI_HOST` names too. Unit tests boot no Strapi.
 */
const HOSTS = ['v4', 'v5'];
const PER_HOST_SUITES = ['integration', 'faults', 'hostile', 'load', 'multi-instance', 'browser'];

/**
 * Where a host runs only some files of a suite, which ones. On Strapi 5 the browser suite runs the sign-in files
 * and the plugin's admin pages (admin/v5/src), not client-page.test.ts: it drives the example front end that only
 * the Strapi 4 playground serves (playground/public/client).
 */
const ONLY_ON_HOST = {
  browser: {
    v5: [
      'admin-login.test.ts',
      'staff-login.test.ts',
      'staff-login-i18n.test.ts',
      'staff-universal.test.ts',
      'staff-backup-codes.test.ts',
      'staff-backup-offer.test.ts',
      'staff-grace.test.ts',
      'staff-universal-grace.test.ts',
      'settings-page.test.ts',
      'settings-roles.test.ts',
      'settings-universal-page.test.ts',
      'staff-account.test.ts',
      'staff-own-devices.test.ts',
      'staff-users.test.ts',
      'audit-log.test.ts',
      'admin-languages.test.ts',
      // The example front end under Duo's Universal Prompt (playground-v5/public/client links to the page).
      'client-universal.test.ts',
    ],
  },
};

/**
 * The databases a suite runs on, each run with `DUO_TEST_DB` set (tests/helpers/databases): the multi-instance suite
 * starts a throw-away PostgreSQL and a throw-away MariaDB (Strapi's client `mysql`) server, one run each, per host.
 */
const DATABASES = ['postgres', 'mysql'];
const PER_DATABASE_SUITES = ['multi-instance'];

/** The files of `suite` (names inside tests/<suite>/) that run on `host`. */
function filesFor(suite, host, files) {
  const only = host === undefined ? undefined : ONLY_ON_HOST[suite]?.[host];
  return only === undefined ? files : files.filter((file) => only.includes(file));
}

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

/**
 * The databases one run of `suite` covers on each host: every one, or only the one `DUO_TEST_DB` names.
 * `[undefined]` for a suite that runs on no server database.
 */
function databasesFor(suite, env = process.env) {
  if (!PER_DATABASE_SUITES.includes(suite)) return [undefined];
  const chosen = env.DUO_TEST_DB;
  if (chosen === undefined || chosen === '') return DATABASES;
  if (!DATABASES.includes(chosen))
    throw new Error(`DUO_TEST_DB must be one of ${DATABASES.join(', ')}, not "${chosen}"`);
  return [chosen];
}

module.exports = { HOSTS, PER_HOST_SUITES, DATABASES, hostsFor, filesFor, databasesFor };
