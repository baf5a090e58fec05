'use strict';

/** What `npm run demo` prints once everything runs: where things are, who signs in as what, and what to click. */

const { ADMIN, CLIENT, NEWCOMER } = require('./demo-seed');

const FIRST_SEEDED = '(existing account; password as first seeded)';

function audienceLine(audience) {
  return audience.enabled ? `on (${audience.enforcement})` : 'off';
}

/** The settings as they are now: a database kept from an older run may differ from what a first run switches on. */
function duoLine(settings) {
  if (!settings.activated) return 'not activated (delete the database file below to start over)';
  return `active · staff ${audienceLine(settings.staff)} · clients ${audienceLine(settings.clients)}`;
}

function staffSteps(port, settings) {
  const admin = `http://localhost:${port}/admin`;
  if (!settings.activated || !settings.staff.enabled) {
    return `   Staff Duo is off in this database, so the admin signs in with the password alone.`;
  }
  return `   Verified Push (Duo knows this administrator)
     1. ${admin}: sign in as ${ADMIN.email}; the Duo step page opens.
     2. Press "Send Duo Push": the page shows a 6-digit code.
     3. Virtual phone → ${ADMIN.email} → Login request: type the code, press Approve.
   Guided setup (Duo does not know this administrator yet; again at every demo start)
     1. Sign out (or use a private window), sign in as ${NEWCOMER.email}: the step page shows a QR code.
     2. Virtual phone → ${NEWCOMER.email}: press "Complete activation" (what scanning the QR code does).
     3. Back on the step page: press "Send Duo Push", then Approve on the virtual phone.`;
}

function printSummary({ host, port, sandbox, created, clientDuoName, settings }) {
  const note = (who) => (created.includes(who) ? '(created now)' : FIRST_SEEDED);
  const settingsWhere =
    host.major === 4
      ? `Settings → Duo Security in the admin (keys read-only: set by DUO_IKEY, DUO_SKEY, DUO_API_HOSTNAME)`
      : `GET/PUT http://localhost:${port}/duo-security/settings with an admin token (pages: Strapi 4 for now)`;
  const other = host.major === 4 ? 'npm run demo (Strapi 5)' : 'npm run demo -- --strapi4 (Strapi 4)';
  console.log(`
────────────────────────────────────────────────────────────────────────
 Duo Security demo on ${host.label} (${host.major === 4 ? 'playground' : 'playground-v5'}/; other: ${other})

 Strapi admin       http://localhost:${port}/admin
   administrator    ${ADMIN.email} / ${ADMIN.password} ${note('administrator')}
   newcomer         ${NEWCOMER.email} / ${NEWCOMER.password} ${note('newcomer')}
 Client login       POST http://localhost:${port}/api/auth/local
   client           ${CLIENT.username} (${CLIENT.email}) / ${CLIENT.password} ${note('client')}
 Duo                ${duoLine(settings)}
   settings         ${settingsWhere}

 Duo sandbox        ${sandbox.url}
   API hostname     ${sandbox.apiHostname}
   integration key  ${sandbox.ikey}
   secret key       ${sandbox.skey}   (throw-away test key)
   Duo users        ${ADMIN.email} (Verified Push), ${clientDuoName} (the client, by id)
 Virtual phone      ${sandbox.url}/phone   (keep it open next to the admin)

 What to click
${staffSteps(port, settings)}
   Client: http://localhost:${port}/client/ → sign in as ${CLIENT.username} → Security Settings → turn Duo on,
     then sign out and in again and approve the push on the virtual phone.

 Database: ${host.major === 4 ? 'playground' : 'playground-v5'}/.tmp/data.db (delete it to start over). Ctrl-C stops everything.
────────────────────────────────────────────────────────────────────────`);
}

module.exports = { printSummary };
