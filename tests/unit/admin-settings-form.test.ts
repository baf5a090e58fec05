import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type { Settings } from '../../admin/shared/api/types.ts';
import { fromSettings, toCheckRequest, toUpdate } from '../../admin/shared/utils/formValues.ts';

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
  staff: AUDIENCE,
  clients: { ...AUDIENCE, usernameSource: 'id' },
};
const CLIENT_ID = 'DIWEBSDKCLIENT000001';
const CLIENT_SECRET = 'W'.repeat(40);

// The form's rules (schema.ts) type-load react-intl, which this project's test types keep out: the browser test
// (settings-universal-page) covers them on both admins.
describe('the settings form with the Universal Prompt (shared by both admins)', () => {
  it('sends the chosen type with its own fields only; the other type’s stay as stored', () => {
    const values = {
      ...fromSettings(SETTINGS),
      integration: 'universal' as const,
      clientId: CLIENT_ID,
      clientSecret: ` ${CLIENT_SECRET} `,
      clientReturnUrls: 'https://shop.example.com/login\n\n  myapp://duo  \n',
    };
    assert.deepEqual(toUpdate(values, [], false), {
      integration: 'universal',
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      apiHostname: SETTINGS.apiHostname,
      clientReturnUrls: ['https://shop.example.com/login', 'myapp://duo'],
      staff: AUDIENCE,
      clients: { ...AUDIENCE, usernameSource: 'id' },
    });
    assert.deepEqual(toCheckRequest(values, []), {
      integration: 'universal',
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      apiHostname: SETTINGS.apiHostname,
    });
    // A blank secret keeps the stored one; locked values are not sent.
    const locked = toUpdate({ ...values, clientSecret: '' }, ['integration', 'clientId', 'clientReturnUrls'], false);
    assert.deepEqual(Object.keys(locked).sort(), ['apiHostname', 'clients', 'staff']);
    assert.deepEqual(toCheckRequest(fromSettings(SETTINGS), []), {
      integration: 'auth-api',
      integrationKey: SETTINGS.integrationKey,
      apiHostname: SETTINGS.apiHostname,
    });
  });
});

describe('the remembered-devices switch (shared by both admins)', () => {
  const remembering: Settings = {
    ...SETTINGS,
    staff: { ...AUDIENCE, rememberDevices: true },
    clients: { ...AUDIENCE, usernameSource: 'id', rememberDevices: true },
  };

  it('sends an audience’s switch as set, and nothing for a server that does not know it or a locked value', () => {
    const values = fromSettings(remembering);
    values.clients = { ...values.clients, rememberDevices: false };
    const update = toUpdate(values, [], false);
    assert.equal(update.staff?.rememberDevices, true);
    assert.equal(update.clients?.rememberDevices, false);
    assert.equal(toUpdate(values, ['clients.rememberDevices'], false).clients?.rememberDevices, undefined);
    assert.equal('rememberDevices' in (toUpdate(fromSettings(SETTINGS), [], false).staff ?? {}), false);
  });
});
