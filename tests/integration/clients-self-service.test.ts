import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import {
  assertNoToken,
  dataOf,
  errorOf,
  expectDuoRequired,
  expectEnabled,
  expectToken,
  jwtPayload,
  stepFrom,
} from '../helpers/client-answers';
import {
  createClient,
  eventually,
  login,
  loginWithPasscode,
  startClientsHarness,
  step,
  turnOnDuo,
  updateClientSettings,
  type Client,
  type ClientsHarness,
} from '../helpers/clients-harness';
import { assertNoSecretsKept, auditEntries } from '../helpers/plugin-rows';

/**
 * Issue 4, self-service (WHMCS "Security Settings → Two-Factor Authentication") with the client's JWT: status,
 * enable (enrolment when Duo does not know the client, then one verification), disable (a fresh verification).
 */

let h: ClientsHarness;

before(async () => {
  h = await startClientsHarness();
});
after(async () => {
  await h?.close();
});

const me = (token: string) => h.app.api('/api/duo-security/me', { token });
const enable = (token: string) => h.app.api('/api/duo-security/me/enable', { method: 'POST', token });
const disable = (token: string) => h.app.api('/api/duo-security/me/disable', { method: 'POST', token });

async function signedIn(options: Parameters<typeof createClient>[1] = {}): Promise<{ client: Client; jwt: string }> {
  const client = await createClient(h, options);
  return { client, jwt: expectToken(await login(h.app, client.email, client.password)).jwt };
}

async function events(userId: number): Promise<string[]> {
  return (await auditEntries(h.strapi, { userId })).map((e) => e.event);
}

describe('status', () => {
  it('tells whether Duo is offered, on for the account, and required', async () => {
    const { jwt } = await signedIn();
    assert.deepEqual(dataOf(await me(jwt)), {
      available: true,
      enabled: false,
      required: false,
      lastUsedAt: null,
      backupCodesRemaining: 0,
    });
  });
});

