/**
 * Options the README documents, each doing what it says on a real Strapi (run once per host):
 * - staff `usernameSource: 'username'`: Duo is asked about the administrator's username, not their e-mail address;
 * - `maxPasscodeAttempts` (3 here, set in config/plugins.js): the 4th passcode on a step is refused, even the right one;
 * - Test connection warns about the server clock from 60 seconds of offset from Duo's clock on, not below.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { assertNoToken, dataOf, errorOf, expectDuoRequired } from '../helpers/client-answers';
import {
  createClient,
  eventually,
  login,
  startClientsHarness,
  step,
  type ClientsHarness,
} from '../helpers/clients-harness';
import {
  adminLogin,
  adminTokenDuo,
  adminTokenUserId,
  expectAdminDuoRequired,
  expectAdminSession,
  mintAdminSession,
  newAdminCredentials,
  roleId,
  staffStep,
} from '../helpers/staff';
import type { ApiResponse } from '../helpers/strapi';

const MAX_PASSCODE_ATTEMPTS = 3;

let h: ClientsHarness;
let superId: number;

before(async () => {
  h = await startClientsHarness({
    staff: { enabled: true, enforcement: 'required' },
    clients: { enforcement: 'required' },
    env: { DUO_CONFIG_EXTRA: JSON.stringify({ maxPasscodeAttempts: MAX_PASSCODE_ATTEMPTS }) },
  });
  superId = adminTokenUserId(h.app, h.adminToken);
});
after(async () => {
  await h?.close();
});

/** A session of the super admin that passed Duo (staff enforcement is required in this file). */
const superToken = () => mintAdminSession(h.app, superId, 'allow');

function settingsApi(path: string, body?: unknown): Promise<ApiResponse> {
  return superToken().then((token) =>
    h.app.api(`/duo-security/settings${path}`, {
      token,
      method: body === undefined ? 'GET' : path ? 'POST' : 'PUT',
      body,
    }),
  );
}

/** An administrator with a Strapi username (Strapi's admin form leaves it optional), made through the admin service. */
async function adminWithUsername(username: string) {
  const credentials = newAdminCredentials('named');
  const users = h.strapi.service('admin::user') as unknown as {
    create(values: Record<string, unknown>): Promise<{ id: number }>;
  };
  const user = await users.create({
    ...credentials,
    username,
    isActive: true,
    registrationToken: null,
    roles: [await roleId(h.strapi, 'strapi-editor')],
  });
  return { id: user.id, ...credentials, username };
}

describe("staff usernameSource 'username'", () => {
  before(async () => {
    const saved = await settingsApi('', { staff: { usernameSource: 'username' } });
    assert.equal(saved.status, 200, JSON.stringify(saved.body));
  });
  after(async () => {
    const saved = await settingsApi('', { staff: { usernameSource: 'email' } });
    assert.equal(saved.status, 200, JSON.stringify(saved.body));
  });

  it("asks Duo about the administrator's username: the push goes to that Duo user, and its approval signs in", async () => {
    const admin = await adminWithUsername(`duo-name-${process.pid}`);
    // Duo knows this person only by the username; their e-mail address is a Duo user with no phone of theirs.
    h.sandbox.addUser({ username: admin.username });
    h.sandbox.addUser({ username: admin.email, status: 'disabled' });

    const required = expectAdminDuoRequired(await adminLogin(h.app, admin.email, admin.password));
    assert.equal(required.duo.result, 'auth', 'Duo knows the username, with a phone');
    assert.equal(dataOf(await staffStep(h.app, 'push', { step: required.stepId })).state, 'waiting');
    const push = await eventually(
      () => h.sandbox.pendingPushes().find((p) => p.username === admin.username || p.username === admin.email),
      3000,
      'the push',
    );
    assert.equal(push.username, admin.username);
    h.sandbox.approve(push.txid);
    let status = await staffStep(h.app, 'status', { step: required.stepId });
    for (let i = 0; i < 3 && status.status === 200 && dataOf(status).state === 'waiting'; i += 1) {
      status = await staffStep(h.app, 'status', { step: required.stepId });
    }
    const session = expectAdminSession(h.app, status, 'push approved');
    assert.equal(await adminTokenDuo(h.app, session.token), 'allow');
  });

  it('an administrator Duo knows only by e-mail is someone Duo has to enrol', async () => {
    const admin = await adminWithUsername(`unknown-name-${process.pid}`);
    h.sandbox.addUser({ username: admin.email });
    const required = expectAdminDuoRequired(await adminLogin(h.app, admin.email, admin.password));
    assert.equal(required.duo.result, 'enroll', 'Duo was asked about the username, which it does not know');
  });
});

