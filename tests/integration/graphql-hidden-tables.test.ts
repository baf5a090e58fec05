import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { bootStrapi, type BootedStrapi } from '../helpers/strapi';

// Threat: GraphQL's generated CRUD would expose the Duo steps, enrolments and audit log to any role granted them.
let app: BootedStrapi;

before(async () => {
  app = await bootStrapi();
});

after(async () => {
  await app?.close();
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
