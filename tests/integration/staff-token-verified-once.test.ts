import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import { startClientsHarness, type ClientsHarness } from '../helpers/clients-harness';
import { adminMe } from '../helpers/staff';
import { PLAYGROUND_V5_DIR } from '../helpers/strapi';

/**
 * The Duo claim check on admin requests reads the token Strapi's own strategy has just verified: one signature
 * verification per request, as without the plugin (a second one made every authenticated admin request ~15% slower).
 */

let h: ClientsHarness;

before(async () => {
  h = await startClientsHarness({ staff: { enabled: true } });
});
after(async () => {
  await h?.close();
});

describe('authenticated admin requests with Duo enabled for staff', () => {
  it('verify the admin token once', async () => {
    // The jsonwebtoken instance Strapi verifies admin tokens with (its module object is shared and writable):
    // @strapi/admin's on Strapi 4, the session manager's (@strapi/core, playground-v5's own packages) on Strapi 5.
    const verifier =
      h.app.host === 'v4'
        ? require.resolve('@strapi/admin')
        : createRequire(join(PLAYGROUND_V5_DIR, 'package.json')).resolve('@strapi/core');
    const jwt = createRequire(verifier)('jsonwebtoken') as {
      verify: (...args: unknown[]) => unknown;
    };
    const original = jwt.verify;
    let verified = 0;
    jwt.verify = function verify(this: unknown, ...args: unknown[]) {
      verified += 1;
      return original.apply(this, args);
    };
    try {
      const response = await adminMe(h.app, h.adminToken);
      assert.equal(response.status, 200);
      assert.equal(verified, 1, 'admin token verifications for one request');
    } finally {
      jwt.verify = original;
    }
  });
});
