import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { DuoAuthClient } from '../../server/src/duo/client';
import { startDuoSandbox, type DuoSandbox } from '../../server/src/sandbox';
import { phoneActivations } from '../../server/src/sandbox/phone-activations';
import type { PendingActivation, SandboxUser } from '../../server/src/sandbox/types';

/*
 * The virtual phone offers one "Complete activation" per user waiting to enrol. An unknown user's sign-in leaves
 * both an enrolment portal link (preauth) and a QR code activation (enroll) pending; only the latter is offered.
 */

let sandbox: DuoSandbox;
let duo: DuoAuthClient;

before(async () => {
  sandbox = await startDuoSandbox({ port: 0 });
  duo = new DuoAuthClient({
    integrationKey: sandbox.ikey,
    secretKey: sandbox.skey,
    apiHostname: sandbox.url,
    production: false,
  });
});

after(async () => {
  await duo?.close();
  await sandbox?.close();
});

function offeredFor(username: string): readonly PendingActivation[] {
  return sandbox.state().phoneActivations.filter((a) => a.username === username);
}

describe('sandbox: the virtual phone offers one activation per user', () => {
  it('an unknown user who signs in and gets a QR code: only the QR code activation, once', async () => {
    const username = 'newcomer@example.com';
    assert.equal((await duo.preauth({ username })).result, 'enroll');
    const enrolment = await duo.enroll({ username, validSecs: 300 });
    // The portal link and the QR code are both pending for this user; the phone shows one of them.
    const pending = sandbox.state().pendingActivations.filter((a) => a.username === username);
    assert.deepEqual(pending.map((a) => a.kind).sort(), ['enroll', 'portal']);
    assert.deepEqual(
      offeredFor(username).map((a) => [a.kind, a.code]),
      [['enroll', enrolment.activationCode]],
    );
  });

  it('an unknown user with only the portal link: the portal; none once the activation is completed', async () => {
    const username = 'portal-only@example.com';
    await duo.preauth({ username });
    assert.deepEqual(
      offeredFor(username).map((a) => a.kind),
      ['portal'],
    );
    const [offered] = offeredFor(username);
    sandbox.completeActivation(offered!.code);
    assert.deepEqual(offeredFor(username), []);
  });

  it('the newest QR code of a user wins; a user with a device is not offered the portal', () => {
    const at = (kind: 'enroll' | 'portal', code: string, expiration: number): PendingActivation => ({
      kind,
      code,
      username: 'u',
      url: `http://sandbox/${code}`,
      expiration,
    });
    const noDevice = [] as unknown as SandboxUser[];
    assert.deepEqual(
      phoneActivations([at('enroll', 'old', 100), at('portal', 'p', 150), at('enroll', 'new', 200)], noDevice).map(
        (a) => a.code,
      ),
      ['new'],
    );
    const withDevice = [{ username: 'u', devices: [{}] }] as unknown as SandboxUser[];
    assert.deepEqual(phoneActivations([at('portal', 'p', 150)], withDevice), []);
  });
});
