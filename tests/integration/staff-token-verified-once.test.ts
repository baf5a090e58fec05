import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { after, before, describe, it } from 'node:test';

import { startClientsHarness, type ClientsHarness } from '../helpers/clients-harness';
import { adminMe } from '../helpers/staff';

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
    // The jsonwebtoken instance Strapi's admin verifies with (its module object is shared and writable).
    const jwt = createRequire(require.resolve('@strapi/admin'))('jsonwebtoken') as {
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
