'use strict';

/**
 * The demo's accounts and Duo settings, the same on Strapi 4 and 5 (both answer these routes and services):
 *
 * - the administrator, whom Duo knows with a Duo Mobile phone that uses Verified Push (the step page shows a code
 *   to type on the virtual phone);
 * - the newcomer, an administrator Duo does not know yet: staff Duo is required, so their first sign-in is the
 *   guided setup (a QR code to scan, "Complete activation" on the virtual phone), then one approved push;
 * - the client, for the users-permissions side (optional Duo, turned on from the client page).
 *
 * Nothing here calls the sandbox's control API over HTTP: the demo owns the sandbox object and tells it who exists.
 */

const ADMIN = {
  firstname: 'Demo',
  lastname: 'Admin',
  email: process.env.DEMO_ADMIN_EMAIL ?? 'admin@example.com',
  password: process.env.DEMO_ADMIN_PASSWORD ?? 'Demo-Admin-2fa',
};
const NEWCOMER = {
  firstname: 'New',
  lastname: 'Comer',
  email: process.env.DEMO_NEWCOMER_EMAIL ?? 'newcomer@example.com',
  password: process.env.DEMO_NEWCOMER_PASSWORD ?? 'Demo-Newcomer-2fa',
};
const CLIENT = {
  username: process.env.DEMO_CLIENT_USERNAME ?? 'client',
  email: process.env.DEMO_CLIENT_EMAIL ?? 'client@example.com',
  password: process.env.DEMO_CLIENT_PASSWORD ?? 'Demo-Client-2fa',
};

/** What the first run switches on: both audiences, staff required so both administrators meet the Duo step. */
const FIRST_RUN_SETTINGS = {
  activated: true,
  staff: { enabled: true, enforcement: 'required' },
  clients: { enabled: true, enforcement: 'optional' },
};

async function post(port, pathname, body) {
  const response = await fetch(`http://127.0.0.1:${port}${pathname}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`POST ${pathname}: HTTP ${response.status} ${await response.text()}`);
}

/** The sandbox is in memory: it forgets everyone at each start, so this runs every time. */
function knowAdministrator(sandbox) {
  // The default device is a phone with every capability (push, call, SMS, Duo Mobile passcodes).
  if (!sandbox.user(ADMIN.email)) sandbox.addUser({ username: ADMIN.email, verifiedPush: true });
}

/** A second administrator, created through Strapi's own admin user service (the first comes from register-admin). */
async function createNewcomer(app) {
  const existing = await app.db.query('admin::user').findOne({ where: { email: NEWCOMER.email } });
  if (existing) return false;
  const role = await app.db.query('admin::role').findOne({ where: { code: 'strapi-super-admin' } });
  await app.service('admin::user').create({
    ...NEWCOMER,
    isActive: true,
    registrationToken: null,
    roles: role ? [role.id] : [],
  });
  return true;
}

/** Returns what was created, so the summary can say which accounts already existed. */
async function seedAccounts(app, port) {
  const created = [];
  if (!(await app.service('admin::user').exists())) {
    await post(port, '/admin/register-admin', ADMIN);
    created.push('administrator');
  }
  if (await createNewcomer(app)) created.push('newcomer');
  const existingClient = await app.db
    .query('plugin::users-permissions.user')
    .findOne({ where: { $or: [{ email: CLIENT.email }, { username: CLIENT.username }] } });
  if (!existingClient) {
    await post(port, '/api/auth/local/register', CLIENT);
    created.push('client');
  }
  if (created.includes('administrator')) {
    // First run only: later runs keep whatever was changed since (settings page, settings API). Tested against
    // the sandbox like Save Changes would be, so a broken sandbox stops here rather than at the first login.
    await app.plugin('duo-security').service('settings').update(FIRST_RUN_SETTINGS);
    created.push('duo');
  }
  return created;
}

/** Duo knows the demo client under the plugin's default client mapping, `strapi-client-<id>`. */
async function knowClient(app, sandbox) {
  const client = await app.db.query('plugin::users-permissions.user').findOne({ where: { email: CLIENT.email } });
  const username = `strapi-client-${client.id}`;
  if (!sandbox.user(username)) sandbox.addUser({ username });
  return username;
}

module.exports = { ADMIN, NEWCOMER, CLIENT, FIRST_RUN_SETTINGS, knowAdministrator, seedAccounts, knowClient };
