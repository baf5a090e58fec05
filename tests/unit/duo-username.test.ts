import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { DuoIdentityError, duoUsernameOf, type IdentityFacts } from '../../server/src/engine/duo-username';
import type { AudienceSettings, EffectiveSettings, UsernameSource } from '../../server/src/settings/types';

const audience = (usernameSource: UsernameSource): AudienceSettings => ({
  enabled: true,
  enforcement: 'optional',
  failMode: 'closed',
  usernameSource,
  roles: [],
  rememberDevices: true,
});
const settings = (staff: UsernameSource, clients: UsernameSource): EffectiveSettings => ({
  activated: true,
  integrationKey: 'DIABCDEFGHIJKLMNOPQR',
  secretKey: 'A'.repeat(40),
  apiHostname: 'api-1a2b3c4d.duosecurity.com',
  staff: audience(staff),
  clients: audience(clients),
  secretKeyUndecryptable: false,
  integration: 'auth-api',
  clientId: '',
  clientSecret: '',
  clientReturnUrls: [],
  clientSecretUndecryptable: false,
});

/** The world the rules read; each case changes one fact. */
const facts = (over: Partial<IdentityFacts> = {}): IdentityFacts => ({
  clientEmailsConfirmed: async () => true,
  clientConfirmed: async () => true,
  isStaffEmail: async () => false,
  enrolledUnder: async () => undefined,
  ...over,
});

const client = { id: 42, email: 'ceo@corp.example', username: 'ceo' };

async function refusal(promise: Promise<string>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof DuoIdentityError);
    return error.refusal;
  }
  assert.fail('the mapping gave a Duo username');
}

describe('Duo username of a client', () => {
  it('is the prefix and the id by default, whatever the client typed', async () => {
    assert.equal(
      await duoUsernameOf(settings('email', 'id'), 'clients', client, 'strapi-client-', facts()),
      'strapi-client-42',
    );
    assert.equal(await duoUsernameOf(settings('email', 'id'), 'clients', client, 'shop.', facts()), 'shop.42');
  });

  it('is the e-mail address only when confirmed and nobody else’s', async () => {
    const s = settings('email', 'email');
    assert.equal(await duoUsernameOf(s, 'clients', client, 'p-', facts()), 'ceo@corp.example');
    const cases: Array<[Partial<IdentityFacts>, string]> = [
      [{ clientEmailsConfirmed: async () => false }, 'email-confirmation-off'],
      [{ clientConfirmed: async () => false }, 'unconfirmed-email'],
      [{ isStaffEmail: async () => true }, 'staff-email'],
      [{ enrolledUnder: async () => ({ audience: 'clients', userId: 7 }) }, 'enrolled-elsewhere'],
      [{ enrolledUnder: async () => ({ audience: 'staff', userId: 42 }) }, 'enrolled-elsewhere'],
    ];
    for (const [over, expected] of cases) {
      assert.equal(await refusal(duoUsernameOf(s, 'clients', client, 'p-', facts(over))), expected);
    }
    // Its own enrolment under that name is no conflict.
    const own = facts({ enrolledUnder: async () => ({ audience: 'clients', userId: 42 }) });
    assert.equal(await duoUsernameOf(s, 'clients', client, 'p-', own), 'ceo@corp.example');
    assert.equal(await refusal(duoUsernameOf(s, 'clients', { id: 3, email: ' ' }, 'p-', facts())), 'no-username');
  });
});

describe('Duo username of a staff member', () => {
  it('is their e-mail address or username, falling back to the other when empty', async () => {
    const admin = { id: 1, email: 'alice@corp.example', username: 'alice' };
    assert.equal(await duoUsernameOf(settings('email', 'id'), 'staff', admin, 'p-', facts()), 'alice@corp.example');
    assert.equal(await duoUsernameOf(settings('username', 'id'), 'staff', admin, 'p-', facts()), 'alice');
    const noUsername = { id: 1, email: 'alice@corp.example', username: null };
    assert.equal(
      await duoUsernameOf(settings('username', 'id'), 'staff', noUsername, 'p-', facts()),
      'alice@corp.example',
    );
    assert.equal(
      await refusal(duoUsernameOf(settings('email', 'id'), 'staff', { id: 1 }, 'p-', facts())),
      'no-username',
    );
  });
});
