import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { UIDS } from '../../server/src/engine/db';
import { bootStrapi, type BootedStrapi } from '../helpers/strapi';
import { registerFirstAdmin } from '../helpers/users';

/**
 * The plugin's tables are reached through the plugin's own routes only.
 *
 * Threat 1: GraphQL's generated CRUD would expose the Duo steps, enrolments and audit log to any role granted them.
 *
 * Threat 2: the Content Manager's admin API reads any content type a role holds `explorer.read` on. Strapi 5 registers
 * that action for every content type, hidden ones included, and syncs every action to the Super Admin role: without
 * the plugin stepping in, an administrator's token lists the Duo steps, enrolments, backup-code hashes and the audit
 * log at `/content-manager/collection-types/plugin::duo-security.*`. Each such permission is also rebuilt into the
 * administrator's ability on every admin request (the cost measured as bench row 1d).
 */
let app: BootedStrapi;
let token: string;

before(async () => {
  app = await bootStrapi();
  token = await registerFirstAdmin(app.api);
  // A row to find: the test must fail by showing it, not by an empty table.
  await app.strapi
    .db!.query(UIDS.enrollment)
    .create({ data: { audience: 'staff', userId: 1, status: 'active', duoUsername: 'hidden-row@example.com' } });
});

after(async () => {
  await app?.close();
});

describe("the plugin's tables are not in the Content Manager", () => {
  it("grants no administrator role a permission on the plugin's tables", async () => {
    const response = await app.api('/admin/users/me/permissions', { token });
    assert.equal(response.status, 200);
    const permissions = (response.body as { data: Array<{ action: string; subject: string | null }> }).data;
    // The Super Admin holds every action there is (the playground's own content type shows it is the full set)…
    assert.ok(
      permissions.some(
        (p) => p.action === 'plugin::content-manager.explorer.read' && p.subject === 'api::article.article',
      ),
    );
    assert.ok(permissions.some((p) => p.action === 'plugin::duo-security.settings.read'));
    // …and none of them names a table of the plugin.
    const onPluginTables = permissions.filter((p) => p.subject?.startsWith('plugin::duo-security.') === true);
    assert.deepEqual(onPluginTables, []);
  });

  it("refuses the Super Admin's token on every plugin table, and shows no row", async () => {
    for (const uid of Object.values(UIDS)) {
      const response = await app.api(`/content-manager/collection-types/${uid}`, { token });
      assert.equal(response.status, 403, `${uid}: ${JSON.stringify(response.body)}`);
      assert.doesNotMatch(JSON.stringify(response.body), /hidden-row@example\.com/);
    }
    // The same token reads the app's own content: the 403s are about the plugin's tables, not the token.
    const articles = await app.api('/content-manager/collection-types/api::article.article', { token });
    assert.equal(articles.status, 200);
  });
});

describe("the plugin's tables are not in the GraphQL schema", () => {
  it('has no query, mutation or type for steps, enrolments or audit entries', async () => {
    const response = await app.api('/graphql', {
      method: 'POST',
      body: { query: '{ __schema { types { name fields { name } } } }' },
    });
    assert.equal(response.status, 200);
    const schema = JSON.stringify(response.body);
    // The schema is really there (the playground's own content type is in it)…
    assert.match(schema, /"articles"/);
    // …and nothing of the plugin's hidden tables is.
    assert.doesNotMatch(schema, /DuoSecurity|duoSecurity/);
  });
});
