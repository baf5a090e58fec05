import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type { Settings } from '../../admin/shared/api/types.ts';
import { fromSettings, toUpdate } from '../../admin/shared/utils/formValues.ts';
import { graceOf, roleChoice, withGrace, withRoleChoice } from '../../admin/shared/utils/roles.ts';

const AUDIENCE = { enabled: true, enforcement: 'optional', failMode: 'closed', usernameSource: 'email' } as const;
const SETTINGS: Settings = {
  activated: true,
  integration: 'auth-api',
  integrationKey: 'DIAUTHAPIKEY00000001',
  apiHostname: 'api-1a2b3c4d.duosecurity.com',
  secretKeySet: true,
  clientId: '',
  clientSecretSet: false,
  clientReturnUrls: [],
  staff: { ...AUDIENCE, roles: [{ role: 1, enforcement: 'required', graceDays: 3 }] },
  clients: { ...AUDIENCE, usernameSource: 'id' },
};

describe('the settings form: enforcement per role (shared by both admins)', () => {
  it('reads a role’s level and grace; a role without an override is "as above"', () => {
    const roles = SETTINGS.staff.roles ?? [];
    assert.equal(roleChoice(roles, 1), 'required');
    assert.equal(roleChoice(roles, 2), 'default');
    assert.deepEqual(graceOf(roles, 1), { kind: 'days', count: '3' });
    assert.deepEqual(graceOf(roles, 2), { kind: 'none', count: '' });
  });

  it('changes a level (default removes the override, a new level drops the grace) and a grace', () => {
    const roles = SETTINGS.staff.roles ?? [];
    assert.deepEqual(withRoleChoice(roles, 2, 'off'), [...roles, { role: 2, enforcement: 'off' }]);
    assert.deepEqual(withRoleChoice(roles, 1, 'default'), []);
    assert.deepEqual(withRoleChoice(roles, 1, 'required'), [{ role: 1, enforcement: 'required' }]);
    assert.deepEqual(withGrace(roles, 1, 'logins', '5'), [{ role: 1, enforcement: 'required', graceLogins: 5 }]);
    assert.deepEqual(withGrace(roles, 1, 'none', '5'), [{ role: 1, enforcement: 'required' }]);
    assert.deepEqual(withGrace(roles, 1, 'days', 'x'), [{ role: 1, enforcement: 'required' }]);
    // Only a required role has a grace period.
    const off = [{ role: 3, enforcement: 'off' as const }];
    assert.deepEqual(withGrace(off, 3, 'days', '3'), off);
  });

  it('sends the overrides of an audience whose settings have them, not when locked or unknown to the server', () => {
    const values = fromSettings(SETTINGS);
    values.staff.roles = withRoleChoice(values.staff.roles ?? [], 4, 'off');
    const update = toUpdate(values, [], false);
    assert.deepEqual(update.staff?.roles, [
      { role: 1, enforcement: 'required', graceDays: 3 },
      { role: 4, enforcement: 'off' },
    ]);
    assert.equal(update.clients?.roles, undefined);
    assert.equal(toUpdate(values, ['staff.roles'], false).staff?.roles, undefined);
    // The form's copy is its own: editing it leaves the settings it came from alone.
    assert.equal(SETTINGS.staff.roles?.length, 1);
  });
});
