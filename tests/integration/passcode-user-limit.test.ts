import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { startDuoSandbox, type DuoSandbox } from '../../server/src/sandbox';
import { clientDuoUsername } from '../helpers/clients-harness';
import { activateDuo } from '../helpers/duo-setup';
import { bootStrapi, type BootedStrapi } from '../helpers/strapi';
import { DEFAULT_CLIENT, registerClient, registerFirstAdmin } from '../helpers/users';

// Threat: a password holder opens step after step, each with its own passcode tries, to brute-force Duo passcodes.
let sandbox: DuoSandbox;
let app: BootedStrapi;
let duoUsername: string;

async function openStep(): Promise<string> {
  const response = await app.api('/api/auth/local', {
    method: 'POST',
    body: { identifier: DEFAULT_CLIENT.email, password: DEFAULT_CLIENT.password },
  });
  const body = response.body as { error?: { name: string; details: { step: { id: string } } } };
  assert.equal(body.error?.name, 'DuoRequiredError');
  return body.error.details.step.id;
}

async function passcode(stepId: string, code: string) {
  const response = await app.api('/api/duo-security/step/passcode', {
    method: 'POST',
    body: { step: stepId, passcode: code },
  });
  return response.body as { jwt?: string; error?: { name: string; details: { attemptsLeft?: number } } };
}

before(async () => {
  sandbox = await startDuoSandbox({ port: 0 });
  app = await bootStrapi();
  const adminToken = await registerFirstAdmin(app.api);
  await activateDuo(app, adminToken, sandbox, { clients: { enabled: true, enforcement: 'required' } });
  await registerClient(app.api).catch(() => undefined);
  const { id } = (await app.strapi.db!.query('plugin::users-permissions.user').findOne({
    where: { email: DEFAULT_CLIENT.email },
  })) as { id: number };
  duoUsername = clientDuoUsername(id);
  // Duo's own lockout (10 failures) would hide the plugin's limit: this Duo user never locks.
  sandbox.addUser({ username: duoUsername });
});

after(async () => {
  await app?.close();
  await sandbox?.close();
});

describe('passcode brute force across Duo steps', () => {
  it('stops one user after 10 wrong passcodes in 15 minutes, even with the right one on a fresh step', async () => {
    let wrong = 0;
    while (wrong < 10) {
      const step = await openStep();
      for (let i = 0; i < 3 && wrong < 10; i++) {
        const answer = await passcode(step, String(100000 + wrong));
        assert.equal(answer.error?.name, 'DuoPasscodeError');
        wrong += 1;
      }
    }
    sandbox.updateUser(duoUsername, { status: 'active' });
    const fresh = await openStep();
    const right = await passcode(fresh, sandbox.currentPasscode(duoUsername));
    assert.equal(right.jwt, undefined, 'no token once the user limit is reached');
    assert.equal(right.error?.name, 'DuoPasscodeError');
    assert.equal(right.error?.details.attemptsLeft, 0);
  });
});