describe(`maxPasscodeAttempts: ${MAX_PASSCODE_ATTEMPTS} in config/plugins.js`, () => {
  /** Sends wrong passcodes up to the limit, then the right one: refused, and Duo never sees it. */
  async function exhaust(
    send: (passcode: string) => Promise<ApiResponse>,
    rightPasscode: () => string,
    what: string,
  ): Promise<void> {
    for (let attempt = 1; attempt <= MAX_PASSCODE_ATTEMPTS; attempt += 1) {
      const error = errorOf(await send('00000000'), 400);
      assert.equal(error.name, 'DuoPasscodeError', `${what}, attempt ${attempt}`);
      assert.deepEqual(error.details, { attemptsLeft: MAX_PASSCODE_ATTEMPTS - attempt }, `${what}, attempt ${attempt}`);
    }
    const callsToDuo = h.sandbox.stats().byPath['/auth/v2/auth'] ?? 0;
    const next = await send(rightPasscode());
    assertNoToken(next, `${what}: attempt ${MAX_PASSCODE_ATTEMPTS + 1}`);
    const error = errorOf(next, 400);
    assert.equal(error.name, 'DuoStepError', `${what}: attempt ${MAX_PASSCODE_ATTEMPTS + 1}`);
    assert.deepEqual(error.details, { state: 'denied' });
    assert.equal(h.sandbox.stats().byPath['/auth/v2/auth'] ?? 0, callsToDuo, `${what}: a closed step never asks Duo`);
  }

  it(`an administrator's Duo step takes ${MAX_PASSCODE_ATTEMPTS} wrong passcodes, then closes`, async () => {
    const admin = await adminWithUsername(`attempts-${process.pid}`);
    // Staff map by e-mail again here (the describe above put the default back).
    h.sandbox.addUser({ username: admin.email });
    const { stepId } = expectAdminDuoRequired(await adminLogin(h.app, admin.email, admin.password));
    await exhaust(
      (passcode) => staffStep(h.app, 'passcode', { step: stepId, passcode }),
      () => h.sandbox.currentPasscode(admin.email),
      'staff',
    );
  });

  it(`a client's Duo step takes ${MAX_PASSCODE_ATTEMPTS} wrong passcodes, then closes`, async () => {
    const client = await createClient(h);
    const { stepId } = expectDuoRequired(await login(h.app, client.email, client.password));
    await exhaust(
      (passcode) => step(h.app, 'passcode', { step: stepId, passcode }),
      () => h.sandbox.currentPasscode(client.duoUsername),
      'client',
    );
  });
});

describe('the clock warning of Test connection', () => {
  interface Connection {
    ok: boolean;
    outcome: string;
    message: string;
    clockOffsetMs?: number;
    clockSkewWarning: boolean;
  }

  /** Runs Test connection with Duo's clock `skewMs` ahead of the server's; answers the result and the page's copy. */
  async function checkWithSkew(skewMs: number): Promise<{ checked: Connection; shown: Connection }> {
    h.sandbox.setSkew(skewMs);
    try {
      const checked = dataOf(await settingsApi('/check', {}), 'check') as unknown as Connection;
      const shown = dataOf(await settingsApi(''), 'settings').connection as Connection;
      return { checked, shown };
    } finally {
      h.sandbox.setSkew(0);
    }
  }

  // Duo's `time` counts whole seconds and the request takes a moment, so the measured offset is good to about a
  // second: 2 s either side of 60 s keeps the measurement on its side of the line.
  for (const [skewMs, warns, direction] of [
    [62_000, true, 'behind'],
    [-62_000, true, 'ahead of'],
    [58_000, false, ''],
    [-58_000, false, ''],
  ] as const) {
    it(`${skewMs / 1000} s: ${warns ? `warns that the clock is ${direction} Duo's` : 'no warning'}`, async () => {
      const { checked, shown } = await checkWithSkew(skewMs);
      assert.equal(checked.ok, true, JSON.stringify(checked));
      assert.equal(checked.outcome, 'ok');
      assert.equal(Math.sign(checked.clockOffsetMs ?? 0), Math.sign(skewMs), `measured ${checked.clockOffsetMs} ms`);
      assert.equal(checked.clockSkewWarning, warns, JSON.stringify(checked));
      if (warns) {
        assert.match(checked.message, new RegExp(`\\d+ seconds ${direction} Duo's`));
        assert.match(checked.message, /NTP/);
      } else {
        assert.equal(checked.message, 'Connected to Duo: the keys are valid for an Auth API application.');
      }
      // The settings page shows the last result.
      assert.deepEqual(shown, checked);
    });
  }
});