describe('enable', () => {
  it('a client Duo knows: no QR, one approved push turns Duo on; earlier sessions end', async () => {
    const { client, jwt } = await signedIn();
    const started = stepFrom(dataOf(await enable(jwt), 'enable'), 'enable');
    assert.equal(started.duo.result, 'auth');
    dataOf(await step(h.app, 'push', { step: started.stepId }));
    const push = await eventually(
      () => h.sandbox.pendingPushes().find((p) => p.username === client.duoUsername),
      3000,
      'the push',
    );
    h.sandbox.approve(push.txid);
    let status = await step(h.app, 'status', { step: started.stepId });
    for (let i = 0; i < 3 && (status.body as { data?: { state?: string } }).data?.state === 'waiting'; i += 1) {
      status = await step(h.app, 'status', { step: started.stepId });
    }
    const renewed = expectEnabled(status, 'enable finished');

    assert.equal((await me(jwt)).status, 401, 'the session from before Duo ended');
    assert.equal((await h.app.api('/api/users/me', { token: jwt })).status, 401);
    // The answer's token is the client's new session.
    assert.equal(jwtPayload(renewed).id, client.id);
    assert.equal(dataOf(await me(renewed)).enabled, true);
    assert.equal((await h.app.api('/api/users/me', { token: renewed })).status, 200);
    const fresh = await loginWithPasscode(h, client);
    const after = dataOf(await me(fresh.jwt));
    assert.equal(after.enabled, true);
    assert.equal(typeof after.lastUsedAt, 'string');
    // The finished step is spent.
    assert.equal(errorOf(await step(h.app, 'status', { step: started.stepId }), 400).name, 'DuoStepError');
    assert.ok((await events(client.id)).includes('enroll.enabled'));
  });

  it('a client Duo does not know: QR code and activation, then one passcode turns Duo on', async () => {
    const { client, jwt } = await signedIn({ duo: false });
    const started = stepFrom(dataOf(await enable(jwt), 'enable'), 'enable');
    assert.equal(started.duo.result, 'enroll');
    const { stepId } = started;
    const enrolling = dataOf(await step(h.app, 'enroll', { step: stepId }), 'enroll');
    assert.equal(enrolling.state, 'enrolling');
    const activation = (enrolling.duo as { activation: Record<string, string> }).activation;
    for (const field of ['qrCodeUrl', 'activationUrl', 'activationCode', 'expiresAt']) {
      assert.equal(typeof activation[field], 'string', field);
    }
    assert.match(activation.qrCodeUrl ?? '', /^https?:\/\//);
    assert.equal(dataOf(await step(h.app, 'status', { step: stepId, wait: false })).state, 'enrolling');

    h.sandbox.completeActivation(activation.activationCode ?? '');
    const activated = dataOf(await step(h.app, 'status', { step: stepId }), 'status after activation');
    assert.equal(activated.state, 'pending');
    assert.equal((activated.duo as { result: string }).result, 'auth');
    const done = await step(h.app, 'passcode', {
      step: stepId,
      passcode: h.sandbox.currentPasscode(client.duoUsername),
    });
    assert.equal(dataOf(await me(expectEnabled(done))).enabled, true);

    const fresh = await loginWithPasscode(h, client);
    assert.equal(dataOf(await me(fresh.jwt)).enabled, true);
    const recorded = await events(client.id);
    for (const event of ['step.started', 'enroll.started', 'enroll.enabled']) {
      assert.ok(recorded.includes(event), `${event} in ${recorded.join(', ')}`);
    }
  });

  it('a denied or cancelled verification leaves Duo off and the session alive', async () => {
    const { client, jwt } = await signedIn();
    const denied = stepFrom(dataOf(await enable(jwt)), 'enable');
    dataOf(await step(h.app, 'push', { step: denied.stepId }));
    const push = await eventually(
      () => h.sandbox.pendingPushes().find((p) => p.username === client.duoUsername),
      3000,
      'the push',
    );
    h.sandbox.deny(push.txid, { fraud: true });
    assert.equal(dataOf(await step(h.app, 'status', { step: denied.stepId })).state, 'denied');

    const cancelled = stepFrom(dataOf(await enable(jwt)), 'enable');
    assert.deepEqual((await step(h.app, 'cancel', { step: cancelled.stepId })).body, {
      data: { state: 'cancelled' },
    });
    const wrong = await step(h.app, 'passcode', {
      step: cancelled.stepId,
      passcode: h.sandbox.currentPasscode(client.duoUsername),
    });
    assert.deepEqual(errorOf(wrong, 400).details, { state: 'cancelled' });

    assert.equal(dataOf(await me(jwt)).enabled, false);
    assert.equal((await h.app.api('/api/users/me', { token: jwt })).status, 200);
    expectToken(await login(h.app, client.email, client.password), 'login without Duo');
  });

  it('is refused when Duo is already on', async () => {
    const { client, jwt } = await signedIn();
    await turnOnDuo(h, client.duoUsername, jwt);
    const fresh = await loginWithPasscode(h, client);
    const again = errorOf(await enable(fresh.jwt), 400);
    assert.equal(again.name, 'ApplicationError');
    assert.match(again.message, /already on/);
  });

  it('a client Duo lets through (bypass): Duo is on at once, and later logins pass with the bypass claim', async () => {
    const { client, jwt } = await signedIn({ duo: { status: 'bypass' } });
    const enabled = dataOf(await enable(jwt));
    assert.equal(enabled.enabled, true);
    // The old session (no Duo claim) ends; the answer carries its replacement.
    assert.equal(jwtPayload(String(enabled.jwt)).duo, 'bypass');
    assert.equal((await me(String(enabled.jwt))).status, 200);
    assert.equal((await me(jwt)).status, 401);
    const next = expectToken(await login(h.app, client.email, client.password), 'bypass login');
    assert.equal(jwtPayload(next.jwt).duo, 'bypass');
    assert.equal(dataOf(await me(next.jwt)).enabled, true);
  });
});

describe('disable', () => {
  it('needs a fresh Duo verification; a wrong passcode changes nothing; then logins need no Duo', async () => {
    const { client, jwt } = await signedIn();
    await turnOnDuo(h, client.duoUsername, jwt);
    const session = await loginWithPasscode(h, client);

    const first = stepFrom(dataOf(await disable(session.jwt), 'disable'), 'disable');
    assert.equal(first.duo.result, 'auth');
    const wrong = errorOf(await step(h.app, 'passcode', { step: first.stepId, passcode: '24681357' }), 400);
    assert.equal(wrong.name, 'DuoPasscodeError');
    assert.equal(dataOf(await me(session.jwt)).enabled, true);

    const done = await step(h.app, 'passcode', {
      step: first.stepId,
      passcode: h.sandbox.currentPasscode(client.duoUsername),
    });
    assertNoToken(done);
    assert.deepEqual(done.body, { data: { enabled: false } });
    assert.equal(dataOf(await me(session.jwt)).enabled, false);

    const plain = expectToken(await login(h.app, client.email, client.password), 'login after disable');
    assert.equal(jwtPayload(plain.jwt).duo, undefined);
    assert.ok((await events(client.id)).includes('enroll.disabled'));
  });

  it('is refused when Duo is not on, or when the site requires Duo', async () => {
    const { jwt } = await signedIn();
    assert.match(errorOf(await disable(jwt), 400).message, /not on/);

    const { client, jwt: other } = await signedIn();
    await turnOnDuo(h, client.duoUsername, other);
    const session = await loginWithPasscode(h, client);
    await updateClientSettings(h, { enforcement: 'required' });
    try {
      assert.equal(dataOf(await me(session.jwt)).required, true);
      assert.match(errorOf(await disable(session.jwt), 400).message, /requires/);
    } finally {
      await updateClientSettings(h, { enforcement: 'optional' });
    }
    assert.equal(dataOf(await me(session.jwt)).enabled, true);
  });
});

describe('when Duo is not offered to clients', () => {
  it('status says so and enable is refused; logins are plain', async () => {
    const { client, jwt } = await signedIn();
    await updateClientSettings(h, { enabled: false });
    try {
      assert.equal(dataOf(await me(jwt)).available, false);
      assert.match(errorOf(await enable(jwt), 400).message, /not offered/);
      expectToken(await login(h.app, client.email, client.password));
    } finally {
      await updateClientSettings(h, { enabled: true });
    }
    // A client who turned Duo on is asked for it again once it is offered again.
    const { client: enrolled, jwt: enrolledJwt } = await signedIn();
    await turnOnDuo(h, enrolled.duoUsername, enrolledJwt);
    expectDuoRequired(await login(h.app, enrolled.email, enrolled.password));
  });
});

describe('secrets', () => {
  it('no audit row, stored row or log line holds a step id, a passcode or a token; no response a passcode', async () => {
    const checked = await assertNoSecretsKept(h);
    assert.ok(checked.stepIds > 3 && checked.passcodes > 3 && checked.jwts > 3, JSON.stringify(checked));
  });
});
