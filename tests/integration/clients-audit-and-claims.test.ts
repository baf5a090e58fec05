import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';

import { pluginService } from '../../server/src/plugin-services';
import { dataOf, expectDuoRequired, expectToken, jwtPayload } from '../helpers/client-answers';
import {
  createClient,
  login,
  startClientsHarness,
  step,
  updateClientSettings,
  type ClientsHarness,
} from '../helpers/clients-harness';
import { auditEntries, expireStep } from '../helpers/plugin-rows';
import { clientLogin } from '../helpers/users';

let harness: ClientsHarness;

const hash = (id: string) => createHash('sha256').update(id).digest('hex');

before(async () => {
  harness = await startClientsHarness({ clients: { enforcement: 'required' } });
});

after(async () => {
  await harness?.close();
});

describe('expired Duo steps are audited', () => {
  it('when the client comes back too late', async () => {
    const client = await createClient(harness);
    const required = expectDuoRequired(await login(harness.app, client.email, client.password));
    await expireStep(harness.strapi, hash(required.stepId));
    const late = await step(harness.app, 'status', { step: required.stepId });
    assert.equal((late.body as { error: { details: { state: string } } }).error.details.state, 'expired');
    const entries = await auditEntries(harness.strapi, { event: 'step.expired', userId: client.id });
    assert.equal(entries.length, 1);
  });

  it('when nobody comes back (the periodic sweep)', async () => {
    const client = await createClient(harness);
    const required = expectDuoRequired(await login(harness.app, client.email, client.password));
    await expireStep(harness.strapi, hash(required.stepId));
    const steps = pluginService(harness.strapi, 'steps');
    assert.ok((await steps.expireStale()) >= 1);
    assert.equal((await auditEntries(harness.strapi, { event: 'step.expired', userId: client.id })).length, 1);
    // Expiring twice (two instances sweeping) writes one entry.
    await steps.expireStale();
    assert.equal((await auditEntries(harness.strapi, { event: 'step.expired', userId: client.id })).length, 1);
  });
});

describe('the Duo claim says how Duo was passed', () => {
  it('is "fail-open" on a token from a step that Duo failed in the middle of, under fail open', async () => {
    await updateClientSettings(harness, { enforcement: 'required', failMode: 'open' });
    try {
      const client = await createClient(harness);
      const required = expectDuoRequired(await login(harness.app, client.email, client.password));
      harness.sandbox.setFault({ kind: 'status', status: 503 });
      const answer = expectToken(await step(harness.app, 'passcode', { step: required.stepId, passcode: '123456' }));
      assert.equal(jwtPayload(answer.jwt).duo, 'fail-open');
    } finally {
      harness.sandbox.clearFaults();
      await updateClientSettings(harness, { enforcement: 'optional', failMode: 'closed' });
    }
  });

  it('is "bypass" on the session handed to a Duo bypass user who turns Duo on, and that session works', async () => {
    const client = await createClient(harness, { duo: { status: 'bypass' } });
    const session = await clientLogin(harness.app.api, { identifier: client.email, password: client.password });
    const enabled = dataOf(
      await harness.app.api('/api/duo-security/me/enable', { method: 'POST', token: session.jwt }),
      'enable',
    );
    assert.equal(enabled.enabled, true);
    assert.equal(jwtPayload(String(enabled.jwt)).duo, 'bypass');
    const me = await harness.app.api('/api/users/me', { token: String(enabled.jwt) });
    assert.equal(me.status, 200);
    assert.equal((await harness.app.api('/api/users/me', { token: session.jwt })).status, 401);
  });
});
