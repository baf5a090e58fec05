import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { resolveEnforcement } from '../../server/src/engine/role-enforcement';
import { pluginConfigSchema, settingsUpdateSchema } from '../../server/src/settings/schemas';
import type { RoleEnforcement } from '../../server/src/settings/types';

const audience = (enforcement: 'optional' | 'required', roles: RoleEnforcement[]) => ({ enforcement, roles });

async function accepted(schema: { validate(value: unknown, options: object): Promise<unknown> }, body: unknown) {
  try {
    await schema.validate(body, { strict: true, abortEarly: false });
    return true;
  } catch {
    return false;
  }
}

describe('Per-role enforcement: how a user resolves', () => {
  it('a role without an override, and a user without roles, keep the audience default', () => {
    const settings = audience('required', [{ role: 2, enforcement: 'off' }]);
    assert.deepEqual(resolveEnforcement(settings, [5]), { enforcement: 'required' });
    assert.deepEqual(resolveEnforcement(settings, []), { enforcement: 'required' });
    assert.deepEqual(resolveEnforcement(settings, [2]), { enforcement: 'off' });
  });

  it('several roles: the strictest wins, a role without an override counting as the default', () => {
    const roles: RoleEnforcement[] = [
      { role: 1, enforcement: 'off' },
      { role: 2, enforcement: 'optional' },
      { role: 3, enforcement: 'required', graceDays: 3 },
    ];
    assert.deepEqual(resolveEnforcement(audience('optional', roles), [1, 2]), { enforcement: 'optional' });
    assert.deepEqual(resolveEnforcement(audience('optional', roles), [1, 3]), {
      enforcement: 'required',
      grace: { days: 3 },
    });
    // Role 9 has no override: it counts as the default, required without a grace period.
    assert.deepEqual(resolveEnforcement(audience('required', roles), [1, 9]), { enforcement: 'required' });
    assert.deepEqual(resolveEnforcement(audience('optional', roles), [1, 9]), { enforcement: 'optional' });
  });

  it('grace among required roles: the shortest of one kind; none if any required role grants none or kinds mix', () => {
    const roles: RoleEnforcement[] = [
      { role: 1, enforcement: 'required', graceDays: 7 },
      { role: 2, enforcement: 'required', graceDays: 3 },
      { role: 3, enforcement: 'required', graceLogins: 5 },
      { role: 4, enforcement: 'required' },
      { role: 5, enforcement: 'optional' },
    ];
    const s = audience('optional', roles);
    assert.deepEqual(resolveEnforcement(s, [1, 2, 5]), { enforcement: 'required', grace: { days: 3 } });
    assert.deepEqual(resolveEnforcement(s, [3]), { enforcement: 'required', grace: { logins: 5 } });
    assert.deepEqual(resolveEnforcement(s, [1, 4]), { enforcement: 'required' });
    assert.deepEqual(resolveEnforcement(s, [1, 3]), { enforcement: 'required' });
  });
});

describe('Per-role enforcement: settings validation', () => {
  it('accepts well-formed overrides in the API and in config/plugins', async () => {
    const roles = [
      { role: 1, enforcement: 'off' },
      { role: 2, enforcement: 'optional' },
      { role: 3, enforcement: 'required' },
      { role: 4, enforcement: 'required', graceDays: 3 },
      { role: 5, enforcement: 'required', graceLogins: 10 },
    ];
    assert.equal(await accepted(settingsUpdateSchema, { staff: { roles }, clients: { roles: [] } }), true);
    assert.equal(await accepted(pluginConfigSchema, { settings: { clients: { roles } } }), true);
  });

  it('refuses unknown levels, grace without required or of both kinds, bad numbers, repeated roles, extra fields', async () => {
    for (const roles of [
      [{ role: 1, enforcement: 'sometimes' }],
      [{ role: 1 }],
      [{ enforcement: 'off' }],
      [{ role: 0, enforcement: 'off' }],
      [{ role: '1', enforcement: 'off' }],
      [{ role: 1, enforcement: 'optional', graceDays: 3 }],
      [{ role: 1, enforcement: 'off', graceLogins: 3 }],
      [{ role: 1, enforcement: 'required', graceDays: 3, graceLogins: 3 }],
      [{ role: 1, enforcement: 'required', graceDays: 0 }],
      [{ role: 1, enforcement: 'required', graceDays: 1.5 }],
      [{ role: 1, enforcement: 'required', graceDays: 366 }],
      [{ role: 1, enforcement: 'required', graceLogins: 101 }],
      [
        { role: 1, enforcement: 'off' },
        { role: 1, enforcement: 'required' },
      ],
      [{ role: 1, enforcement: 'off', note: 'x' }],
      { role: 1, enforcement: 'off' },
      Array.from({ length: 201 }, (_, i) => ({ role: i + 1, enforcement: 'off' })),
    ]) {
      assert.equal(await accepted(settingsUpdateSchema, { staff: { roles } }), false, JSON.stringify(roles));
    }
  });
});
